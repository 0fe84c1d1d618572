import { expect, test, type APIRequestContext } from "@playwright/test";
import {
  ADMIN,
  SECOND_ADMIN,
  apiSpec,
  bearer,
  createToken,
  inviteAndAccept,
  LOCALCLOUD,
  loadCounters,
  signIn,
  startProvisioningViaApi,
  userDataWith,
  versionsServed,
  waitForOperation,
  waitProvisionedViaApi,
} from "./helpers";

/**
 * Rollouts through the REST API with real traffic on the local cloud: a bad version rolls
 * back by itself with the judge's reason; one operation at a time (409); a protected
 * environment waits for a second deployer's approval. Both environments are provisioned at
 * once, from the first test.
 */
test.describe.configure({ mode: "serial" });

let admin = "";
let alice = "";
let bob = "";
const auth = bearer;
const waitFor = (request: APIRequestContext, name: string, id: string, statuses: string[], timeoutMs?: number) =>
  waitForOperation(request, admin, name, id, statuses, timeoutMs);
const userData = userDataWith;
/** The local cloud's load generator: answers per app version on this load balancer. */
async function loadVersions(lbName: string): Promise<Record<string, number>> {
  const { loads } = (await (await fetch(`${LOCALCLOUD}/_localcloud/load`)).json()) as {
    loads: Array<{ target: string; targetRef?: string; versions?: Record<string, number> }>;
  };
  const out: Record<string, number> = {};
  for (const l of loads.filter((x) => x.target === lbName || x.targetRef?.includes(`/app/${lbName}/`)))
    for (const [v, n] of Object.entries(l.versions ?? {})) out[v] = (out[v] ?? 0) + n;
  return out;
}
const spec = apiSpec;
const specs = {
  "api-canary": spec("api-canary", { rollout: { strategy: "canary", canarySteps: [10, 50, 100], bakeMinutes: 0.1 } }),
  "api-protected": spec("api-protected", { protected: true, rollout: { strategy: "all-at-once", canarySteps: [100], bakeMinutes: 0.05 } }),
};
/** The provisioning operation of each environment, started by the first test. */
const provisioning: Record<string, string> = {};
const provisioned = (request: APIRequestContext, name: keyof typeof specs) =>
  waitProvisionedViaApi(request, admin, name, provisioning[name]);

test("tokens for an admin and two deployers, made by two different people", async ({ page, browser, request }) => {
  await signIn(page, ADMIN);
  admin = await createToken(page, "ops-admin", "admin");
  for (const [name, s] of Object.entries(specs)) provisioning[name] = await startProvisioningViaApi(request, admin, s);
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
  await provisioned(request, "api-canary");
  // v2's user data makes 30% of its requests fail: a bad build, caught at the 10% step.
  const patch = await request.patch("/api/v1/environments/api-canary", {
    headers: auth(admin),
    data: { app: { source: { kind: "al2023", userData: userData("error_rate=0.3") } } },
  });
  expect(patch.status()).toBe(200);
  const started = await request.post("/api/v1/environments/api-canary/deployments", { headers: auth(alice), data: { version: "v2-bad" } });
  expect(started.status()).toBe(202);
  const id = (await started.json()).id;

  // One operation at a time.
  const second = await request.post("/api/v1/environments/api-canary/deployments", { headers: auth(alice), data: { version: "v3" } });
  expect(second.status()).toBe(409);
  expect((await second.json()).error.code).toBe("CONFLICT");

  // The load generator's answers per version, sampled while the rollout runs.
  const samples: Array<Record<string, number>> = [];
  let settled = false;
  const sampler = (async () => {
    while (!settled) {
      samples.push(await loadVersions("sy-api-canary-alb"));
      await new Promise((r) => setTimeout(r, 500));
    }
  })();
  const done = await waitFor(request, "api-canary", id, ["rolled_back", "succeeded", "failed"]).finally(() => (settled = true));
  await sampler;
  expect(done.status).toBe("rolled_back");
  expect(done.reason).toMatch(/Rolled back at 10%: /);
  // The timeline ends clean: the step that failed says why with the verdict's numbers; 50% never began.
  const shift10 = done.steps.find((s) => s.key === "shift-10");
  expect(shift10?.status).toBe("failed");
  expect((shift10?.detail?.verdict as { outcome?: string } | undefined)?.outcome).toBe("fail");
  expect(done.steps.find((s) => s.key === "shift-50")?.status).toBe("skipped");
  expect(done.steps.find((s) => s.key === "shift-100")?.status).toBe("skipped");
  // The load generator's counts: v2-bad served some requests (the 10% step), but never half of any
  // stretch of 50 or more: no request reached it at 50% (there, about half would).
  const count = (x: Record<string, number>, v?: string) => (v ? (x[v] ?? 0) : Object.values(x).reduce((a, n) => a + n, 0));
  expect(count(samples[samples.length - 1], "v2-bad") - count(samples[0], "v2-bad")).toBeGreaterThan(0);
  let worst = 0;
  for (let i = 0; i < samples.length; i++) {
    const j = samples.findIndex((x, k) => k > i && count(x) - count(samples[i]) >= 50);
    if (j < 0) break;
    worst = Math.max(worst, (count(samples[j], "v2-bad") - count(samples[i], "v2-bad")) / (count(samples[j]) - count(samples[i])));
  }
  expect(worst, "largest share of the load answered by v2-bad over 50 requests").toBeLessThan(0.35);
  expect(done.steps.filter((s) => s.status === "running" || s.status === "waiting")).toEqual([]);
  const live = await (await request.get("/api/v1/environments/api-canary/live", { headers: auth(admin) })).json();
  expect(live.environment.liveVersion).toBe("v1");
  expect(live.split).toMatchObject({ blue: 100, green: 0 });
  expect(new Set(await versionsServed("sy-api-canary-alb"))).toEqual(new Set(["v1"]));
});

test("a protected environment waits for a different deployer's approval", async ({ request }) => {
  await provisioned(request, "api-protected");
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
