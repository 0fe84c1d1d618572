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
