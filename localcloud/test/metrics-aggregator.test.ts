/**
 * The ALB aggregator fed directly through the traffic bus (no HTTP): the ELB's own answers,
 * connection errors, late records of a minute already published, and records of load
 * balancers this cloud does not have.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { CreateLoadBalancerCommand, CreateTargetGroupCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { emitTraffic, type TrafficRecord } from "../src/dataplane/traffic.ts";
import { startTestCloud, type TestCloud } from "./helpers.ts";
import { series, seriesSum, simNow } from "./metrics-helpers.ts";
import { DescribeAlarmsCommand, ListMetricsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import { FINAL_AFTER_MINUTE_END_MS, streamDelayMs } from "../src/sim/metric-delay.ts";

let lc: TestCloud;
let lbArn: string;
let tgArn: string;
const lbSuffix = (arn: string) => arn.slice(arn.indexOf(":loadbalancer/") + ":loadbalancer/".length);
const tgSuffix = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);

beforeAll(async () => {
  // Speed 1: the test decides when minutes close (advance), nothing closes by itself meanwhile.
  lc = await startTestCloud({ speed: 1 });
  const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.50.0.0/16" }));
  const subnets = [];
  for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
    subnets.push(
      (await lc.ec2.send(new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: `10.50.${i}.0/24`, AvailabilityZone: az }))).Subnet!
        .SubnetId!,
    );
  }
  lbArn = (await lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "agg", Subnets: subnets }))).LoadBalancers![0].LoadBalancerArn!;
  tgArn = (await lc.elbv2.send(new CreateTargetGroupCommand({ Name: "agg-tg", Protocol: "HTTP", Port: 80, VpcId: Vpc!.VpcId! })))
    .TargetGroups![0].TargetGroupArn!;
});

afterAll(() => lc?.close());

const record = (fields: Partial<TrafficRecord>, at: number): TrafficRecord => ({
  region: "us-east-1",
  at,
  kind: "alb",
  loadBalancerArn: lbArn,
  targetGroupArn: tgArn,
  targetId: "i-0123456789abcdef0",
  status: 200,
  source: "target",
  targetResponseMs: 12,
  bytesOut: 100,
  ...fields,
});

describe("ALB aggregation", () => {
  it("counts ELB answers per load balancer only, connection errors per group, late records into their minute", async () => {
    const now = await simNow(lc);
    const minute = Math.floor(now / 60_000) * 60_000;
    for (let i = 0; i < 5; i++) emitTraffic(record({}, now));
    for (let i = 0; i < 3; i++) emitTraffic(record({ status: 503, source: "elb", targetId: null, targetResponseMs: undefined }, now));
    emitTraffic(record({ status: 502, source: "elb", targetResponseMs: undefined }, now));
    // Another cloud's load balancer (same process, same bus): ignored here.
    emitTraffic(record({ loadBalancerArn: lbArn.replace(/\/[0-9a-f]+$/, "/ffffffffffffffff") }, now));
    // Until CloudWatch shows the minute complete (1-3 minutes after it ends, 40 s more for its last part).
    await lc.advance(60_000 + FINAL_AFTER_MINUTE_END_MS);
    // A record of the published minute arriving late is added to it.
    emitTraffic(record({}, minute + 30_000));
    await lc.advance(10_000);

    const LoadBalancer = lbSuffix(lbArn);
    const TargetGroup = tgSuffix(tgArn);
    const window = { start: minute, end: minute + 60_000 };
    const sum = (metric: string, dims: Record<string, string>) =>
      seriesSum(lc, { namespace: "AWS/ApplicationELB", metric, dims, ...window });
    expect(await sum("RequestCount", { LoadBalancer })).toBe(10);
    expect(await sum("RequestCount", { TargetGroup, LoadBalancer })).toBe(10);
    expect(await sum("HTTPCode_Target_2XX_Count", { LoadBalancer })).toBe(6);
    expect(await sum("HTTPCode_ELB_5XX_Count", { LoadBalancer })).toBe(4);
    expect(await sum("HTTPCode_ELB_503_Count", { LoadBalancer })).toBe(3);
    expect(await sum("HTTPCode_ELB_502_Count", { LoadBalancer })).toBe(1);
    expect(await sum("HTTPCode_ELB_5XX_Count", { TargetGroup, LoadBalancer })).toBe(0);
    expect(await sum("TargetConnectionErrorCount", { TargetGroup, LoadBalancer })).toBe(1);
    const p50 = await series(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "TargetResponseTime",
      stat: "p50",
      dims: { LoadBalancer },
      ...window,
    });
    expect(p50.values).toEqual([0.012]);
    // Nothing for the minutes without traffic: count metrics are published only when non-zero.
    const later = await series(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "RequestCount",
      stat: "Sum",
      dims: { LoadBalancer },
      start: minute + 60_000,
      end: minute + 180_000,
    });
    expect(later.values).toEqual([]);
  });

  it("shows a minute 1-3 minutes after it ends, partial at first, complete 40 s later", async () => {
    // A fresh minute, entered 5 s in.
    const now = await simNow(lc);
    const minute = Math.floor(now / 60_000) * 60_000 + 60_000;
    await lc.advance(minute + 5_000 - now);
    // 4 answers in the minute's first third, 6 in its last third; 404s, a series this load balancer never had.
    for (let i = 0; i < 4; i++) emitTraffic(record({ status: 404 }, minute + 5_000));
    await lc.advance(40_000);
    for (let i = 0; i < 6; i++) emitTraffic(record({ status: 404 }, minute + 45_000));
    const LoadBalancer = lbSuffix(lbArn);
    const dims = [{ Name: "LoadBalancer", Value: LoadBalancer }];
    const delay = streamDelayMs("us-east-1", "AWS/ApplicationELB", {
      MetricName: "HTTPCode_Target_4XX_Count",
      Dimensions: dims,
      Timestamp: minute,
    });
    expect(delay).toBeGreaterThanOrEqual(60_000);
    expect(delay).toBeLessThanOrEqual(180_000);
    const end = minute + 60_000;
    const visible = async () => {
      const { Metrics } = await lc.cloudwatch.send(
        new ListMetricsCommand({
          Namespace: "AWS/ApplicationELB",
          MetricName: "HTTPCode_Target_4XX_Count",
          Dimensions: [{ Name: "LoadBalancer", Value: LoadBalancer }],
        }),
      );
      const listed = (Metrics ?? []).some((m) => m.Dimensions?.length === 1);
      const sum = await seriesSum(lc, {
        namespace: "AWS/ApplicationELB",
        metric: "HTTPCode_Target_4XX_Count",
        dims: { LoadBalancer },
        start: minute,
        end,
      });
      return { listed, sum };
    };
    const advanceTo = async (t: number) => lc.advance(Math.max(0, t - (await simNow(lc))));

    await advanceTo(end + delay - 2_000);
    expect(await visible()).toEqual({ listed: false, sum: 0 });
    await advanceTo(end + delay + 2_000);
    expect(await visible()).toEqual({ listed: true, sum: 4 });
    await advanceTo(end + delay + 42_000);
    expect(await visible()).toEqual({ listed: true, sum: 10 });
  });

  it("evaluates an alarm on a delayed metric once the minute is complete, not before", async () => {
    const LoadBalancer = lbSuffix(lbArn);
    await lc.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: "agg-3xx",
        Namespace: "AWS/ApplicationELB",
        MetricName: "HTTPCode_Target_3XX_Count",
        Statistic: "Sum",
        Dimensions: [{ Name: "LoadBalancer", Value: LoadBalancer }],
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 5,
        ComparisonOperator: "GreaterThanThreshold",
        TreatMissingData: "notBreaching",
      }),
    );
    const now = await simNow(lc);
    const minute = Math.floor(now / 60_000) * 60_000 + 60_000;
    await lc.advance(minute + 5_000 - now);
    for (let i = 0; i < 10; i++) emitTraffic(record({ status: 302 }, minute + 5_000));
    const end = minute + 60_000;
    const state = async () => (await lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["agg-3xx"] }))).MetricAlarms![0];
    const advanceTo = async (t: number) => lc.advance(Math.max(0, t - (await simNow(lc))));
    // The datapoint may already be visible (1-3 minutes after the minute), but it is not complete yet.
    await advanceTo(end + 190_000);
    expect((await state()).StateValue).toBe("OK");
    await advanceTo(end + FINAL_AFTER_MINUTE_END_MS + 40_000);
    const alarm = await state();
    expect(alarm.StateValue).toBe("ALARM");
    expect(alarm.StateReason).toContain("[10.0 (");
  });
});
