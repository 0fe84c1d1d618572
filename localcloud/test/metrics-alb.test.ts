/**
 * ALB and EC2 metrics from real traffic: requests sent through the listener port come back
 * from GetMetricData as the series AWS would publish (counts per minute only when non-zero,
 * per load balancer and per target group, response-time percentiles, host counts every
 * minute, CPU derived from the load).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, waitForHealthy, type WebStack } from "./stack-helpers.ts";
import { agent, sendMany, series, seriesSum, simNow, type Reply } from "./metrics-helpers.ts";
import { FINAL_AFTER_MINUTE_END_MS } from "../src/sim/metric-delay.ts";

const lbSuffix = (arn: string) => arn.slice(arn.indexOf(":loadbalancer/") + ":loadbalancer/".length);
const tgSuffix = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);

let lc: TestCloud;
let stack: WebStack;
let replies: Reply[];
let start: number;
let end: number;
const SENT = 600;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 100 });
  stack = await buildWebStack(lc, {
    name: "shop",
    fleets: [
      { name: "blue", version: "v1", capacity: 2, latency_ms: 30, cpu_per_rps: 40, monitoring: true },
      { name: "green", version: "v2", capacity: 2, latency_ms: 2, error_rate: 0.25 },
    ],
    weights: { blue: 50, green: 50 },
  });
  await waitForHealthy(lc, stack.fleets.blue.targetGroupArn, 2);
  await waitForHealthy(lc, stack.fleets.green.targetGroupArn, 2);
  start = (await simNow(lc)) - 60_000;
  const out = await sendMany(`${stack.url}/products`, SENT, 8);
  replies = out.filter((r): r is Reply => !(r instanceof Error));
  // Close the last minute and wait, as a client on AWS must, until CloudWatch shows it complete (1-3 minutes after
  // it ends, then up to 40 s more).
  await lc.advance(60_000 + FINAL_AFTER_MINUTE_END_MS);
  end = (await simNow(lc)) + 60_000;
}, 60_000);

afterAll(async () => {
  agent.destroy();
  await lc?.close();
});

const versionOf = (r: Reply) => {
  try {
    return JSON.parse(r.body).version as string;
  } catch {
    return undefined;
  }
};

describe("AWS/ApplicationELB from traffic", () => {
  it("counts every request per load balancer and per target group", async () => {
    expect(replies.length).toBe(SENT);
    const LoadBalancer = lbSuffix(stack.loadBalancerArn);
    const total = await seriesSum(lc, { namespace: "AWS/ApplicationELB", metric: "RequestCount", dims: { LoadBalancer }, start, end });
    expect(Math.abs(total - SENT)).toBeLessThanOrEqual(SENT * 0.01);
    const blueReplies = replies.filter((r) => versionOf(r) === "v1").length;
    const blue = await seriesSum(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "RequestCount",
      start,
      end,
      dims: { TargetGroup: tgSuffix(stack.fleets.blue.targetGroupArn), LoadBalancer },
    });
    const green = await seriesSum(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "RequestCount",
      start,
      end,
      dims: { TargetGroup: tgSuffix(stack.fleets.green.targetGroupArn), LoadBalancer },
    });
    expect(blue).toBe(blueReplies);
    expect(blue + green).toBe(total);
    // Split by weight 50/50: both fleets got a fair share.
    expect(blue).toBeGreaterThan(SENT * 0.3);
    expect(green).toBeGreaterThan(SENT * 0.3);
  });

  it("reports target 5xx per fleet matching the injected error rate, and no 5xx series for the healthy fleet", async () => {
    const LoadBalancer = lbSuffix(stack.loadBalancerArn);
    const errors = replies.filter((r) => r.status === 500).length;
    expect(errors).toBeGreaterThan(0);
    const greenDims = { TargetGroup: tgSuffix(stack.fleets.green.targetGroupArn), LoadBalancer };
    expect(await seriesSum(lc, { namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", dims: greenDims, start, end })).toBe(
      errors,
    );
    expect(
      await seriesSum(lc, { namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_5XX_Count", dims: { LoadBalancer }, start, end }),
    ).toBe(errors);
    const blue5xx = await series(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "HTTPCode_Target_5XX_Count",
      stat: "Sum",
      start,
      end,
      dims: { TargetGroup: tgSuffix(stack.fleets.blue.targetGroupArn), LoadBalancer },
    });
    expect(blue5xx.values).toEqual([]);
    const ok = replies.filter((r) => r.status === 200).length;
    expect(
      await seriesSum(lc, { namespace: "AWS/ApplicationELB", metric: "HTTPCode_Target_2XX_Count", dims: { LoadBalancer }, start, end }),
    ).toBe(ok);
  });

  it("publishes TargetResponseTime as a distribution: p95 follows the injected latency", async () => {
    const LoadBalancer = lbSuffix(stack.loadBalancerArn);
    const p95 = await series(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "TargetResponseTime",
      stat: "p95",
      start,
      end,
      period: 3600,
      dims: { TargetGroup: tgSuffix(stack.fleets.blue.targetGroupArn), LoadBalancer },
    });
    expect(p95.values.length).toBeGreaterThan(0);
    expect(p95.values[0]).toBeGreaterThanOrEqual(0.029);
    expect(p95.values[0]).toBeLessThan(0.25);
    const greenP50 = await series(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "TargetResponseTime",
      stat: "p50",
      start,
      end,
      period: 3600,
      dims: { TargetGroup: tgSuffix(stack.fleets.green.targetGroupArn), LoadBalancer },
    });
    expect(greenP50.values[0]).toBeLessThan(p95.values[0]);
  });

  it("publishes healthy host counts every minute, traffic or not, and RequestCountPerTarget per target group", async () => {
    const LoadBalancer = lbSuffix(stack.loadBalancerArn);
    const TargetGroup = tgSuffix(stack.fleets.blue.targetGroupArn);
    // From the first minute that started with both targets healthy (the one before holds initial-state samples).
    const settled = start + 120_000;
    // Every minute CloudWatch must show complete by now, including the quiet minutes after the traffic.
    const shown = (await simNow(lc)) - FINAL_AFTER_MINUTE_END_MS;
    const healthy = await series(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "HealthyHostCount",
      stat: "Minimum",
      dims: { TargetGroup, LoadBalancer },
      start: settled,
      end: shown,
    });
    expect(healthy.values.length).toBeGreaterThanOrEqual(Math.floor((shown - 60_000 - settled) / 60_000) - 1);
    expect(new Set(healthy.values)).toEqual(new Set([2]));
    const unhealthy = await series(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "UnHealthyHostCount",
      stat: "Maximum",
      dims: { TargetGroup, LoadBalancer },
      start: settled,
      end,
    });
    expect(new Set(unhealthy.values)).toEqual(new Set([0]));
    const blue = await seriesSum(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "RequestCount",
      dims: { TargetGroup, LoadBalancer },
      start,
      end,
    });
    const perTarget = await seriesSum(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "RequestCountPerTarget",
      dims: { TargetGroup },
      start,
      end,
    });
    expect(perTarget).toBeCloseTo(blue / 2, 5);
  });
});

describe("AWS/EC2 from load", () => {
  it("derives CPU per instance and per group from the requests each instance served", async () => {
    const { body } = await lc.admin("GET", "instances");
    const blueIds: string[] = body.instances.filter((i: any) => i.version === "v1").map((i: any) => i.id);
    expect(blueIds.length).toBe(2);
    for (const id of blueIds) {
      const cpu = await series(lc, {
        namespace: "AWS/EC2",
        metric: "CPUUtilization",
        stat: "Maximum",
        dims: { InstanceId: id },
        start,
        end,
      });
      // 40 % per simulated rps: the minutes with traffic stand well above the ~2 % baseline.
      expect(Math.max(...cpu.values)).toBeGreaterThan(5);
      expect(Math.min(...cpu.values)).toBeLessThan(4);
    }
    const group = await series(lc, {
      namespace: "AWS/EC2",
      metric: "CPUUtilization",
      stat: "Average",
      dims: { AutoScalingGroupName: stack.fleets.blue.autoScalingGroupName },
      start,
      end,
    });
    expect(Math.max(...group.values)).toBeGreaterThan(5);
    const net = await seriesSum(lc, {
      namespace: "AWS/EC2",
      metric: "NetworkOut",
      dims: { AutoScalingGroupName: stack.fleets.blue.autoScalingGroupName },
      start,
      end,
    });
    expect(net).toBeGreaterThan(0);
  });

  it("publishes every 5 minutes under basic monitoring and every minute under detailed monitoring", async () => {
    // Let a 5-minute period close for sure.
    await lc.advance(300_000);
    const now = await simNow(lc);
    const { body } = await lc.admin("GET", "instances");
    const idOf = (version: string) => body.instances.find((i: { version: string }) => i.version === version).id as string;
    const window = { start: now - 900_000, end: now, stat: "Average" };
    const basic = await series(lc, { namespace: "AWS/EC2", metric: "CPUUtilization", dims: { InstanceId: idOf("v2") }, ...window });
    expect(basic.timestamps.length).toBeGreaterThan(0);
    expect(basic.timestamps.every((t) => t % 300_000 === 0)).toBe(true);
    const detailed = await series(lc, { namespace: "AWS/EC2", metric: "CPUUtilization", dims: { InstanceId: idOf("v1") }, ...window });
    expect(detailed.timestamps.some((t) => t % 300_000 !== 0)).toBe(true);
    // Status checks are per minute whatever the monitoring, as on AWS.
    const checks = await series(lc, {
      namespace: "AWS/EC2",
      metric: "StatusCheckFailed",
      dims: { InstanceId: idOf("v2") },
      ...window,
      start: now - 300_000,
    });
    expect(checks.timestamps.length).toBeGreaterThanOrEqual(4);
  });
});
