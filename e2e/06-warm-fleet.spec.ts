import { expect, test, type APIRequestContext } from "@playwright/test";
import {
  ADMIN,
  apiSpec,
  bearer,
  createToken,
  rollOutViaApi,
  shot,
  signIn,
  startProvisioningViaApi,
  userDataWith,
  versionsServed,
  waitProvisionedViaApi,
  type OperationJson,
} from "./helpers";

/**
 * Issue 17: a rollout started while the previous fleet is still warm must ship ITS version.
 * The reproduction: provision v1, roll out v2 (v1 stays warm for a 600-minute window), then
 * roll out a third version inside the window. Every answer from the listener must then come
 * from the third version (counted over 200+ requests), and the timeline must show the warm
 * fleet replaced. Then the same with all-at-once and with a rollback in between.
 * Both environments are provisioned at once, from the first test: the second one is ready by
 * the time its test starts.
 */
test.describe.configure({ mode: "serial" });

let admin = "";
const step = (op: OperationJson, key: string) => {
  const s = op.steps.find((x) => x.key === key);
  if (!s) throw new Error(`no step ${key} in ${op.steps.map((x) => x.key).join(", ")}`);
  return s;
};
const summaryOf = (op: OperationJson, key: string) => {
  const d = step(op, key).detail as { summary?: string; seen?: { summary?: string }; probe?: { summary?: string } } | null;
  return d?.summary ?? d?.probe?.summary ?? d?.seen?.summary ?? "";
};

async function servedOnly(lb: string, n = 220) {
  const served = await versionsServed(lb, n);
  expect(served.length).toBeGreaterThanOrEqual(200);
  return new Set(served);
}

async function setUserData(request: APIRequestContext, name: string, extra: string) {
  const patch = await request.patch(`/api/v1/environments/${name}`, {
    headers: bearer(admin),
    data: { app: { source: { kind: "al2023", userData: userDataWith(extra) } } },
  });
  expect(patch.status(), await patch.text()).toBe(200);
}

const specs = {
  "warm-canary": apiSpec("warm-canary", {
    rollbackWindowMinutes: 600,
    rollout: { strategy: "canary", canarySteps: [10, 50, 100], bakeMinutes: 0.1 },
    // The judge passes a step only when 95% sure the new fleet fails under this rate: at 5%, 59
    // clean requests (2%: 149), which the 10% step of the test's light load gathers in ~25 s.
    autoRollback: { max5xxRatePercent: 5, maxP95LatencyMs: 800 },
  }),
  "warm-aao": apiSpec("warm-aao", {
    rollbackWindowMinutes: 600,
    rollout: { strategy: "all-at-once", canarySteps: [100], bakeMinutes: 0.05 },
  }),
};
/** The provisioning operation of each environment, started by the first test. */
const provisioning: Record<string, string> = {};

const provisioned = (request: APIRequestContext, name: keyof typeof specs) =>
  waitProvisionedViaApi(request, admin, name, provisioning[name]);

test("an admin token, and both environments created and provisioning", async ({ page, request }) => {
  await signIn(page, ADMIN);
  admin = await createToken(page, "warm-fleet-admin", "admin");
  for (const [name, spec] of Object.entries(specs)) provisioning[name] = await startProvisioningViaApi(request, admin, spec);
});

/**
 * For tests with two or more judged rollouts: each bake waits for CloudWatch's published minutes,
 * so on a loaded box they need more than the default 3 minutes.
 */
const SEVERAL_ROLLOUTS_MS = 300_000;

test("canary: a third version inside the rollback window replaces the warm fleet and serves every request", async ({ request }) => {
  test.setTimeout(SEVERAL_ROLLOUTS_MS);
  const name = "warm-canary";
  await provisioned(request, name);
  // v2 only has to leave v1 warm: all at once (one bake); v3 and vbad are the canary rollouts under test.
  const v2 = await rollOutViaApi(request, admin, name, "v2", "all-at-once");
  expect(v2.status, v2.reason ?? "").toBe("succeeded");
  expect(step(v2, "fill-idle").label).toBe("Fill the idle fleet to the live capacity");

  // v1 is warm on blue now; v3 goes into blue.
  const v3 = await rollOutViaApi(request, admin, name, "v3");
  expect(v3.status, v3.reason ?? "").toBe("succeeded");
  expect(step(v3, "fill-idle").label).toBe("Replace the warm v1 fleet with v3 (rollback to v1 will no longer be instant)");
  expect(summaryOf(v3, "fill-idle")).toMatch(/^Replacing 2 instance\(s\) on launch template version \d+ with version \d+$/);
  expect(summaryOf(v3, "wait-healthy")).toMatch(/^2 of 2 healthy on launch template version \d+$/);
  expect(summaryOf(v3, "probe-new")).toBe("2 of 2 new targets answered with version v3");
  expect(await servedOnly(`sy-${name}-alb`)).toEqual(new Set(["v3"]));
  const live = await (await request.get(`/api/v1/environments/${name}/live`, { headers: bearer(admin) })).json();
  expect(live.environment).toMatchObject({ liveVersion: "v3", liveSlot: "blue", previousVersion: "v2" });
  const drift = await (await request.get(`/api/v1/environments/${name}/drift`, { headers: bearer(admin) })).json();
  expect(drift.drift).toEqual([]);
});

// (A test of its own, so each canary rollout has the whole test timeout: judged bakes wait for
// CloudWatch's published minutes.)
test("canary: a bad version inside the rollback window really takes the canary share and is rolled back", async ({ request }) => {
  const name = "warm-canary";
  // The exact reproduction: a version answering 30% errors, inside the window (v2 is warm after v3).
  // Before the fix it "succeeded" while the old fleet served; now it really takes the canary share
  // and is rolled back.
  await setUserData(request, name, "error_rate=0.3");
  const bad = await rollOutViaApi(request, admin, name, "vbad");
  expect(bad.status, bad.reason ?? "").toBe("rolled_back");
  // Caught by the judge at the first step with enough data (10% or 50%: CloudWatch data arrives late).
  expect(bad.reason).toMatch(/Rolled back at (10|50)%/);
  expect(step(bad, "fill-idle").label).toContain("Replace the warm v2 fleet with vbad");
  expect(await servedOnly(`sy-${name}-alb`)).toEqual(new Set(["v3"]));
  const after = await (await request.get(`/api/v1/environments/${name}/live`, { headers: bearer(admin) })).json();
  // The v2 fleet was replaced: rollback to v2 is no longer instant.
  expect(after.environment).toMatchObject({ liveVersion: "v3", previousVersion: "v2", warmUntil: null });
  await setUserData(request, name, "error_rate=0");
});

test("all at once, with a rollback in between: every answer comes from the version rolled out last", async ({ request }) => {
  test.setTimeout(SEVERAL_ROLLOUTS_MS);
  const name = "warm-aao";
  await provisioned(request, name);
  const v2 = await rollOutViaApi(request, admin, name, "v2");
  expect(v2.status, v2.reason ?? "").toBe("succeeded");

  // One-click rollback onto the warm v1 fleet, then v3 into the slot v2 just left.
  const rb = await request.post(`/api/v1/environments/${name}/rollback`, { headers: bearer(admin) });
  expect(rb.status(), await rb.text()).toBe(202);
  await expect
    .poll(
      async () => (await (await request.get(`/api/v1/environments/${name}/live`, { headers: bearer(admin) })).json()).environment.busy,
      { timeout: 60_000 },
    )
    .toBe(false);
  expect(await servedOnly(`sy-${name}-alb`)).toEqual(new Set(["v1"]));

  const v3 = await rollOutViaApi(request, admin, name, "v3");
  expect(v3.status, v3.reason ?? "").toBe("succeeded");
  expect(await servedOnly(`sy-${name}-alb`)).toEqual(new Set(["v3"]));

  // v1 is warm again (blue); v4 all at once replaces it.
  const v4 = await rollOutViaApi(request, admin, name, "v4", "all-at-once");
  expect(v4.status, v4.reason ?? "").toBe("succeeded");
  expect(step(v4, "fill-idle").label).toContain("Replace the warm v1 fleet with v4");
  expect(summaryOf(v4, "probe-new")).toBe("2 of 2 new targets answered with version v4");
  expect(await servedOnly(`sy-${name}-alb`)).toEqual(new Set(["v4"]));

  // And a one-click rollback from there lands on v3, the fleet that is really warm.
  const rb2 = await request.post(`/api/v1/environments/${name}/rollback`, { headers: bearer(admin) });
  expect(rb2.status(), await rb2.text()).toBe(202);
  await expect
    .poll(
      async () => (await (await request.get(`/api/v1/environments/${name}/live`, { headers: bearer(admin) })).json()).environment.busy,
      { timeout: 60_000 },
    )
    .toBe(false);
  expect(await servedOnly(`sy-${name}-alb`)).toEqual(new Set(["v3"]));
  const live = await (await request.get(`/api/v1/environments/${name}/live`, { headers: bearer(admin) })).json();
  expect(live.environment).toMatchObject({ liveVersion: "v3" });
});

test("in the browser: deploying inside the rollback window says the warm fleet is replaced and asks first", async ({ page }) => {
  test.setTimeout(SEVERAL_ROLLOUTS_MS);
  await signIn(page, ADMIN);
  await page.goto("/environments/warm-canary");
  await expect(page.getByText(/Live: v3 on the blue fleet/)).toBeVisible();
  const op = page.getByTestId("operation");
  // After vbad rolled back nothing is warm: no warning, Deploy as usual.
  await page.getByLabel("Version to deploy").fill("v5");
  await page.getByLabel("Strategy").selectOption("all-at-once");
  await expect(page.getByRole("note")).toHaveCount(0);
  await page.getByRole("button", { name: "Deploy" }).click();
  await expect(op).toContainText("Rollout v3 → v5");
  await expect(op).toContainText("Succeeded", { timeout: 150_000 });
  await expect(page.getByText(/Live: v5 on the green fleet/)).toBeVisible();

  // v3 is warm on blue now: the form says what a rollout does to it and waits for a yes.
  await page.getByLabel("Version to deploy").fill("v6");
  await page.getByLabel("Strategy").selectOption("all-at-once");
  const note = page.getByRole("note");
  await expect(note).toContainText("The warm v3 fleet is replaced by this rollout: rollback to v3 will no longer be instant.");
  const deploy = page.getByRole("button", { name: "Deploy" });
  await expect(deploy).toBeDisabled();
  await note.getByLabel("Replace the warm v3 fleet").check();
  await expect(deploy).toBeEnabled();
  await deploy.click();
  await expect(op).toContainText("Rollout v5 → v6");
  await expect(op.getByTestId("step-fill-idle")).toContainText(
    "Replace the warm v3 fleet with v6 (rollback to v3 will no longer be instant)",
  );
  await expect(op.getByTestId("summary-fill-idle")).toContainText(/Replacing 2 instance\(s\) on launch template version \d+/, {
    timeout: 60_000,
  });
  await expect(op.getByTestId("summary-wait-healthy")).toContainText(/2 of 2 healthy on launch template version \d+/, { timeout: 90_000 });
  await expect(op.getByTestId("summary-probe-new")).toContainText("2 of 2 new targets answered with version v6", { timeout: 60_000 });
  await shot(page, "warm-fleet-replaced");
  await expect(op).toContainText("Succeeded", { timeout: 150_000 });
  await expect(page.getByText(/Live: v6 on the blue fleet/)).toBeVisible();
  expect(await servedOnly("sy-warm-canary-alb")).toEqual(new Set(["v6"]));
});
