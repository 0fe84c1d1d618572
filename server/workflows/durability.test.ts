/**
 * A rollout survives the Switchyard server being killed in the middle of it.
 *
 * One `next start` on this file's database (Postgres workflow world in the same database),
 * a local cloud in this process with real HTTP load on the listener. Provision, start a
 * canary rollout of v2, SIGKILL the server's whole process group while the rollout waits for
 * the new fleet or bakes its first shift, start a new server on the same database, and check:
 * the rollout completes (v2 live and served), the local cloud created nothing twice, and no
 * request of the load failed during the rollout.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type RunningLocalCloud } from "../../localcloud/src/index.ts";
import { ensureLocalAccount } from "../accounts/accounts.ts";
import { spec } from "../testing/fixtures.ts";
import { ApiClient, describeSteps, operationSettled, startAppServer, stopAllServers, waitForOperation, type AppServer, type Operation } from "../testing/servers.ts";

const TOKEN = "durability-admin-token-0123456789abcdef";
const ENV = "durable";
const bootstrapEnv = {
  SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: "admin@durability.test",
  SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: "durability-password-123",
  SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
};

let cloud: RunningLocalCloud;
let dataDir: string;
let server: AppServer;
const api = new ApiClient("", TOKEN);

interface LoadProfile {
  id: string;
  target: string;
  targetRef?: string;
  default?: boolean;
  status: string;
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  errors?: unknown;
}

async function admin<T = any>(p: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${cloud.url}/_localcloud/${p}`, init);
  if (!res.ok) throw new Error(`local cloud ${p}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const stats = async () => (await admin<{ calls: Record<string, number> }>("stats")).calls;
/** The load profile on our load balancer (the cloud's default load: 20 wall requests/s). */
async function loadOnListener(): Promise<LoadProfile> {
  const { loads } = await admin<{ loads: LoadProfile[] }>("load");
  const mine = loads.filter((l) => `${l.target} ${l.targetRef ?? ""}`.includes(ENV));
  if (mine.length !== 1) throw new Error(`expected one load profile on ${ENV}'s load balancer, found ${JSON.stringify(loads)}`);
  return mine[0];
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-durability-"));
  cloud = await startLocalCloud({ port: 0, dataDir, speed: 60, defaultLoadRps: 20 });
  await ensureLocalAccount(cloud.url);
  server = await startAppServer({ name: "first", env: bootstrapEnv });
  api.baseUrl = server.url;
}, 600_000);

afterAll(async () => {
  await stopAllServers();
  await cloud?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("a rollout when the Switchyard server is killed in the middle of it", () => {
  it("completes on a new server process, creates nothing twice and fails no request", async () => {
    const t0 = Date.now();
    const timings: Record<string, number> = {};
    const mark = (k: string) => (timings[k] = Math.round((Date.now() - t0) / 100) / 10);

    await api.expect(201, "POST", "/api/v1/environments", {
      ...spec(ENV, {
        app: { version: "v1", source: { kind: "al2023", userData: "#!/bin/bash\n# localcloud: boot_seconds=5 latency_ms=5\nexport APP_VERSION={{version}}\n" } },
        database: null,
        cloudfront: false,
        capacity: { min: 2, desired: 2, max: 4 },
        rollout: { strategy: "canary", canarySteps: [50, 100], bakeMinutes: 0.1 },
        rollbackWindowMinutes: 0,
      }),
    });
    const provision = await api.expect<Operation>(202, "POST", `/api/v1/environments/${ENV}/provision`);
    const provisioned = await waitForOperation(api, ENV, provision.id, operationSettled, { timeoutMs: 90_000, what: "provisioning" });
    expect(provisioned.status, describeSteps(provisioned)).toBe("succeeded");
    mark("provisioned");
    const afterProvision = await stats();

    // The default load reaches the new load balancer once its listener is up; wait until it is served.
    let loadBefore: LoadProfile | null = null;
    const loadDeadline = Date.now() + 20_000;
    while (!loadBefore || loadBefore.ok < 20) {
      if (Date.now() > loadDeadline) throw new Error(`the local cloud's default load never reached ${ENV}: ${JSON.stringify(loadBefore)}`);
      await new Promise((r) => setTimeout(r, 250));
      loadBefore = await loadOnListener().catch(() => null);
    }

    const rollout = await api.expect<Operation>(202, "POST", `/api/v1/environments/${ENV}/deployments`, { version: "v2" });
    expect(rollout.toVersion).toBe("v2");

    // Kill the server as soon as the rollout waits for the new fleet or bakes its first shift.
    const killPoint = await waitForOperation(
      api,
      ENV,
      rollout.id,
      (op) => {
        const step = (k: string) => op.steps.find((s) => s.key === k)?.status;
        return ["running", "waiting"].includes(step("wait-healthy") ?? "") || step("shift-50") === "running" || operationSettled(op);
      },
      { timeoutMs: 60_000, what: "the rollout to reach wait-healthy or shift-50", intervalMs: 100 },
    );
    expect(killPoint.status, `the rollout ended before the server could be killed:\n${describeSteps(killPoint)}`).toBe("running");
    await server.kill();
    mark("killed");
    const killedAt = killPoint.steps.filter((s) => ["running", "waiting"].includes(s.status)).map((s) => s.key);
    // Nothing serves the API now: the old server is really gone.
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();

    // A new server process on the same database takes the rollout over.
    server = await startAppServer({ name: "second", env: bootstrapEnv });
    api.baseUrl = server.url;
    mark("restarted");
    const done = await waitForOperation(api, ENV, rollout.id, operationSettled, { timeoutMs: 150_000, what: `the rollout to complete after the restart (killed during ${killedAt.join(", ")})` });
    mark("rollout-complete");
    const steps = describeSteps(done);
    expect(done.status, steps).toBe("succeeded");
    for (const s of done.steps) expect(s.status, `step ${s.key}\n${steps}`).toBe("succeeded");

    const live = await api.expect(200, "GET", `/api/v1/environments/${ENV}/live`);
    expect(live.environment.liveVersion).toBe("v2");
    expect(live.environment.liveSlot).toBe("green");
    expect(live.environment.busy).toBe(false);

    // The listener serves v2 only.
    const { loadBalancers } = await admin<{ loadBalancers: Array<{ name: string; listeners: Array<{ url: string }> }> }>("endpoints");
    const lb = loadBalancers.find((l) => l.name.includes(ENV));
    expect(lb, JSON.stringify(loadBalancers)).toBeDefined();
    const served = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${lb!.listeners[0].url}/`);
      expect(res.status).toBe(200);
      served.add(((await res.json()) as { version: string }).version);
    }
    expect([...served]).toEqual(["v2"]);

    // Nothing created twice: one new launch template version (v2), every other resource as provisioned.
    const after = await stats();
    const n = (calls: Record<string, number>, op: string) => calls[op] ?? 0;
    expect(n(after, "ec2:CreateLaunchTemplateVersion") - n(afterProvision, "ec2:CreateLaunchTemplateVersion")).toBe(1);
    expect(n(after, "ec2:CreateLaunchTemplate")).toBe(1);
    expect(n(after, "autoscaling:CreateAutoScalingGroup")).toBe(2);
    expect(n(after, "elasticloadbalancing:CreateLoadBalancer")).toBe(1);
    expect(n(after, "elasticloadbalancing:CreateTargetGroup")).toBe(2);
    expect(n(after, "elasticloadbalancing:CreateListener")).toBe(1);
    expect(n(after, "ec2:CreateVpc")).toBe(1);
    const creates = (calls: Record<string, number>) =>
      Object.fromEntries(Object.entries(calls).filter(([op]) => /:(Create|Run|Put)/.test(op) && !/Tags|MetricData|LaunchTemplateVersion$/.test(op)));
    expect(creates(after), "create calls made during the rollout").toEqual(creates(afterProvision));
    const versions = await fetch(`${cloud.url}/_localcloud/instances`).then((r) => r.json() as Promise<{ instances: Array<{ version: string; state: string }> }>);
    expect(versions.instances.filter((i) => i.version === "v2").length, JSON.stringify(versions.instances)).toBe(2);

    // The load on the listener never failed during the rollout, kill and restart included.
    const loadAfter = await loadOnListener();
    expect(loadAfter.failed - loadBefore.failed, `load during the rollout: ${JSON.stringify(loadAfter)}`).toBe(0);
    expect(loadAfter.ok - loadBefore.ok).toBeGreaterThan(100);
    mark("checked");
    console.log(`[durability] timings (s since the test began): ${JSON.stringify(timings)}; killed during ${killedAt.join(", ")}; load ok=${loadAfter.ok - loadBefore.ok} failed=${loadAfter.failed - loadBefore.failed}\n${steps}`);
  }, 300_000);
});
