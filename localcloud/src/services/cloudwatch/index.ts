/**
 * CloudWatch (monitoring): metrics (PutMetricData, GetMetricData with metric math,
 * GetMetricStatistics, ListMetrics) and metric alarms evaluated on the simulation clock.
 *
 * Other services use the exports below (also reachable as cloud.service("monitoring").<name>):
 *   recordMetricData(cloud, region, namespace, data)  publish without API validation
 *   putMetricAlarm(cloud, region, input)              create/update an alarm (target tracking)
 *   deleteAlarms(cloud, region, names)
 *   getAlarm(cloud, region, name)                     the DescribeAlarms view, or undefined
 *   alarmMetricValues(cloud, region, name, periods)   the alarm's metric now, as its next evaluation sees it
 *   onAlarmTransition(listener)                       hear state changes and their actions
 */
import type { CloudApi, RequestContext, ServiceModule } from "../../core/types.ts";
import { describeAlarms, describeAlarmsForMetric } from "./alarms/describe.ts";
import { evaluateDueAlarms, recentAlarmValues } from "./alarms/evaluate.ts";
import { describeAlarmHistory } from "./alarms/history.ts";
import { deleteAlarms, deleteAlarmsHandler, disableAlarmActions, enableAlarmActions, setAlarmState } from "./alarms/manage.ts";
import { putMetricAlarm as storeMetricAlarm, type PutMetricAlarmInput } from "./alarms/put.ts";
import { findAlarm, toMetricAlarm } from "./alarms/store.ts";
import { getMetricData } from "./get-metric-data.ts";
import { getMetricStatistics } from "./get-metric-statistics.ts";
import { listMetrics } from "./list-metrics.ts";
import { pruneMetrics } from "./metric-store.ts";
import { putMetricData, recordMetricData } from "./put-metric-data.ts";
import { cwState, initialState, type CloudWatchState } from "./state.ts";
import { listTagsForResource, tagResource, untagResource } from "./tags.ts";

export { recordMetricData, deleteAlarms };
export { onAlarmTransition, type AlarmTransition, type AlarmTransitionListener } from "./alarms/listeners.ts";
export type { PutMetricAlarmInput } from "./alarms/put.ts";
export type { Datum as MetricDatum } from "./metric-store.ts";

/** Create or update an alarm; returns it as DescribeAlarms shows it. */
export function putMetricAlarm(cloud: CloudApi, region: string, input: PutMetricAlarmInput): Record<string, unknown> {
  return toMetricAlarm(storeMetricAlarm(cloud, region, input));
}

/** The alarm as DescribeAlarms shows it (MetricAlarm shape), or undefined. */
export function getAlarm(cloud: CloudApi, region: string, name: string): Record<string, unknown> | undefined {
  const alarm = findAlarm(cloud, region, name);
  return alarm && toMetricAlarm(alarm);
}

/** The alarm's metric over its last `periods` closed periods (oldest first, gaps dropped); [] for an unknown alarm. */
export function alarmMetricValues(cloud: CloudApi, region: string, name: string, periods = 1): number[] {
  const alarm = findAlarm(cloud, region, name);
  return alarm ? recentAlarmValues(cloud, alarm, cloud.now(), periods) : [];
}

function tick(cloud: CloudApi, now: number): void {
  const state = cwState(cloud);
  if (pruneMetrics(state, now)) cloud.markDirty();
  evaluateDueAlarms(cloud, now);
}

const service: ServiceModule<CloudWatchState> & {
  recordMetricData: typeof recordMetricData;
  putMetricAlarm: typeof putMetricAlarm;
  deleteAlarms: typeof deleteAlarms;
  getAlarm: typeof getAlarm;
} = {
  name: "monitoring",
  initialState,
  handlers: {
    PutMetricData: putMetricData,
    GetMetricData: getMetricData,
    GetMetricStatistics: getMetricStatistics,
    ListMetrics: listMetrics,
    PutMetricAlarm: (input: PutMetricAlarmInput, ctx: RequestContext) => {
      storeMetricAlarm(ctx.cloud, ctx.region, input);
      return {};
    },
    DescribeAlarms: describeAlarms,
    DescribeAlarmsForMetric: describeAlarmsForMetric,
    DeleteAlarms: deleteAlarmsHandler,
    SetAlarmState: setAlarmState,
    DescribeAlarmHistory: describeAlarmHistory,
    EnableAlarmActions: enableAlarmActions,
    DisableAlarmActions: disableAlarmActions,
    TagResource: tagResource,
    UntagResource: untagResource,
    ListTagsForResource: listTagsForResource,
  },
  tick,
  recordMetricData,
  putMetricAlarm,
  deleteAlarms,
  getAlarm,
};

export default service;
