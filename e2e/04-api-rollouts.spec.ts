import { expect, test, type APIRequestContext } from "@playwright/test";
import {
  ADMIN,
  SECOND_ADMIN,
  apiSpec,
  bearer,
  createToken,
  inviteAndAccept,
  loadCounters,
  provisionViaApi,
  signIn,
  userDataWith,
  versionsServed,
  waitForOperation,
} from "./helpers";

/**
 * Rollouts through the REST API with real traffic on the local cloud: a bad version rolls
 * back by itself with the judge's reason; one operation at a time (409); a protected
 * environment waits for a second deployer's approval.
 */
test.describe.configure({ mode: "serial" });

let admin = "";
let alice = "";
let bob = "";
const auth = bearer;
const waitFor = (request: APIRequestContext, name: string, id: string, statuses: string[], timeoutMs?: number) =>
  waitForOperation(request, admin, name, id, statuses, timeoutMs);
const provisioned = (request: APIRequestContext, spec: Record<string, unknown>) => provisionViaApi(request, admin, spec);
const userData = userDataWith;
const spec = apiSpec;

test("tokens for an admin and two deployers, made by two different people", async ({ page, browser }) => {
  await signIn(page, ADMIN);
  admin = await createToken(page, "ops-admin", "admin");
  alice = await createToken(page, "alice-ci", "deployer");
  // A token acts for the person who created it (four eyes compares people), so bob's is made by a second admin.
  await inviteAndAccept(page, browser, SECOND_ADMIN, "admin");
  const ctx = await browser.newContext();
  const second = await ctx.newPage();
  await signIn(second, SECOND_ADMIN);
  bob = await createToken(second, "bob-ci", "deployer");
  await ctx.close();
});

test("a bad version rolls back by itself, with the judge's reason, and traffic stays on the good version", async ({ request }) => {
  await provisioned(request, spec("api-canary"));
  // v2's user data makes half of its requests fail: a bad build.
  const patch = await request.patch("/api/v1/environments/api-canary", {
    headers: auth(admin),
    data: { app: { source: { kind: "al2023", userData: userData("error_rate=0.5") } } },
  });
  expect(patch.status()).toBe(200);
  const started = await request.post("/api/v1/environments/api-canary/deployments", { headers: auth(alice), data: { version: "v2-bad" } });
  expect(started.status()).toBe(202);
  const id = (await started.json()).id;

  // One operation at a time.
  const second = await request.post("/api/v1/environments/api-canary/deployments", { headers: auth(alice), data: { version: "v3" } });
  expect(second.status()).toBe(409);
  expect((await second.json()).error.code).toBe("CONFLICT");

  const done = await waitFor(request, "api-canary", id, ["rolled_back", "succeeded", "failed"]);
  expect(done.status).toBe("rolled_back");
  expect(done.reason).toMatch(/Rolled back at 50%: .*5xx/);
  // The timeline ends clean: the step that failed says why, nothing is left running.
  expect(done.steps.find((s) => s.key === "shift-50")?.status).toBe("failed");
  expect(done.steps.filter((s) => s.status === "running" || s.status === "waiting")).toEqual([]);
  const live = await (await request.get("/api/v1/environments/api-canary/live", { headers: auth(admin) })).json();
  expect(live.environment.liveVersion).toBe("v1");
  expect(live.split).toMatchObject({ blue: 100, green: 0 });
  expect(new Set(await versionsServed("sy-api-canary-alb"))).toEqual(new Set(["v1"]));
});

test("a protected environment waits for a different deployer's approval", async ({ request }) => {
  await provisioned(
    request,
    spec("api-protected", { protected: true, rollout: { strategy: "all-at-once", canarySteps: [100], bakeMinutes: 0.05 } }),
  );
  await expect.poll(async () => (await loadCounters("sy-api-protected-alb")).sent, { timeout: 20_000 }).toBeGreaterThan(0);
  const before = await loadCounters("sy-api-protected-alb");
  const started = await request.post("/api/v1/environments/api-protected/deployments", { headers: auth(alice), data: { version: "v2" } });
  expect(started.status()).toBe(202);
  const id = (await started.json()).id;
  const waiting = await waitFor(request, "api-protected", id, ["awaiting_approval"], 30_000);
  expect(waiting.steps.find((s) => s.key === "launch-template")?.status).toBe("pending"); // nothing happens before approval
  // The approval step runs once the workflow waits on its hook.
  await expect
    .poll(
      async () => (await waitFor(request, "api-protected", id, ["awaiting_approval"])).steps.find((s) => s.key === "approval")?.status,
      { timeout: 30_000 },
    )
    .toBe("running");

  const self = await request.post(`/api/v1/environments/api-protected/deployments/${id}/approve`, { headers: auth(alice) });
  expect(self.status()).toBe(403);
  const viewerLike = await request.post(`/api/v1/environments/api-protected/deployments/${id}/approve`, { headers: {} });
  expect(viewerLike.status()).toBe(401);

  const ok = await request.post(`/api/v1/environments/api-protected/deployments/${id}/approve`, { headers: auth(bob) });
  expect(ok.status(), await ok.text()).toBe(200);
  const done = await waitFor(request, "api-protected", id, ["succeeded", "rolled_back", "failed"]);
  expect(done.status, done.reason ?? "").toBe("succeeded");
  const final = await (await request.get(`/api/v1/environments/api-protected/deployments/${id}`, { headers: auth(admin) })).json();
  expect(final.approvedBy).toBe("token:bob-ci");
  expect(new Set(await versionsServed("sy-api-protected-alb"))).toEqual(new Set(["v2"]));
  // Real traffic through the all-at-once rollout: nothing failed.
  const after = await loadCounters("sy-api-protected-alb");
  expect(after.sent - before.sent).toBeGreaterThan(50);
  expect(after.failed - before.failed, "requests failed during the rollout").toBe(0);
});
