import { expect, type Page } from "@playwright/test";

export const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct-horse-battery-staple" };
export const VIEWER = { name: "Vic Viewer", email: "vic@example.com", password: "viewer-password-123" };

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/environments$/);
}

/** Full-page screenshot for the docs (docs/screenshots/<name>.png). */
export async function shot(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: false });
}

/** Creates an API token in the admin UI and returns it (shown once). */
export async function createToken(page: Page, name: string, role: string) {
  await page.goto("/admin/tokens");
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill(name);
  await form.getByLabel("Role", { exact: true }).selectOption(role);
  await form.getByRole("button", { name: /create/i }).click();
  const token = await page.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^swy_/);
  return token;
}

export const LOCALCLOUD = `http://127.0.0.1:${process.env.E2E_LOCALCLOUD_PORT ?? 4599}`;

/** Asks the environment's load balancer (through the local cloud's real listener port) which version answers. */
export async function versionsServed(lbName: string, n = 20): Promise<string[]> {
  const endpoints = await (await fetch(`${LOCALCLOUD}/_localcloud/endpoints`)).json();
  const lb = endpoints.loadBalancers.find((l: { name: string }) => l.name === lbName);
  const url = lb.listeners[0].url as string;
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(((await (await fetch(url)).json()) as { version: string }).version);
  return out;
}

/** Requests the local cloud's load generator sent to this load balancer that failed (non-2xx/3xx or no answer), and how many it sent. */
export async function loadCounters(lbName: string): Promise<{ sent: number; failed: number }> {
  const { loads } = (await (await fetch(`${LOCALCLOUD}/_localcloud/load`)).json()) as { loads: Array<{ target: string; targetRef?: string; sent: number; failed: number }> };
  const mine = loads.filter((l) => l.target === lbName || l.targetRef?.includes(`/app/${lbName}/`));
  return { sent: mine.reduce((a, l) => a + l.sent, 0), failed: mine.reduce((a, l) => a + l.failed, 0) };
}
