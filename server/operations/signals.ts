/**
 * readBakeSignals: what the judge needs for one bake round, and nothing else (a bake round
 * never re-reads the whole stack): per complete minute of the window, for the new fleet's
 * target group and (except at 100%) the old one's, RequestCount, HTTPCode_Target_5XX_Count,
 * TargetConnectionErrorCount and TargetResponseTime p95, plus the new group's
 * UnHealthyHostCount, in ONE GetMetricData call; and the new fleet's alarms, by name prefix,
 * in one DescribeAlarms call.
 *
 * No FILL: a minute without a RequestCount datapoint is MISSING (null), never zero, since the
 * window holds only published minutes (bake-window.ts) and an absent datapoint there means
 * CloudWatch has nothing to say. Inside a minute that has requests, an absent 5xx or
 * connection-error datapoint is 0: the ALB publishes those counts only when non-zero.
 */
import type { MetricDataQuery } from "../aws/sdk.ts";
import { lbDimension, tgDimension } from "../provisioning/alarms.ts";
import { defineRead, type Slot, type StepInput } from "../provisioning/context.ts";
import { minutesOf, type Minute } from "./judge.ts";
import { describeAlarms, metricData } from "../aws/cloudwatch.ts";

export interface BakeSignalsInput extends StepInput {
  loadBalancerArn: string;
  /** The new fleet's slot and target group; the old one's (null at 100%: nothing to compare). */
  canary: { slot: Slot; targetGroupArn: string };
  baseline: { slot: Slot; targetGroupArn: string } | null;
  window: { from: string; to: string };
}

export interface BakeSignals {
  window: { from: string; to: string };
  canary: Minute[];
  baseline: Minute[];
  alarmsFiring: string[];
}

const COUNTS = [
  ["req", "RequestCount", "Sum"],
  ["err", "HTTPCode_Target_5XX_Count", "Sum"],
  ["conn", "TargetConnectionErrorCount", "Sum"],
  ["p95", "TargetResponseTime", "p95"],
] as const;

export const readBakeSignals = defineRead("read the new fleet's signals", async (input: BakeSignalsInput, ctx): Promise<BakeSignals> => {
  const minutes = minutesOf(input.window);
  const fleets = [
    ["canary", input.canary],
    ["baseline", input.baseline],
  ] as const;
  const queries: MetricDataQuery[] = [];
  for (const [who, fleet] of fleets) {
    if (!fleet) continue;
    const Dimensions = [
      { Name: "TargetGroup", Value: tgDimension(fleet.targetGroupArn) },
      { Name: "LoadBalancer", Value: lbDimension(input.loadBalancerArn) },
    ];
    const metrics = who === "canary" ? [...COUNTS, ["unhealthy", "UnHealthyHostCount", "Maximum"] as const] : COUNTS;
    for (const [id, MetricName, Stat] of metrics)
      queries.push({
        Id: `${id}_${who}`,
        MetricStat: { Metric: { Namespace: "AWS/ApplicationELB", MetricName, Dimensions }, Period: 60, Stat },
        ReturnData: true,
      });
  }
  const { byId: series } = minutes.length
    ? await metricData(ctx.aws.cloudwatch, queries, { start: new Date(input.window.from), end: new Date(input.window.to) })
    : { byId: new Map<string, Map<number, number>>() };
  const minutesFor = (who: "canary" | "baseline"): Minute[] =>
    minutes.map((t) => {
      const at = (id: string) => series.get(`${id}_${who}`)?.get(Date.parse(t));
      const requests = at("req");
      const p95 = at("p95");
      return {
        timestamp: t,
        requests: requests === undefined ? null : requests,
        errors5xx: at("err") ?? 0,
        connectionErrors: at("conn") ?? 0,
        p95LatencyMs: p95 === undefined ? null : Math.round(p95 * 10_000) / 10,
        ...(who === "canary" ? { unhealthyHosts: at("unhealthy") ?? null } : {}),
      };
    });

  const prefix = ctx.names.alarm(`${input.canary.slot}-`);
  const alarms = await describeAlarms(ctx.aws.cloudwatch, { prefix, state: "ALARM" });
  return {
    window: input.window,
    canary: minutesFor("canary"),
    baseline: input.baseline ? minutesFor("baseline") : [],
    alarmsFiring: alarms.map((a) => a.AlarmName ?? "").filter(Boolean),
  };
});
