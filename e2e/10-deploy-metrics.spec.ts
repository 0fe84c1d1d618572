import { expect, type Page, test } from "@playwright/test";
import { ADMIN, apiSpec, bearer, createToken, shot, signIn } from "./helpers";

/**
 * Issue 15, deploy metrics and notifications in the browser: the environment page shows its
 * 30-day figures and a Notifications card where an admin adds a signed webhook (the secret
 * shown once) and sends a test event whose attempts appear in the delivery log; the Deploy
 * metrics page shows the four keys and their charts; the REST route answers a token. (The
 * figures themselves are checked against a seeded history in server/deploy-metrics, and ordered,
 * signed delivery through an outage in server/notifications.)
 */
test.describe.configure({ mode: "serial" });

const NAME = "metrics-e2e";

async function signInOrSetUp(page: Page) {
  await page.goto("/");
  if (page.url().endsWith("/setup")) {
    await page.getByLabel("Name").fill(ADMIN.name);
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(ADMIN.password);
    await page.getByRole("button", { name: "Create admin and sign in" }).click();
    await expect(page).toHaveURL(/\/environments$/);
  } else await signIn(page, ADMIN);
}

test("an admin adds a signed webhook on the environment page and sees its delivery log", async ({ page, request }) => {
  test.setTimeout(90_000);
  await signInOrSetUp(page);
  const token = await createToken(page, "metrics-e2e", "admin");
  const created = await request.post("/api/v1/environments", { headers: bearer(token), data: apiSpec(NAME) });
  expect(created.status(), await created.text()).toBe(201);

  await page.goto(`/environments/${NAME}`);
  await expect(page.getByTestId("deploy-metrics").getByTestId("metric-change-failure-rate")).toContainText("0 of 0 rollouts");
  const card = page.getByTestId("notifications");
  const form = card.getByRole("form", { name: "Add a channel" });
  // A private address is refused with the reason, and nothing is added.
  await form.getByLabel("Name").fill("ops");
  await form.getByLabel("URL").fill("http://169.254.169.254/latest/meta-data");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(card).toContainText("link-local");
  // A public address (TEST-NET-3: nothing answers there) is accepted; the secret is shown once.
  await form.getByLabel("URL").fill("https://203.0.113.10/switchyard");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(card.getByTestId("signing-secret")).toContainText(/whsec_[A-Za-z0-9_-]{20,}/);
  const channel = card.getByTestId("channel-ops");
  await expect(channel).toContainText("https://203.0.113.10/switchyard");
  await channel.getByRole("button", { name: "Send test" }).click();
  await channel.getByText(/Delivery log/).click();
  // The attempt fails (no route, a timeout, or a certificate not for that address) and waits for its retry, with the error in the log.
  await expect(channel.getByTestId("delivery").first()).toHaveAttribute("data-status", "pending", { timeout: 40_000 });
  await expect(channel.getByTestId("delivery").first()).toContainText(/attempts? · next try .*#1 .* no answer \(/, { timeout: 40_000 });
  await shot(page, "notifications");

  const api = await request.get(`/api/v1/environments/${NAME}/notifications`, { headers: bearer(token) });
  const body = await api.json();
  expect(body.channels[0]).toMatchObject({ name: "ops", kind: "webhook", enabled: true });
  expect(JSON.stringify(body)).not.toContain("whsec_");
});

test("the deploy metrics page shows the four keys as figures and charts; the REST route answers", async ({ page, request }) => {
  test.setTimeout(60_000);
  await signIn(page, ADMIN);
  await page.getByRole("link", { name: "Deploy metrics" }).click();
  await expect(page).toHaveURL(/\/insights$/);
  for (const id of ["frequency", "lead-time", "change-failure-rate", "time-to-restore"])
    await expect(page.getByTestId(`metric-${id}`)).toBeVisible();
  await page.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/days=7/);
  await expect(page.getByTestId("chart-deploys")).toHaveAttribute("data-points", "8");
  await expect(page.getByTestId("chart-deploys").getByRole("img", { name: "deploys: 8 points" })).toBeVisible();
  await shot(page, "deploy-metrics");
  const token = await createToken(page, "metrics-read", "viewer");
  const res = await request.get("/api/v1/deploy-metrics?days=90", { headers: bearer(token) });
  expect(res.status()).toBe(200);
  expect((await res.json()).days).toBe(90);
  expect((await request.get("/api/v1/deploy-metrics?days=5", { headers: bearer(token) })).status()).toBe(400);
});
