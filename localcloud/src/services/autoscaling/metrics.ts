/** Group metrics: Enable/DisableMetricsCollection, and publishing AWS/AutoScaling Group* metrics each minute while enabled. */
import type { CloudApi, RequestContext } from "../../core/types.ts";
import { findGroup, validationError, type GroupRecord } from "./state.ts";

export const GROUP_METRICS = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupStandbyInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
  "GroupInServiceCapacity",
  "GroupPendingCapacity",
  "GroupStandbyCapacity",
  "GroupTerminatingCapacity",
  "GroupTotalCapacity",
];

const MINUTE_MS = 60_000;

export function enableMetricsCollection(
  input: { AutoScalingGroupName?: string; Metrics?: string[]; Granularity?: string },
  ctx: RequestContext,
) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  if (input.Granularity !== "1Minute")
    throw validationError(`Granularity ${input.Granularity} is not valid; the only valid value is 1Minute.`);
  const metrics = input.Metrics?.length ? input.Metrics : GROUP_METRICS;
  const unknown = metrics.filter((m) => !GROUP_METRICS.includes(m));
  if (unknown.length) throw validationError(`Invalid metrics: ${unknown.join(", ")}.`);
  const enabled = new Map(group.EnabledMetrics.map((m) => [m.Metric, m]));
  for (const metric of metrics) enabled.set(metric, { Metric: metric, Granularity: "1Minute" });
  group.EnabledMetrics = GROUP_METRICS.filter((m) => enabled.has(m)).map((m) => enabled.get(m)!);
  ctx.cloud.markDirty();
  return {};
}

export function disableMetricsCollection(input: { AutoScalingGroupName?: string; Metrics?: string[] }, ctx: RequestContext) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const metrics = input.Metrics?.length ? input.Metrics : GROUP_METRICS;
  group.EnabledMetrics = group.EnabledMetrics.filter((m) => !metrics.includes(m.Metric));
  ctx.cloud.markDirty();
  return {};
}

function groupMetricValues(group: GroupRecord): Record<string, number> {
  const count = (state: string) => group.Instances.filter((m) => m.LifecycleState === state).length;
  const inService = count("InService");
  const pending = count("Pending");
  const terminating = count("Terminating");
  return {
    GroupMinSize: group.MinSize,
    GroupMaxSize: group.MaxSize,
    GroupDesiredCapacity: group.DesiredCapacity,
    GroupInServiceInstances: inService,
    GroupPendingInstances: pending,
    GroupStandbyInstances: 0,
    GroupTerminatingInstances: terminating,
    GroupTotalInstances: inService + pending + terminating,
    GroupInServiceCapacity: inService,
    GroupPendingCapacity: pending,
    GroupStandbyCapacity: 0,
    GroupTerminatingCapacity: terminating,
    GroupTotalCapacity: inService + pending + terminating,
  };
}

/** Publishes once per simulated minute, stamped at the minute, as AWS's 1Minute granularity does. */
export function publishGroupMetrics(cloud: CloudApi, group: GroupRecord, now: number): void {
  if (group.EnabledMetrics.length === 0) return;
  const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  if (group.lastMetricsAt !== undefined && group.lastMetricsAt >= minute) return;
  group.lastMetricsAt = minute;
  const values = groupMetricValues(group);
  cloud.putMetricData(
    group.region,
    "AWS/AutoScaling",
    group.EnabledMetrics.map((m) => ({
      MetricName: m.Metric,
      Dimensions: [{ Name: "AutoScalingGroupName", Value: group.AutoScalingGroupName }],
      Timestamp: minute,
      Value: values[m.Metric],
      Unit: "None",
    })),
  );
  cloud.markDirty();
}
