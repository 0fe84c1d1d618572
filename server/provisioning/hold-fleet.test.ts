import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type RunningLocalCloud } from "../../localcloud/src/index.ts";
import { awsClients, destroyAwsClients } from "../aws/clients.ts";
import { DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from "../aws/sdk.ts";
import { db } from "../db/client.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { spec as specOf } from "../../testing/fixtures.ts";
import * as p from "./index.ts";
import { provision, testEnvironment, until } from "./test-helpers.ts";

/**
 * A warm fleet that is warm (issue 11): the previous fleet keeps the capacity it had when the
 * shift began through the rollback window, although its target-tracking policy (CPU, idle at 0%
 * of the traffic) would scale it in; released, it does scale in. A rollback onto a warm fleet
 * that became too small, or onto one scaled to zero after the window, scales it first and only
 * then shifts; the shift is confirmed by traffic, and the cloud's load sees no failed request.
 * The local cloud runs 200 simulated seconds per wall second.
 */
const SPEED = 200;
let lc: RunningLocalCloud;
let dataDir: string;
let accountId: string;
let envId: string = randomUUID();
const spec: EnvironmentSpec = specOf("hold", {
  capacity: { min: 3, desired: 3, max: 4 },
  database: null,
  cloudfront: false,
});
const base = () => ({ accountId, envId, spec });
let out: Awaited<ReturnType<typeof provision>>;

async function admin<T>(p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${lc.url}/_localcloud/${p}`, body ? { method: "POST", body: JSON.stringify(body) } : undefined);
  if (!res.ok) throw new Error(`local cloud ${p}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
const loadFailures = async () => {
  const { loads } = await admin<{ loads: Array<{ target: string; targetRef?: string; ok: number; failed: number }> }>("load");
  const mine = loads.filter((l) => `${l.target} ${l.targetRef ?? ""}`.includes("hold"));
  return { ok: mine.reduce((n, l) => n + l.ok, 0), failed: mine.reduce((n, l) => n + l.failed, 0) };
};
const aws = () =>
  awsClients({ id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url }, "us-east-1");
const group = async (slot: p.Slot) =>
  (await aws().autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [`sy-hold-${slot}`] })))
    .AutoScalingGroups![0];
const weights = (w: Record<p.Slot, number>) =>
  p.setListenerWeights({
    ...base(),
    listenerArn: out.loadBalancer.listenerArn,
    blueTg: out.loadBalancer.targetGroupArns.blue,
    greenTg: out.loadBalancer.targetGroupArns.green,
    weights: w,
  });
const confirmInput = (slot: p.Slot, version: string) => ({
  ...base(),
  slot,
  version,
  listenerArn: out.loadBalancer.listenerArn,
  loadBalancer: { name: "sy-hold-alb", dnsName: out.loadBalancer.dnsName },
});
const stack = () => ({
  loadBalancer: { arn: out.loadBalancer.loadBalancerArn, dnsName: out.loadBalancer.dnsName, listenerArn: out.loadBalancer.listenerArn },
  targetGroups: {
    blue: { arn: out.loadBalancer.targetGroupArns.blue },
    green: { arn: out.loadBalancer.targetGroupArns.green },
  },
});
/** Watches a group for `simulatedMinutes`, returning the lowest desired and in-service counts seen. */
async function watch(slot: p.Slot, simulatedMinutes: number) {
  const until = Date.now() + (simulatedMinutes * 60_000) / SPEED;
  let lowestDesired = Infinity;
  let lowestInService = Infinity;
  while (Date.now() < until) {
    const g = await group(slot);
    lowestDesired = Math.min(lowestDesired, g.DesiredCapacity ?? 0);
    lowestInService = Math.min(lowestInService, (g.Instances ?? []).filter((i) => i.LifecycleState === "InService").length);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { lowestDesired, lowestInService };
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "sy-hold-"));
  lc = await startLocalCloud({ port: 0, dataDir, speed: SPEED, defaultLoadRps: 10 });
  accountId = (
    await db.awsAccount.create({
      data: { name: `lc-${envId.slice(0, 8)}`, defaultRegion: "us-east-1", endpointUrl: lc.url, isLocal: true },
    })
  ).id;
  envId = await testEnvironment(accountId, spec);
  out = await provision(base());
  // The new version on green, filled to blue's capacity, as a rollout's fill-idle does.
  const v2 = await p.createLaunchTemplateVersion({ ...base(), version: "v2", slot: "green" });
  await p.setFleetCapacity({
    ...base(),
    slot: "green",
    capacity: { min: 3, desired: 3, max: 4 },
    launchTemplateVersion: v2.launchTemplateVersion,
  });
  await until(() => p.waitFleetHealthy({ ...base(), slot: "green", launchTemplateVersion: v2.launchTemplateVersion }), {
    timeoutMs: 60_000,
    intervalMs: 200,
  });
  // The load reaches the listener before anything moves.
  await until(async () => ({ done: (await loadFailures()).ok > 20, detail: null }), { timeoutMs: 30_000, intervalMs: 250 });
}, 180_000);

afterAll(async () => {
  destroyAwsClients();
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the previous fleet through the rollback window", () => {
  it("keeps its capacity at 0% of the traffic while held, and scales in once released", async () => {
    const before = await loadFailures();
    // A fleet whose minimum is below its capacity (what target tracking may shrink it to).
    // The clock is all but stopped while the minimum drops and the hold is taken, so target
    // tracking cannot act in between.
    await admin("clock", { speed: 0.001 });
    await aws().autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "sy-hold-blue", MinSize: 1 }));
    const hold = await p.holdFleetCapacity({ ...base(), slot: "blue" });
    expect(hold).toMatchObject({ heldAt: 3, originalMin: 1, desired: 3 });
    // A retried step keeps what was recorded first.
    expect(await p.holdFleetCapacity({ ...base(), slot: "blue" })).toMatchObject({ heldAt: 3, originalMin: 1 });
    await weights({ blue: 0, green: 100 });
    await admin("clock", { speed: SPEED });

    // 30 simulated minutes at 0% of the traffic: twice the 15 minutes of the scale-in alarm.
    expect(await watch("blue", 30)).toEqual({ lowestDesired: 3, lowestInService: 3 });
    const readiness = await p.rollbackReadiness({ ...base(), warmSlot: "blue", stack: stack() });
    expect(readiness).toMatchObject({ warmInstances: 3, heldAt: 3, mode: "instant", enough: true });
    expect(readiness.summary).toMatch(/^rollback in ~1 s: 3 warm instances for .* \(enough\)$/);

    // Released (the window is over, or the next rollout): the same policy scales it in.
    const released = await p.releaseFleetHold({ ...base(), slot: "blue" });
    expect(released).toMatchObject({ released: true, min: 1 });
    expect((await group("blue")).Tags?.some((t) => t.Key === p.HELD_MIN_TAG)).toBe(false);
    await until(async () => ({ done: ((await group("blue")).DesiredCapacity ?? 3) < 3, detail: null }), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
    expect((await loadFailures()).failed - before.failed).toBe(0);
  }, 90_000);

  it("a rollback onto a warm fleet too small for today's traffic scales it up first, then shifts, confirmed by traffic", async () => {
    const before = await loadFailures();
    // Target tracking took the released fleet below the capacity today's traffic needs.
    const shrunk = await until(
      async () => {
        const g = await group("blue");
        const inService = (g.Instances ?? []).filter((i) => i.LifecycleState === "InService").length;
        const desired = g.DesiredCapacity ?? 3;
        return { done: desired < 3 && inService === desired && (g.Instances ?? []).length === desired, detail: desired };
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const readiness = await p.rollbackReadiness({ ...base(), warmSlot: "blue", stack: stack() });
    expect(readiness).toMatchObject({ warmInstances: shrunk, needed: 3, mode: "scale-up", enough: false });
    expect(readiness.summary).toMatch(/^rollback scales up first: [12] warm instances? for .* \(3 needed\), then shifts$/);

    // The rollback workflow's order: scale up, wait for health, and only then the listener change.
    await p.setFleetCapacity({ ...base(), slot: "blue", capacity: { min: 3, desired: 3, max: 4 } });
    const healthy = await until(() => p.waitFleetHealthy({ ...base(), slot: "blue" }), { timeoutMs: 60_000, intervalMs: 200 });
    expect(healthy).toMatchObject({ desired: 3, onVersionHealthy: 3 });
    await weights({ blue: 100, green: 0 });
    const confirmed = await p.confirmTraffic(confirmInput("blue", "v1"));
    expect(confirmed).toMatchObject({ ok: true, requests: p.CONFIRM_RUN });
    expect((await loadFailures()).failed - before.failed).toBe(0);
  }, 90_000);

  it("after the window (the fleet at zero, drained first) the readiness says refill, and the refilled fleet takes the traffic back", async () => {
    const before = await loadFailures();
    // Green, now at 0%, is scaled down only once the listener change outlived its deregistration delay.
    const since = (await p.serverClock(base())).now;
    const first = await p.drainStatus({ ...base(), slot: "green", since });
    expect(first).toMatchObject({ done: false, detail: { delaySeconds: 30 } });
    const drained = await until(() => p.drainStatus({ ...base(), slot: "green", since }), { timeoutMs: 30_000, intervalMs: 100 });
    expect(drained.inForceSeconds).toBeGreaterThan(30);
    await p.setFleetCapacity({ ...base(), slot: "green", capacity: { min: 0, desired: 0, max: 0 } });
    await until(async () => ({ done: ((await group("green")).Instances ?? []).length === 0, detail: null }), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    const readiness = await p.rollbackReadiness({ ...base(), warmSlot: "green", stack: stack() });
    expect(readiness).toMatchObject({ warmInstances: 0, mode: "refill", enough: false });

    // The rollback to v2 refills green first, waits, then shifts.
    await p.setFleetCapacity({ ...base(), slot: "green", capacity: { min: 3, desired: 3, max: 4 } });
    await until(() => p.waitFleetHealthy({ ...base(), slot: "green" }), { timeoutMs: 60_000, intervalMs: 200 });
    await weights({ blue: 0, green: 100 });
    expect(await p.confirmTraffic(confirmInput("green", "v2"))).toMatchObject({ ok: true });
    // A listener that still answers the other version is not confirmed.
    const wrong = await p.confirmTraffic({ ...confirmInput("blue", "v1"), deadlineMs: 2_000 });
    expect(wrong.ok).toBe(false);
    expect(wrong.summary).toMatch(/did not answer v1 10 times in a row/);
    expect((await loadFailures()).failed - before.failed).toBe(0);
  }, 120_000);
});

describe("target group stickiness during canary steps", () => {
  it("keeps a viewer on the version it first got while a step is sticky; weights without it move everyone", async () => {
    const { loadBalancers } = await admin<{ loadBalancers: Array<{ name: string; listeners: Array<{ url: string }> }> }>("endpoints");
    const url = loadBalancers.find((l) => l.name === "sy-hold-alb")!.listeners[0].url;
    const ask = async (cookie?: string) => {
      const res = await fetch(`${url}/`, { headers: cookie ? { cookie } : {} });
      return { version: res.headers.get("x-app-version"), cookie: res.headers.getSetCookie()[0]?.split(";")[0] };
    };
    await p.setListenerWeights({
      ...base(),
      listenerArn: out.loadBalancer.listenerArn,
      blueTg: out.loadBalancer.targetGroupArns.blue,
      greenTg: out.loadBalancer.targetGroupArns.green,
      weights: { blue: 50, green: 50 },
      stickySeconds: 600,
    });
    const first = await ask();
    expect(first.cookie).toMatch(/^AWSALBTG=/);
    const seen = new Set<string | null>();
    for (let i = 0; i < 12; i++) seen.add((await ask(first.cookie)).version);
    expect([...seen]).toEqual([first.version]);
    // A rollback (or the 100% step) sets the weights without stickiness: the cookie no longer holds anyone.
    await weights({ blue: 100, green: 0 });
    for (let i = 0; i < 5; i++) expect((await ask(first.cookie)).version).toBe("v1");
  });
});

describe("confirming a rollback by traffic", () => {
  const a = (version: string | null, instanceId: string | null = "i-1", status: number | null = 200) => ({
    instanceId,
    status,
    version,
    error: null,
  });
  it("needs an unbroken run of answers from the previous version, from its fleet", () => {
    const run = Array.from({ length: p.CONFIRM_RUN }, () => a("v1"));
    expect(p.confirmedAt([a("v2"), ...run], "v1", new Set(["i-1"]))).toBe(p.CONFIRM_RUN);
    // One answer from the version rolled back from, or an error, starts the run again.
    expect(p.confirmedAt([...run.slice(1), a("v2"), ...run.slice(1)], "v1", new Set(["i-1"]))).toBe(-1);
    expect(p.confirmedAt([...run.slice(1), a("v1", "i-1", 502)], "v1", new Set(["i-1"]))).toBe(-1);
    // An instance outside the fleet gone back to does not count, even with the right version.
    expect(
      p.confirmedAt(
        Array.from({ length: 12 }, () => a("v1", "i-9")),
        "v1",
        new Set(["i-1"]),
      ),
    ).toBe(-1);
    // An app that reports neither version nor instance can only answer well, ten times in a row (as the probe accepts).
    const silent = (status = 200) => a(null, null, status);
    expect(
      p.confirmedAt(
        Array.from({ length: 12 }, () => silent()),
        "v1",
        new Set(["i-1"]),
      ),
    ).toBe(p.CONFIRM_RUN - 1);
    expect(
      p.confirmedAt(
        Array.from({ length: 12 }, (_, i) => silent(i === 5 ? 503 : 200)),
        "v1",
        new Set(),
      ),
    ).toBe(-1);
  });
});

describe("rollback readiness verdicts", () => {
  it("counts the live fleet's capacity and, with a requests-per-target policy, the request rate", () => {
    expect(p.judgeReadiness({ warmInstances: 4, liveDesired: 4, requestsPerSecond: 38, scaling: { metric: "cpu", target: 50 } })).toEqual({
      needed: 4,
      enough: true,
      mode: "instant",
      summary: "rollback in ~1 s: 4 warm instances for 38 req/s (enough)",
    });
    // 38 req/s = 2280 per minute; at 500 per target that needs 5.
    expect(
      p.judgeReadiness({
        warmInstances: 4,
        liveDesired: 4,
        requestsPerSecond: 38,
        scaling: { metric: "requests_per_target", target: 500 },
      }),
    ).toMatchObject({ needed: 5, enough: false, mode: "scale-up" });
    expect(p.judgeReadiness({ warmInstances: 0, liveDesired: 2, requestsPerSecond: null, scaling: null })).toMatchObject({
      mode: "refill",
      needed: 2,
    });
  });
});
