/**
 * A rollout survives the Switchyard server being killed in the middle of it.
 *
 * One `next start` on this file's database (Postgres workflow world in the same database),
 * a local cloud in this process (speed 60) with real HTTP load on every listener (the cloud's
 * default load, 20 requests/s). Provision, start a canary rollout of v2, SIGKILL the server's
 * whole process group, start a new server on the same database, and check: the rollout
 * completes (v2 live and served), the local cloud created nothing twice, and no request of
 * the load failed during the rollout. Two kill points:
 *   - while the rollout waits for the new fleet (wait-healthy) or bakes its first shift;
 *   - inside a step: while the cloud holds the launch-template step's
 *     CreateLaunchTemplateVersion call (a 2 s latency fault), so the step is re-run by the
 *     new server and must find, not re-create, the version the killed call created.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type RunningLocalCloud } from "../../localcloud/src/index.ts";
import { ensureLocalAccount } from "../accounts/accounts.ts";
import { spec } from "../../testing/fixtures.ts";
import {
  ApiClient,
  describeSteps,
  operationSettled,
  startAppServer,
  stopAllServers,
  waitForOperation,
  type AppServer,
  type Operation,
} from "../../testing/servers.ts";

const TOKEN = "durability-admin-token-0123456789abcdef";
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
/** The load profile on an environment's load balancer (the cloud's default load: 20 wall requests/s). */
async function loadOn(env: string): Promise<LoadProfile> {
  const { loads } = await admin<{ loads: LoadProfile[] }>("load");
  const mine = loads.filter((l) => `${l.target} ${l.targetRef ?? ""}`.includes(env));
  if (mine.length !== 1) throw new Error(`expected one load profile on ${env}'s load balancer, found ${JSON.stringify(loads)}`);
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

const versionOf = async (url: string) => ((await (await fetch(url)).json()) as { version: string }).version;

/** Creates a small environment (no database, no CloudFront, 2/2/4, canary 50,100 with 6 s bakes) and provisions it. */
async function provisioned(name: string) {
  await api.expect(201, "POST", "/api/v1/environments", {
    ...spec(name, {
      app: {
        version: "v1",
        source: { kind: "al2023", userData: "#!/bin/bash\n# localcloud: boot_seconds=5 latency_ms=5\nexport APP_VERSION={{version}}\n" },
      },
      database: null,
      cloudfront: false,
      capacity: { min: 2, desired: 2, max: 4 },
      rollout: { strategy: "canary", canarySteps: [50, 100], bakeMinutes: 0.1 },
      rollbackWindowMinutes: 0,
    }),
  });
  const provision = await api.expect<Operation>(202, "POST", `/api/v1/environments/${name}/provision`);
  const done = await waitForOperation(api, name, provision.id, operationSettled, { timeoutMs: 90_000, what: `provisioning ${name}` });
  expect(done.status, describeSteps(done)).toBe("succeeded");
  // The cloud's default load reaches the new load balancer once its listener is up; wait until it is served.
  let load: LoadProfile | null = null;
  const deadline = Date.now() + 20_000;
  while (!load || load.ok < 20) {
    if (Date.now() > deadline) throw new Error(`the local cloud's default load never reached ${name}: ${JSON.stringify(load)}`);
    await new Promise((r) => setTimeout(r, 250));
    load = await loadOn(name).catch(() => null);
  }
  const { loadBalancers } = await admin<{ loadBalancers: Array<{ name: string; listeners: Array<{ url: string }> }> }>("endpoints");
  const lb = loadBalancers.find((l) => l.name.includes(name));
  if (!lb) throw new Error(`no load balancer for ${name} among ${JSON.stringify(loadBalancers)}`);
  return { listenerUrl: lb.listeners[0].url };
}

/**
 * Starts a rollout, kills the server (SIGKILL to its process group) as soon as `killWhen(op)`
 * holds (checked every 100 ms), starts a new server on the same database, and waits for the
 * rollout to settle.
 */
async function rolloutAcrossACrash(
  name: string,
  version: string,
  killWhen: (op: Operation) => boolean | Promise<boolean>,
  what: string,
  beforeRestart?: () => Promise<void>,
) {
  const rollout = await api.expect<Operation>(202, "POST", `/api/v1/environments/${name}/deployments`, { version });
  expect(rollout.toVersion).toBe(version);
  let killPoint: Operation | null = null;
  for (const deadline = Date.now() + 60_000; ; ) {
    const op = await api.expect<Operation>(200, "GET", `/api/v1/environments/${name}/deployments/${rollout.id}`);
    if (operationSettled(op) || (await killWhen(op))) {
      killPoint = op;
      break;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${describeSteps(op)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // ("pending" for a moment: the first step is marked running just before the operation is.)
  expect(["pending", "running"], `the rollout ended before the server could be killed:\n${describeSteps(killPoint)}`).toContain(
    killPoint.status,
  );
  await server.kill();
  const killedDuring = killPoint.steps.filter((s) => ["running", "waiting"].includes(s.status)).map((s) => s.key);
  // Nothing serves the API now: the old server is really gone.
  await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
  await beforeRestart?.();

  // A new server process on the same database takes the rollout over.
  server = await startAppServer({ name: `after-kill-${version}`, env: bootstrapEnv });
  api.baseUrl = server.url;
  const done = await waitForOperation(api, name, rollout.id, operationSettled, {
    timeoutMs: 150_000,
    what: `the rollout to complete after the restart (killed during ${killedDuring.join(", ")})`,
  });
  const steps = describeSteps(done);
  expect(done.status, steps).toBe("succeeded");
  for (const s of done.steps) expect(s.status, `step ${s.key}\n${steps}`).toBe("succeeded");
  const live = await api.expect(200, "GET", `/api/v1/environments/${name}/live`);
  expect(live.environment.liveVersion).toBe(version);
  expect(live.environment.busy).toBe(false);
  return { done, killedDuring, steps, live };
}

async function launchTemplateVersions(name: string) {
  const ec2 = new EC2Client({ endpoint: cloud.url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  try {
    const templates = (await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
    const mine = templates.filter((t) => t.LaunchTemplateName?.includes(name));
    expect(mine.length, JSON.stringify(templates.map((t) => t.LaunchTemplateName))).toBe(1);
    const versions =
      (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: mine[0].LaunchTemplateId }))).LaunchTemplateVersions ??
      [];
    return versions.map((v) => v.VersionDescription ?? "").sort();
  } finally {
    ec2.destroy();
  }
}

const n = (calls: Record<string, number>, op: string) => calls[op] ?? 0;
/** Counts of the calls that create resources (tags and metric data aside), but `except`. */
const creates = (calls: Record<string, number>, except: string[]) =>
  Object.fromEntries(
    Object.entries(calls).filter(([op]) => /:(Create|Run|Put)/.test(op) && !/Tags|MetricData/.test(op) && !except.includes(op)),
  );

describe("a rollout when the Switchyard server is killed in the middle of it", () => {
  it("killed while the new fleet comes up: completes on a new server process, creates nothing twice and fails no request", async () => {
    const t0 = Date.now();
    const { listenerUrl } = await provisioned("durable");
    const provisionedAt = Date.now();
    const afterProvision = await stats();
    const loadBefore = await loadOn("durable");

    const { killedDuring, steps, live } = await rolloutAcrossACrash(
      "durable",
      "v2",
      (op) => {
        const step = (k: string) => op.steps.find((s) => s.key === k)?.status;
        return ["running", "waiting"].includes(step("wait-healthy") ?? "") || step("shift-50") === "running";
      },
      "the rollout to reach wait-healthy or shift-50",
    );
    expect(live.environment.liveSlot).toBe("green");

    // The listener serves v2 only.
    for (let i = 0; i < 20; i++) expect(await versionOf(`${listenerUrl}/`)).toBe("v2");

    // Nothing created twice: one new launch template version (v2), every other resource as provisioned.
    const after = await stats();
    expect(n(after, "ec2:CreateLaunchTemplateVersion") - n(afterProvision, "ec2:CreateLaunchTemplateVersion")).toBe(1);
    expect(n(after, "ec2:CreateLaunchTemplate")).toBe(1);
    expect(n(after, "autoscaling:CreateAutoScalingGroup")).toBe(2);
    expect(n(after, "elasticloadbalancing:CreateLoadBalancer")).toBe(1);
    expect(n(after, "elasticloadbalancing:CreateTargetGroup")).toBe(2);
    expect(n(after, "elasticloadbalancing:CreateListener")).toBe(1);
    expect(n(after, "ec2:CreateVpc")).toBe(1);
    // Switchyard's probes of the new fleet: two listener rules (probe-new's, deleted when it ends,
    // and the one the canary steps' probes keep until promote), each created once even across the kill.
    expect(n(after, "elasticloadbalancing:CreateRule") - n(afterProvision, "elasticloadbalancing:CreateRule")).toBe(2);
    // The delivery contract's slots/green/version: one write, also across the kill.
    expect(n(after, "ssm:PutParameter") - n(afterProvision, "ssm:PutParameter")).toBe(1);
    const except = ["ec2:CreateLaunchTemplateVersion", "elasticloadbalancing:CreateRule", "ssm:PutParameter"];
    expect(creates(after, except), "create calls made during the rollout").toEqual(creates(afterProvision, except));
    expect(await launchTemplateVersions("durable")).toEqual(["v1 (blue)", "v2 (green)"]);
    const { instances } = await admin<{ instances: Array<{ version: string; state: string }> }>("instances");
    expect(instances.filter((i) => i.version === "v2").length, JSON.stringify(instances)).toBe(2);

    // The load on the listener never failed during the rollout, kill and restart included.
    const loadAfter = await loadOn("durable");
    expect(loadAfter.failed - loadBefore.failed, `load during the rollout: ${JSON.stringify(loadAfter)}`).toBe(0);
    expect(loadAfter.ok - loadBefore.ok).toBeGreaterThan(100);
    console.log(
      `[durability] provisioned in ${((provisionedAt - t0) / 1000).toFixed(1)} s; rollout across the kill (during ${killedDuring.join(", ")}) in ${((Date.now() - provisionedAt) / 1000).toFixed(1)} s; load ok=${loadAfter.ok - loadBefore.ok} failed=${loadAfter.failed - loadBefore.failed}\n${steps}`,
    );
  }, 240_000);

  it("killed inside a step (creating the launch template version): the step runs again and creates nothing twice", async () => {
    const t0 = Date.now();
    const { listenerUrl } = await provisioned("midstep");
    const loadBefore = await loadOn("midstep");
    const versionsBefore = await launchTemplateVersions("midstep");
    expect(versionsBefore).toEqual(["v1 (blue)"]);
    // Hold CreateLaunchTemplateVersion for 2 s in the cloud, so the kill lands while the step waits for it.
    const { fault } = await admin<{ fault: { id: string } }>("faults", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ match: "ec2:CreateLaunchTemplateVersion", latencyMs: 2_000 }),
    });
    const callsBefore = await stats();
    const created = async () => n(await stats(), "ec2:CreateLaunchTemplateVersion") - n(callsBefore, "ec2:CreateLaunchTemplateVersion");
    let heldAtKill = -1;
    const { done, killedDuring, steps } = await rolloutAcrossACrash(
      "midstep",
      "v2",
      // Kill once the step's CreateLaunchTemplateVersion call has reached the cloud (which holds it 2 s).
      async (op) => op.steps.find((s) => s.key === "launch-template")?.status === "running" && (await created()) > 0,
      "the launch-template step to call CreateLaunchTemplateVersion",
      async () => {
        heldAtKill = await created();
        await admin(`faults/${fault.id}`, { method: "DELETE" });
      },
    );
    expect(heldAtKill, "CreateLaunchTemplateVersion calls that had reached the cloud when the server was killed").toBe(1);
    expect(killedDuring).toEqual(["launch-template"]);
    // The step really ran again on the new server (at least once: steps may repeat, their effects must not).
    expect(done.steps.find((s) => s.key === "launch-template")!.attempts, steps).toBe(2);
    expect(await launchTemplateVersions("midstep")).toEqual(["v1 (blue)", "v2 (green)"]);
    for (let i = 0; i < 20; i++) expect(await versionOf(`${listenerUrl}/`)).toBe("v2");
    const loadAfter = await loadOn("midstep");
    expect(loadAfter.failed - loadBefore.failed, `load during the rollout: ${JSON.stringify(loadAfter)}`).toBe(0);
    console.log(
      `[durability] mid-step kill: provision + rollout in ${((Date.now() - t0) / 1000).toFixed(1)} s; load ok=${loadAfter.ok - loadBefore.ok} failed=${loadAfter.failed - loadBefore.failed}\n${steps}`,
    );
  }, 240_000);
});
