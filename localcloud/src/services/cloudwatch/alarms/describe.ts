/** DescribeAlarms and DescribeAlarmsForMetric (metric alarms only; composite alarms are not modelled). */
import { AwsError, type RequestContext, type ModelDocument } from "../../../core/types.ts";
import { fingerprint, pageOf } from "../../../core/paging.ts";
import { cwPages } from "../state.ts";
import { regionAlarms, toMetricAlarm } from "./store.ts";
import type { PutMetricAlarmInput } from "./put.ts";

interface DescribeAlarmsInput {
  AlarmNames?: string[];
  AlarmNamePrefix?: string;
  AlarmTypes?: string[];
  StateValue?: string;
  ActionPrefix?: string;
  MaxRecords?: number;
  NextToken?: string;
  ChildrenOfAlarmName?: string;
  ParentsOfAlarmName?: string;
}

const STATES = ["OK", "ALARM", "INSUFFICIENT_DATA"];
const invalidValue = (message: string) => new AwsError("InvalidParameterValue", message, 400);

export function describeAlarms(input: DescribeAlarmsInput, ctx: RequestContext) {
  if (input.AlarmNames?.length && input.AlarmNamePrefix) {
    throw new AwsError("InvalidParameterCombination", "AlarmNamePrefix and AlarmNames cannot be specified together.", 400);
  }
  if ((input.AlarmNames?.length ?? 0) > 100) throw invalidValue("The collection AlarmNames must not have a size greater than 100.");
  if (input.StateValue !== undefined && !STATES.includes(input.StateValue))
    throw invalidValue(`The value ${input.StateValue} for parameter StateValue is invalid.`);
  const maxRecords = input.MaxRecords ?? 50;
  if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100)
    throw invalidValue("The parameter MaxRecords must be between 1 and 100.");
  const types = input.AlarmTypes?.length ? input.AlarmTypes : ["MetricAlarm"];
  for (const t of types)
    if (t !== "MetricAlarm" && t !== "CompositeAlarm") throw invalidValue(`The value ${t} for parameter AlarmTypes is invalid.`);

  const wantMetricAlarms = types.includes("MetricAlarm") && !input.ChildrenOfAlarmName && !input.ParentsOfAlarmName;
  const names = input.AlarmNames?.length ? new Set(input.AlarmNames) : undefined;
  const matches = wantMetricAlarms
    ? regionAlarms(ctx.cloud, ctx.region)
        .filter((a) => !names || names.has(a.config.AlarmName))
        .filter((a) => !input.AlarmNamePrefix || a.config.AlarmName.startsWith(input.AlarmNamePrefix))
        .filter((a) => !input.StateValue || a.state === input.StateValue)
        .filter((a) => {
          if (!input.ActionPrefix) return true;
          const c = a.config;
          return [...c.AlarmActions, ...c.OKActions, ...c.InsufficientDataActions].some((arn: string) =>
            arn.startsWith(input.ActionPrefix!),
          );
        })
    : [];
  const fp = fingerprint([ctx.region, input.AlarmNames, input.AlarmNamePrefix, types, input.StateValue, input.ActionPrefix, maxRecords]);
  const page = pageOf(matches, input.NextToken, maxRecords, cwPages(fp, maxRecords));
  return {
    MetricAlarms: page.items.map(toMetricAlarm),
    CompositeAlarms: types.includes("CompositeAlarm") ? [] : undefined,
    NextToken: page.next,
  };
}

/** The metric an alarm watches, named as PutMetricAlarm names it. */
type DescribeAlarmsForMetricInput = Pick<
  PutMetricAlarmInput,
  "MetricName" | "Namespace" | "Statistic" | "ExtendedStatistic" | "Dimensions" | "Period" | "Unit"
>;

const sameDimensions = (a: Array<{ Name: string; Value: string }> = [], b: Array<{ Name: string; Value: string }> = []) => {
  const key = (d: Array<{ Name: string; Value: string }>) =>
    d
      .map((x) => `${x.Name}=${x.Value}`)
      .sort()
      .join("\u0001");
  return key(a) === key(b);
};

/** Alarms watching the metric: directly, or as one of the metrics of a metric math alarm. */
export function describeAlarmsForMetric(input: DescribeAlarmsForMetricInput, ctx: RequestContext) {
  if (!input.MetricName) throw new AwsError("MissingParameter", "The parameter MetricName is required.", 400);
  if (!input.Namespace) throw new AwsError("MissingParameter", "The parameter Namespace is required.", 400);
  const watches = (
    m: { MetricName?: string; Namespace?: string; Dimensions?: Array<{ Name: string; Value: string }> },
    stat: string | undefined,
    period: number | undefined,
    unit: string | undefined,
  ) =>
    m.MetricName === input.MetricName &&
    m.Namespace === input.Namespace &&
    (input.Dimensions === undefined || sameDimensions(m.Dimensions, input.Dimensions)) &&
    (input.Statistic === undefined || stat === input.Statistic) &&
    (input.ExtendedStatistic === undefined || stat === input.ExtendedStatistic) &&
    (input.Period === undefined || period === input.Period) &&
    (input.Unit === undefined || unit === input.Unit);
  const alarms = regionAlarms(ctx.cloud, ctx.region).filter((a) => {
    const c = a.config;
    if (c.Metrics)
      return c.Metrics.some(
        (q: ModelDocument) => q.MetricStat && watches(q.MetricStat.Metric, q.MetricStat.Stat, q.MetricStat.Period, q.MetricStat.Unit),
      );
    return watches(c, c.Statistic ?? c.ExtendedStatistic, c.Period, c.Unit);
  });
  return { MetricAlarms: alarms.map(toMetricAlarm) };
}
