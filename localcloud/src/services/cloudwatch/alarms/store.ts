/** Alarm lookups, the MetricAlarm view DescribeAlarms returns, and history records. */
import type { CloudApi } from "../../../core/types.ts";
import { alarmKey, cwState, type HistoryRecord, type StoredAlarm } from "../state.ts";

/** AWS keeps alarm history for a limited time; the local cloud also bounds it by count. */
export const HISTORY_RETENTION_MS = 30 * 24 * 3600_000;
export const HISTORY_MAX_RECORDS = 20_000;

export function findAlarm(cloud: CloudApi, region: string, name: string): StoredAlarm | undefined {
  return cwState(cloud).alarms[alarmKey(region, name)];
}

export function regionAlarms(cloud: CloudApi, region: string): StoredAlarm[] {
  return Object.values(cwState(cloud).alarms)
    .filter((a) => a.region === region)
    .sort((a, b) => (a.config.AlarmName < b.config.AlarmName ? -1 : a.config.AlarmName > b.config.AlarmName ? 1 : 0));
}

/** The MetricAlarm shape (model member names). */
export function toMetricAlarm(alarm: StoredAlarm): Record<string, unknown> {
  const c = alarm.config;
  return {
    AlarmName: c.AlarmName,
    AlarmArn: alarm.arn,
    AlarmDescription: c.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configUpdatedAt),
    ActionsEnabled: c.ActionsEnabled,
    OKActions: c.OKActions,
    AlarmActions: c.AlarmActions,
    InsufficientDataActions: c.InsufficientDataActions,
    StateValue: alarm.state,
    StateReason: alarm.reason,
    StateReasonData: alarm.reasonData,
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedAt),
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    Statistic: c.Statistic,
    ExtendedStatistic: c.ExtendedStatistic,
    Dimensions: c.Metrics ? undefined : (c.Dimensions ?? []),
    Period: c.Period,
    Unit: c.Unit,
    EvaluationPeriods: c.EvaluationPeriods,
    DatapointsToAlarm: c.DatapointsToAlarm,
    Threshold: c.Threshold,
    ComparisonOperator: c.ComparisonOperator,
    TreatMissingData: c.TreatMissingData,
    EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile,
    Metrics: c.Metrics,
    ThresholdMetricId: c.ThresholdMetricId,
    StateTransitionedTimestamp: new Date(alarm.stateTransitionedAt),
  };
}

/** The alarm as it appears inside HistoryData (camelCase, timestamps as ISO strings). */
export function historyView(alarm: StoredAlarm): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(toMetricAlarm(alarm))) {
    if (v === undefined) continue;
    out[camel(k)] = v instanceof Date ? v.toISOString() : v;
  }
  return out;
}

/** AlarmName -> alarmName, OKActions -> okActions. */
function camel(name: string): string {
  const lead = /^[A-Z]+(?=[A-Z][a-z]|$)|^[A-Z]/.exec(name)![0];
  return lead.toLowerCase() + name.slice(lead.length);
}

export function appendHistory(cloud: CloudApi, record: Omit<HistoryRecord, "at">): void {
  const state = cwState(cloud);
  const now = cloud.now();
  state.history.push({ ...record, at: now });
  let drop = Math.max(0, state.history.length - HISTORY_MAX_RECORDS);
  while (drop < state.history.length && state.history[drop].at < now - HISTORY_RETENTION_MS) drop++;
  if (drop) state.history.splice(0, drop);
}
