/**
 * Target tracking driven by real traffic: the load generator's spike profile sends HTTP through
 * the listener; the ALB metrics make RequestCountPerTarget climb; the policy's AlarmHigh fires
 * and the group scales OUT by itself (in proportion, once per warm-up), then after the spike
 * AlarmLow (15 of 15 minutes below 90 % of the target) scales it back IN one step at a time.
 * Speed 120: one wall second is two simulated minutes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  PutScalingPolicyCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import { eventually, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, waitForHealthy, type WebStack } from "./stack-helpers.ts";
import { series, simNow } from "./metrics-helpers.ts";

const lbSuffix = (arn: string) => arn.slice(arn.indexOf(":loadbalancer/") + ":loadbalancer/".length);
const tgSuffix = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);
const TARGET = 30;

let lc: TestCloud;
let stack: WebStack;
let groupName: string;

async function desired(): Promise<number> {
  const { AutoScalingGroups } = await lc.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }));
  return AutoScalingGroups![0].DesiredCapacity!;
}

async function causes(): Promise<string[]> {
  const { Activities } = await lc.autoscaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: groupName }));
  return Activities!.map((a) => a.Cause!);
}

beforeAll(async () => {
  lc = await startTestCloud({ speed: 120 });
  stack = await buildWebStack(lc, { name: "spiky", fleets: [{ name: "app", version: "v1", capacity: 1, minSize: 1, maxSize: 6 }] });
  groupName = stack.fleets.app.autoScalingGroupName;
  // Warm-up covers boot, registration, two health checks, a full minute of traffic on the new instances AND the
  // 1-3 minutes CloudWatch takes to show that minute (as on AWS, a shorter warm-up scales out again on stale data).
  await lc.autoscaling.send(
    new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: groupName, DefaultInstanceWarmup: 420, DefaultCooldown: 60 }),
  );
  await waitForHealthy(lc, stack.fleets.app.targetGroupArn, 1);
}, 30_000);

afterAll(async () => {
  await lc?.admin("DELETE", "load");
  await lc?.close();
});

describe("target tracking on ALBRequestCountPerTarget", () => {
  it("scales out on a load spike and back in after it, with AWS's causes", async () => {
    const { Alarms } = await lc.autoscaling.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: groupName,
        PolicyName: "requests-per-target",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: {
            PredefinedMetricType: "ALBRequestCountPerTarget",
            ResourceLabel: `${lbSuffix(stack.loadBalancerArn)}/${tgSuffix(stack.fleets.app.targetGroupArn)}`,
          },
          TargetValue: TARGET,
        },
      }),
    );
    const high = Alarms!.find((a) => a.AlarmName!.includes("-AlarmHigh-"))!.AlarmName!;
    const low = Alarms!.find((a) => a.AlarmName!.includes("-AlarmLow-"))!.AlarmName!;
    const started = await simNow(lc);

    // 10 rps, then 160 rps for 25 simulated minutes (80 requests per simulated minute on one target): long enough
    // for a second step after a 7-minute warm-up, since CloudWatch shows each minute 1-3 minutes late.
    const created = await lc.admin("POST", "load", {
      target: stack.name,
      profile: "spike",
      rps: 10,
      spikeRps: 160,
      spikeAtSeconds: 120,
      spikeDurationSeconds: 1500,
    });
    expect(created.status).toBe(201);
    expect(created.body.load).toMatchObject({ profile: "spike", targetKind: "loadBalancer", targetRef: stack.loadBalancerArn });

    let peak = 1;
    await eventually(
      async () => {
        peak = Math.max(peak, await desired());
        return peak >= 3;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    // Activities are listed newest first: the first scale-out starts from the single instance.
    const outs = (await causes()).filter((c) => c.includes(high)).reverse();
    expect(outs[0]).toMatch(
      new RegExp(
        `a monitor alarm ${high} in state ALARM triggered policy requests-per-target changing the desired capacity from 1 to [2-6]\\.`,
      ),
    );
    // Real instances: launched, registered, healthy, serving.
    await waitForHealthy(lc, stack.fleets.app.targetGroupArn, 3, 20_000);

    // After the spike: AlarmLow needs 15 quiet minutes, then the group shrinks one instance per cooldown.
    await eventually(
      async () => {
        peak = Math.max(peak, await desired());
        return (await desired()) === 1;
      },
      { timeoutMs: 40_000, intervalMs: 200 },
    );
    // Proportional with warm-up: 80 requests per target on one target against a target of 30 asks for 3; while the
    // new instances warm up the same breach adds nothing more.
    expect(peak).toBeLessThanOrEqual(4);
    const ins = (await causes()).filter((c) => c.includes(low));
    expect(ins.length).toBeGreaterThanOrEqual(2);
    for (const c of ins) expect(c).toMatch(/changing the desired capacity from (\d+) to (\d+)\./);
    for (const c of ins) {
      const [, from, to] = /from (\d+) to (\d+)\./.exec(c)!.map(Number);
      expect(from - to).toBe(1);
    }

    // The metric that drove it, as a dashboard reads it.
    const perTarget = await series(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "RequestCountPerTarget",
      stat: "Sum",
      dims: { TargetGroup: tgSuffix(stack.fleets.app.targetGroupArn) },
      start: started,
      end: await simNow(lc),
    });
    expect(Math.max(...perTarget.values)).toBeGreaterThan(TARGET);
    expect(Math.min(...perTarget.values)).toBeLessThan(TARGET * 0.9);
  }, 90_000);
});
