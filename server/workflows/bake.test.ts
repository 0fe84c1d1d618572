import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startLocalCloud, type RunningLocalCloud } from "../../localcloud/src/index.ts";
import { destroyAwsClients } from "../aws/clients.ts";
import { db } from "../db/client.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { spec as specOf } from "../../testing/fixtures.ts";
import * as p from "../provisioning/index.ts";
import { provision, testEnvironment, until } from "../provisioning/test-helpers.ts";
import type { BakeRefs } from "./bake-steps.ts";

/**
 * The bake of a canary step against the local cloud (real traffic, real delayed CloudWatch
 * metrics, real probes through the listener), outside the workflow engine: its hook is the one
 * thing replaced, so the test can approve a hold. A new fleet at 10% of a little traffic is
 * never passed: the bake extends, then holds for a deployer (approve continues) or rolls back,
 * as the spec says; a crashing version fails within seconds on Switchyard's own probes.
 */
const hook = vi.hoisted(() => ({ resolve: null as null | ((v: { approvedBy: string }) => void) }));
vi.mock("workflow", () => ({
  createHook: () => {
    const promise = new Promise<{ approvedBy: string }>((r) => {
      hook.resolve = r;
    });
    return Object.assign(promise, { token: "test", [Symbol.dispose]: () => undefined });
  },
}));
const { bakeShift } = await import("./bake.ts");

let lc: RunningLocalCloud;
let dataDir: string;
let accountId: string;
let envId: string = randomUUID();
const spec: EnvironmentSpec = specOf("bake", {
  capacity: { min: 1, desired: 1, max: 2 },
  database: null,
  cloudfront: false,
  // Wall clock: 3 s bakes, extended up to 18 s (the local cloud runs 120 simulated s per wall s).
  rollout: { strategy: "canary", canarySteps: [10, 50, 100], bakeMinutes: 0.05, maxBakeMinutes: 0.3, onUndecided: "hold" },
});
const base = (over: Partial<EnvironmentSpec["rollout"]> = {}) => ({
  accountId,
  envId,
  spec: { ...spec, rollout: { ...spec.rollout, ...over } },
});
let refs: BakeRefs;

async function deployment() {
  const d = await db.deployment.create({
    data: {
      environmentId: envId,
      kind: "rollout",
      status: "running",
      specVersion: 1,
      startedBy: "test",
      steps: { create: [{ key: "shift-10", label: "Shift 10% to v2", position: 0, status: "running" }] },
    },
  });
  return d.id;
}

/** Runs a bake, recording every phase its step shows meanwhile. */
async function bake(over: Partial<EnvironmentSpec["rollout"]> = {}, abort: Promise<unknown> = new Promise(() => undefined)) {
  const deploymentId = await deployment();
  const since = (await p.serverClock(base())).now;
  const phases = new Set<string>();
  let statuses = new Set<string>();
  let done = false;
  const watch = (async () => {
    while (!done) {
      const step = await db.deploymentStep.findFirst({ where: { deploymentId, key: "shift-10" } });
      const phase = (step?.detail as { bake?: { phase?: string } } | null)?.bake?.phase;
      if (phase) phases.add(phase);
      const d = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      statuses = new Set([...statuses, d.status]);
      if (phase === "holding" && d.status === "awaiting_approval") hook.resolve?.({ approvedBy: "dora@example.com" });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const started = Date.now();
  const end = await bakeShift({
    deploymentId,
    key: "shift-10",
    base: base(over),
    version: "v2",
    refs,
    since,
    isAborted: () => false,
    abortSignal: abort,
  }).finally(() => (done = true));
  await watch;
  return { end, phases, statuses, tookMs: Date.now() - started, deploymentId };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "sy-bake-"));
  lc = await startLocalCloud({ port: 0, dataDir, speed: 120, defaultLoadRps: 10 });
  accountId = (
    await db.awsAccount.create({
      data: { name: `lc-${envId.slice(0, 8)}`, defaultRegion: "us-east-1", endpointUrl: lc.url, isLocal: true },
    })
  ).id;
  envId = await testEnvironment(accountId, spec);
  await provision(base());
  const lt = await p.createLaunchTemplateVersion({ ...base(), version: "v2", slot: "green" });
  await p.setFleetCapacity({
    ...base(),
    slot: "green",
    capacity: { min: 1, desired: 1, max: 2 },
    launchTemplateVersion: lt.launchTemplateVersion,
  });
  await until(() => p.waitFleetHealthy({ ...base(), slot: "green", launchTemplateVersion: lt.launchTemplateVersion }), {
    timeoutMs: 90_000,
  });
  const stack = await p.readStack(base());
  const lb = stack.loadBalancer!;
  await p.setListenerWeights({
    ...base(),
    listenerArn: lb.listenerArn!,
    blueTg: stack.targetGroups.blue!.arn,
    greenTg: stack.targetGroups.green!.arn,
    weights: { blue: 90, green: 10 },
  });
  refs = {
    loadBalancerArn: lb.arn,
    listenerArn: lb.listenerArn!,
    loadBalancer: { name: `${stack.namePrefix ?? ""}bake-alb`, dnsName: lb.dnsName },
    canary: { slot: "green", targetGroupArn: stack.targetGroups.green!.arn },
    baseline: { slot: "blue", targetGroupArn: stack.targetGroups.blue!.arn },
  };
}, 180_000);

afterAll(async () => {
  destroyAwsClients();
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("a canary bake on too little traffic", () => {
  it("extends, then holds for a deployer; approving continues, and the verdict stays undecided", async () => {
    const { end, phases, statuses } = await bake();
    expect([...phases]).toEqual(expect.arrayContaining(["baking", "publishing", "extended", "holding"]));
    expect(statuses.has("awaiting_approval")).toBe(true);
    expect(end.kind).toBe("approved");
    if (end.kind !== "approved") return;
    expect(end.approvedBy).toBe("dora@example.com");
    expect(end.verdict.outcome).toBe("undecided");
    expect(end.verdict.rule).toMatch(/Not enough data/);
    // It judged complete minutes only and says which; the probes ran all along, without failures.
    expect(end.verdict.minutes.judged.length + end.verdict.minutes.missing.length).toBeGreaterThan(3);
    expect(end.verdict.probes!.requests).toBeGreaterThan(5);
    expect(end.verdict.probes!.failures).toBe(0);
  }, 120_000);

  it("rolls back instead when the spec says so", async () => {
    const { end, phases, statuses } = await bake({ onUndecided: "rollback" });
    expect(end.kind).toBe("undecided");
    expect(phases.has("extended")).toBe(true);
    expect(phases.has("holding")).toBe(false);
    expect(statuses.has("awaiting_approval")).toBe(false);
  }, 120_000);
});

describe("Switchyard's probes during the bake", () => {
  it("fail a crashing version within seconds, with their numbers", async () => {
    const { instances } = (await (await fetch(`${lc.url}/_localcloud/instances`)).json()) as {
      instances: Array<{ id: string; version: string; state: string }>;
    };
    const green = instances.filter((i) => i.version === "v2" && i.state === "serving");
    expect(green.length).toBeGreaterThan(0);
    for (const i of green) {
      const res = await fetch(`${lc.url}/_localcloud/instances/${i.id}`, { method: "POST", body: JSON.stringify({ errorRate: 1 }) });
      expect(res.status, await res.text()).toBe(200);
    }
    // Every request to / fails (the health check still passes, so Auto Scaling keeps the instance).
    // A long bake: only the probes can end it this soon.
    const { end, tookMs } = await bake({ bakeMinutes: 1, maxBakeMinutes: 1 });
    expect(end.kind).toBe("fail");
    if (end.kind !== "fail") return;
    expect(end.verdict.rule).toMatch(/Switchyard's probes of the new targets: \d+ of \d+ failed \(last: HTTP 500 on/);
    expect(tookMs).toBeLessThan(20_000);
  }, 60_000);
});
