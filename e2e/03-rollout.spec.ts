import { expect, test } from "@playwright/test";
import { ADMIN, loadCounters, shot, signIn, versionsServed } from "./helpers";

/**
 * The heart of the product in a real browser, against the local cloud with real traffic:
 * create an environment, provision it, roll out a new version, roll back with one click.
 */
test.describe.configure({ mode: "serial" });

const ENV = "web-e2e";

test("create and provision an environment, watching the step timeline", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto("/environments/new");
  await page.getByLabel("Name", { exact: true }).fill(ENV);
  await page.getByLabel("Canary steps (%)").fill("50,100");
  await page.getByLabel("Bake per step (min)").fill("0.1");
  // Without CloudFront: with it the load balancer answers only CloudFront's origin header, and the
  // local cloud's load generator (the traffic the canary judge reads) calls the listener directly.
  await page.getByLabel("CloudFront distribution in front of the load balancer").uncheck();
  await page.getByRole("button", { name: "Create environment" }).click();
  await expect(page).toHaveURL(new RegExp(`/environments/${ENV}$`));
  await expect(page.getByText("Not provisioned yet.")).toBeVisible();

  await page.getByRole("button", { name: "Provision" }).click();
  const op = page.getByTestId("operation");
  await expect(op).toContainText("Provision (v1)");
  await expect(op.getByTestId("step-network")).toHaveAttribute("data-status", "succeeded", { timeout: 30_000 });
  await shot(page, "provisioning");
  await expect(op.locator('[data-status="succeeded"]').first()).toBeVisible();
  await expect(op).toContainText("Succeeded", { timeout: 120_000 });
  await expect(op.locator('[data-testid^="step-"]:not([data-status="succeeded"])')).toHaveCount(0);
  await expect(page.getByTestId("traffic-split")).toHaveAttribute("data-blue", "100");
  await expect(page.getByText(/Live: v1 on the blue fleet/)).toBeVisible();
  expect(new Set(await versionsServed(`sy-${ENV}-alb`))).toEqual(new Set(["v1"]));

  await page.getByRole("button", { name: "Check for drift" }).click();
  await expect(page.getByTestId("drift")).toContainText("No drift");
});

test("roll out v2 (canary 50 -> 100, judged), then roll back with one click", async ({ page }) => {
  await signIn(page, ADMIN);
  await page.goto(`/environments/${ENV}`);
  // Real traffic runs through the listener the whole time (the local cloud's default load).
  await expect.poll(async () => (await loadCounters(`sy-${ENV}-alb`)).sent, { timeout: 20_000 }).toBeGreaterThan(0);
  const before = await loadCounters(`sy-${ENV}-alb`);
  await page.getByLabel("Version to deploy").fill("v2");
  await page.getByRole("button", { name: "Deploy" }).click();
  const op = page.getByTestId("operation");
  await expect(op).toContainText("Rollout v1 → v2");
  await expect(op.getByTestId("step-shift-50")).toHaveAttribute("data-status", /running|succeeded/, { timeout: 60_000 });
  await shot(page, "rollout");
  await expect(op).toContainText("Succeeded", { timeout: 120_000 });
  await expect(op.getByTestId("step-shift-50").getByTestId("verdict")).toContainText("pass");
  await expect(page.getByTestId("traffic-split")).toHaveAttribute("data-green", "100");
  await expect(page.getByText(/Live: v2 on the green fleet/)).toBeVisible();
  expect(new Set(await versionsServed(`sy-${ENV}-alb`))).toEqual(new Set(["v2"]));
  const after = await loadCounters(`sy-${ENV}-alb`);
  expect(after.sent - before.sent).toBeGreaterThan(100);
  expect(after.failed - before.failed, "requests failed during the rollout").toBe(0);

  await page.getByRole("button", { name: "Roll back to v1" }).click();
  const started = Date.now();
  await page.getByRole("alertdialog").getByRole("button", { name: "Roll back" }).click();
  await expect(op).toContainText("Rollback v2 → v1");
  await expect(op.getByTestId("step-shift-back")).toHaveAttribute("data-status", "succeeded", { timeout: 15_000 });
  const tookMs = Date.now() - started;
  // Warm fleet: one listener change. Generous bound for a loaded CI machine; the bench measures it.
  expect(tookMs).toBeLessThan(10_000);
  await expect(page.getByTestId("traffic-split")).toHaveAttribute("data-blue", "100");
  expect(new Set(await versionsServed(`sy-${ENV}-alb`))).toEqual(new Set(["v1"]));
  await expect(page.getByTestId("history-row")).toHaveCount(3);
  await shot(page, "rollback");
});
