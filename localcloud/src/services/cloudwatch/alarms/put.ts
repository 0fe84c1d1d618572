/**
 * PutMetricAlarm: creates an alarm in INSUFFICIENT_DATA, or overwrites the configuration of an
 * existing one while keeping its state (and its tags: Tags only apply on creation, as in AWS).
 */
import { AwsError, type CloudApi, type ModelDocument } from "../../../core/types.ts";
import { parseExpressions, validateQueries, type MetricDataQuery } from "../math/run-queries.ts";
import { isValidPeriod } from "../metric-query.ts";
import { BASIC_STATISTICS, isExtended, parseStat } from "../statistics.ts";
import { alarmArn, alarmKey, cwState, type StoredAlarm, validation } from "../state.ts";
import { firstEvaluationAt } from "./evaluate.ts";
import { appendHistory, historyView } from "./store.ts";

export interface PutMetricAlarmInput {
  AlarmName: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Array<{ Name: string; Value: string }>;
  Period?: number;
  Unit?: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold?: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: MetricDataQuery[];
  Tags?: Array<{ Key: string; Value: string }>;
  ThresholdMetricId?: string;
}

const OPERATORS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
  "LessThanLowerOrGreaterThanUpperThreshold",
  "LessThanLowerThreshold",
  "GreaterThanUpperThreshold",
];
const TREAT_MISSING = ["breaching", "notBreaching", "ignore", "missing"];
const missing = (name: string) => new AwsError("MissingParameter", `The parameter ${name} is required.`, 400);

function validate(input: PutMetricAlarmInput): void {
  if (!input.AlarmName) throw missing("AlarmName");
  if (input.AlarmName.length > 255) throw validation("The parameter AlarmName must be at most 255 characters long.");
  if (input.EvaluationPeriods === undefined || input.EvaluationPeriods === null) throw missing("EvaluationPeriods");
  if (!Number.isInteger(input.EvaluationPeriods) || input.EvaluationPeriods < 1)
    throw validation("The parameter EvaluationPeriods must be greater than or equal to 1.");
  if (!input.ComparisonOperator) throw missing("ComparisonOperator");
  if (!OPERATORS.includes(input.ComparisonOperator))
    throw validation(`The value ${input.ComparisonOperator} for parameter ComparisonOperator is invalid.`);
  if (input.DatapointsToAlarm !== undefined && (input.DatapointsToAlarm < 1 || input.DatapointsToAlarm > input.EvaluationPeriods)) {
    throw validation("DatapointsToAlarm must be between 1 and EvaluationPeriods.");
  }
  if (input.TreatMissingData !== undefined && !TREAT_MISSING.includes(input.TreatMissingData)) {
    throw validation(
      `The value ${input.TreatMissingData} for parameter TreatMissingData is invalid. Valid values are: ${TREAT_MISSING.join(", ")}.`,
    );
  }
  for (const list of ["OKActions", "AlarmActions", "InsufficientDataActions"] as const) {
    if ((input[list]?.length ?? 0) > 5) throw validation(`The collection ${list} must not have a size greater than 5.`);
  }
  const ranged = input.ComparisonOperator.includes("Lower") || input.ComparisonOperator.includes("Upper");
  if (ranged && !input.ThresholdMetricId) throw validation("ComparisonOperators for ranges require ThresholdMetricId to be set");
  if (!ranged && !input.ThresholdMetricId && (input.Threshold === undefined || input.Threshold === null)) throw missing("Threshold");

  let period: number;
  if (input.Metrics?.length) {
    for (const k of ["MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period"] as const) {
      if (input[k] !== undefined && !(Array.isArray(input[k]) && !input[k].length)) {
        throw validation(`The parameter ${k} cannot be specified together with Metrics.`);
      }
    }
    validateQueries(input.Metrics, "Metrics");
    parseExpressions(input.Metrics);
    const returning = input.Metrics.filter((q) => q.ReturnData !== false);
    if (returning.length !== 1 && input.Metrics.filter((q) => q.ReturnData === true).length !== 1) {
      throw validation("Exactly one element of the metrics list should return data.");
    }
    period = Math.max(...input.Metrics.map((q) => q.MetricStat?.Period ?? q.Period ?? 0)) || 60;
  } else {
    if (!input.MetricName) throw missing("MetricName");
    if (!input.Namespace) throw missing("Namespace");
    if (!!input.Statistic === !!input.ExtendedStatistic)
      throw validation("Exactly one of Statistic or ExtendedStatistic must be specified.");
    if (input.Statistic && !(BASIC_STATISTICS as readonly string[]).includes(input.Statistic))
      throw validation(`The value ${input.Statistic} for parameter Statistic is invalid.`);
    if (input.ExtendedStatistic) {
      const spec = parseStat(input.ExtendedStatistic);
      if (!spec || !isExtended(spec)) throw validation(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is invalid.`);
    }
    if (input.Period === undefined || input.Period === null) throw missing("Period");
    if (!isValidPeriod(input.Period) || [1, 5].includes(input.Period)) throw validation("Period must be 10, 30 or a multiple of 60.");
    period = input.Period;
  }
  // AWS: the evaluation range may not exceed one day (seven days for periods of an hour or more).
  const maxRange = period >= 3600 ? 7 * 86400 : 86400;
  if (period * input.EvaluationPeriods > maxRange) {
    throw validation(
      `The evaluation period of this alarm (Period * EvaluationPeriods) can't exceed ${maxRange === 86400 ? "one day" : "seven days"}.`,
    );
  }
}

/** Create or update an alarm (also used by Auto Scaling target tracking). Returns the stored alarm. */
export function putMetricAlarm(cloud: CloudApi, region: string, input: PutMetricAlarmInput): StoredAlarm {
  validate(input);
  const state = cwState(cloud);
  const now = cloud.now();
  const { Tags, ...rest } = input;
  const config: ModelDocument = {
    ...rest,
    ActionsEnabled: input.ActionsEnabled ?? true,
    OKActions: input.OKActions ?? [],
    AlarmActions: input.AlarmActions ?? [],
    InsufficientDataActions: input.InsufficientDataActions ?? [],
  };
  for (const k of Object.keys(config)) if (config[k] === undefined) delete config[k];
  const key = alarmKey(region, input.AlarmName);
  const existing = state.alarms[key];
  if (existing) {
    const before = historyView(existing);
    existing.config = config;
    existing.configUpdatedAt = now;
    existing.nextEvalAt = firstEvaluationAt(now, config);
    appendHistory(cloud, {
      region,
      name: input.AlarmName,
      type: "ConfigurationUpdate",
      summary: `Alarm "${input.AlarmName}" updated`,
      data: JSON.stringify({ version: "1.0", type: "Update", updatedAlarm: historyView(existing), originalAlarm: before }),
    });
    cloud.markDirty();
    return existing;
  }
  const alarm: StoredAlarm = {
    region,
    config,
    arn: alarmArn(region, cloud.accountId, input.AlarmName),
    state: "INSUFFICIENT_DATA",
    reason: "Unchecked: Initial alarm creation",
    stateUpdatedAt: now,
    stateTransitionedAt: now,
    configUpdatedAt: now,
    tags: (Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value ?? "" })),
    nextEvalAt: firstEvaluationAt(now, config),
  };
  state.alarms[key] = alarm;
  appendHistory(cloud, {
    region,
    name: input.AlarmName,
    type: "ConfigurationUpdate",
    summary: `Alarm "${input.AlarmName}" created`,
    data: JSON.stringify({ version: "1.0", type: "Create", createdAlarm: historyView(alarm) }),
  });
  cloud.markDirty();
  return alarm;
}
