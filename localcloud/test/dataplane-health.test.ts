/**
 * Data plane, health: target groups really GET their health check path on each instance app;
 * AWS's reasons come out of real failures; an instance failing its checks stops getting
 * traffic within the health-check window and Auto Scaling (HealthCheckType ELB) replaces it;
 * a draining target finishes its in-flight request and gets no new ones.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeAutoScalingGroupsCommand, DescribeScalingActivitiesCommand } from "@aws-sdk/client-auto-scaling";
import { DeregisterTargetsCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { eventually, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, targetStates, waitForHealthy, type WebStack } from "./stack-helpers.ts";
import { instanceLoad, onTraffic, type TrafficRecord } from "../src/dataplane/index.ts";

const SPEED = 50;
const INTERVAL_S = 5;
const UNHEALTHY_THRESHOLD = 2;

let lc: TestCloud;
let web: WebStack;
const traffic: TrafficRecord[] = [];
const unsubscribe = onTraffic((r) => traffic.push(r));

async function instanceOf(url: string): Promise<{ status: number; instanceId?: string }> {
  const res = await fetch(url);
  const body = (await res.json().catch(() => ({}))) as { instanceId?: string };
  return { status: res.status, instanceId: body.instanceId };
}

beforeAll(async () => {
  lc = await startTestCloud({ speed: SPEED });
  web = await buildWebStack(lc, {
    name: "web",
    fleets: [{ name: "app", version: "v1", capacity: 2, healthCheckType: "ELB", healthCheckGracePeriod: 20, deregistrationDelay: 300 }],
    healthCheck: { intervalSeconds: INTERVAL_S, unhealthyThreshold: UNHEALTHY_THRESHOLD, healthyThreshold: 2, timeoutSeconds: 2 },
  });
  await waitForHealthy(lc, web.fleets.app.targetGroupArn, 2);
});

afterAll(async () => {
  unsubscribe();
  await lc?.close();
});

describe("health checks through real HTTP", () => {
  it("reports AWS's reasons: connection refused while booting, a wrong status code, a timeout", async () => {
    const odd = await buildWebStack(lc, {
      name: "odd",
      fleets: [
        { name: "broken", version: "v9", capacity: 1, health: "fail" },
        { name: "slowboot", version: "v1", capacity: 1, boot_seconds: 600 },
      ],
      weights: { broken: 1 },
    });
    const broken = (await eventually(async () =>
      Object.values(await targetStates(lc, odd.fleets.broken.targetGroupArn)).find((t) => t.state === "unhealthy"),
    ))!;
    expect(broken.reason).toBe("Target.ResponseCodeMismatch");
    const { TargetHealthDescriptions } = await lc.elbv2.send(
      new DescribeTargetHealthCommand({ TargetGroupArn: odd.fleets.broken.targetGroupArn }),
    );
    expect(TargetHealthDescriptions![0].TargetHealth!.Description).toBe("Health checks failed with these codes: [500]");
    // Fail-open, as AWS does: every target of the group is unhealthy, so they all still get requests (other paths work).
    const served = await fetch(`${odd.url}/`);
    expect(served.status).toBe(200);
    expect(((await served.json()) as { version: string }).version).toBe("v9");

    // The app of "slowboot" does not listen for 600 simulated s: connection refused -> Target.FailedHealthChecks.
    const booting = (await eventually(async () =>
      Object.values(await targetStates(lc, odd.fleets.slowboot.targetGroupArn)).find((t) => t.state === "unhealthy"),
    ))!;
    expect(booting.reason).toBe("Target.FailedHealthChecks");
    const { body } = await lc.admin("GET", "instances");
    expect(body.instances.filter((i: any) => i.state === "booting").length).toBeGreaterThanOrEqual(1);

    // An app slower than HealthCheckTimeoutSeconds (2 s, wall like every request latency) -> Target.Timeout.
    const [slowId] = Object.keys(await targetStates(lc, odd.fleets.broken.targetGroupArn));
    expect((await lc.admin("POST", `instances/${slowId}`, { health: "ok", latencyMs: 2600 })).status).toBe(200);
    const timedOut = await eventually(
      async () => (await targetStates(lc, odd.fleets.broken.targetGroupArn))[slowId]?.reason === "Target.Timeout",
      { timeoutMs: 30_000 },
    );
    expect(timedOut).toBe(true);
  }, 60_000);

  it("stops routing to an instance marked unhealthy within the health-check window, then Auto Scaling replaces it", async () => {
    const healthy = await waitForHealthy(lc, web.fleets.app.targetGroupArn, 2);
    const victim = healthy[0];
    // Past the 20 s grace period of both instances (simulated time runs fast).
    await new Promise((r) => setTimeout(r, (20_000 / SPEED) * 2));
    let stop = false;
    const load = (async () => {
      while (!stop) {
        await instanceOf(`${web.url}/work`);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const markedAt = lc.cloud.now();
    expect((await lc.admin("POST", `instances/${victim}`, { health: "fail" })).body).toMatchObject({ id: victim, health: "fail" });

    // Unhealthy after UnhealthyThreshold failed checks (reason from the real 500), and no longer routed to.
    const state = (await eventually(async () => {
      const s = (await targetStates(lc, web.fleets.app.targetGroupArn))[victim];
      return s?.state === "unhealthy" || s === undefined ? (s ?? { state: "gone" }) : undefined;
    }))!;
    expect(["unhealthy", "draining", "gone"]).toContain(state.state);
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await load;
    const toVictim = traffic.filter((r) => r.loadBalancerArn === web.loadBalancerArn && r.targetId === victim && r.at >= markedAt);
    const lastServed = Math.max(markedAt, ...toVictim.map((r) => r.at));
    // Window: threshold x interval, plus one interval for where the check cycle stood, plus a tick of slack.
    const windowMs = (UNHEALTHY_THRESHOLD + 1) * INTERVAL_S * 1000 + 5_000;
    expect(lastServed - markedAt).toBeLessThanOrEqual(windowMs);
    const after = traffic.filter((r) => r.loadBalancerArn === web.loadBalancerArn && r.at > markedAt + windowMs);
    expect(after.length).toBeGreaterThan(20);
    expect(after.every((r) => r.targetId !== victim && r.status === 200)).toBe(true);

    // Auto Scaling (HealthCheckType ELB) takes it out of service and launches a replacement that becomes healthy.
    const replaced = (await eventually(async () => {
      const { AutoScalingGroups } = await lc.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [web.fleets.app.autoScalingGroupName] }),
      );
      const ids = (AutoScalingGroups![0].Instances ?? []).filter((i) => i.LifecycleState === "InService").map((i) => i.InstanceId!);
      return ids.length === 2 && !ids.includes(victim) ? ids : undefined;
    }))!;
    const nowHealthy = await waitForHealthy(lc, web.fleets.app.targetGroupArn, 2);
    expect(nowHealthy.sort()).toEqual(replaced.sort());
    const { Activities } = await lc.autoscaling.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: web.fleets.app.autoScalingGroupName }),
    );
    expect(Activities!.some((a) => a.Cause?.includes("ELB system health check failure") && a.Description?.includes(victim))).toBe(true);
  }, 60_000);

  it("lets a draining target finish its in-flight request while new requests go elsewhere", async () => {
    const healthy = await waitForHealthy(lc, web.fleets.app.targetGroupArn, 2);
    const slow = fetch(`${web.url}/report?sleep_ms=2500`).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { instanceId: string },
    }));
    const busy = (await eventually(() => healthy.find((id) => instanceLoad(id).inFlight > 0)))!;
    await lc.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: web.fleets.app.targetGroupArn, Targets: [{ Id: busy, Port: 80 }] }));
    expect((await targetStates(lc, web.fleets.app.targetGroupArn))[busy]?.state).toBe("draining");
    for (let i = 0; i < 10; i++) {
      const r = await instanceOf(`${web.url}/`);
      expect(r.status).toBe(200);
      expect(r.instanceId).not.toBe(busy);
    }
    const done = await slow;
    expect(done.status).toBe(200);
    expect(done.body.instanceId).toBe(busy);
  });
});
