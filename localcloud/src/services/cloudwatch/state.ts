/**
 * CloudWatch state: metric series (raw datapoints pre-aggregated per minute, or per second for
 * high-resolution data), metric alarms and their history. Plain JSON, persisted with the cloud.
 */
import type { PageRules } from "../../core/paging.ts";
import { AwsError, type CloudApi, type ModelDocument } from "../../core/types.ts";

/**
 * One aggregation bucket: [startSec, sum, count, min, max, dist?].
 * dist is the value distribution used for percentiles, flat [value, count, value, count, ...]
 * sorted by value; absent when every value in the bucket equals min (the common case of one
 * datapoint per minute, kept compact); null when the bucket received statistic sets whose
 * individual values are unknown (percentiles are then unavailable, as in AWS).
 */
export type Bucket = [t: number, sum: number, count: number, min: number, max: number, dist?: number[] | null];

export interface Series {
  /** Region, namespace, metric name. */
  r: string;
  ns: string;
  n: string;
  /** Dimensions as first published: [name, value] pairs. */
  d: Array<[string, string]>;
  /** Unit of the latest datapoint ("None" when omitted). */
  u: string;
  /** Simulated ms of the latest publish (ListMetrics RecentlyActive, retention). */
  last: number;
  /** Standard-resolution buckets (60 s), sorted by start. */
  b: Bucket[];
  /** High-resolution buckets (1 s), sorted; folded into minute buckets after 3 hours. */
  h?: Bucket[];
}

export type StateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface StoredAlarm {
  region: string;
  /** The PutMetricAlarm input as accepted (model member names), without Tags. */
  config: ModelDocument;
  arn: string;
  state: StateValue;
  reason: string;
  reasonData?: string;
  /** Simulated ms. */
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  configUpdatedAt: number;
  tags: Array<{ Key: string; Value: string }>;
  /** Simulated ms of the next evaluation. */
  nextEvalAt: number;
}

export interface HistoryRecord {
  region: string;
  name: string;
  /** Simulated ms. */
  at: number;
  type: "ConfigurationUpdate" | "StateUpdate" | "Action";
  summary: string;
  data: string;
}

export interface CloudWatchState {
  /** Keyed by seriesKey(). */
  series: Record<string, Series>;
  /** Keyed by alarmKey(). */
  alarms: Record<string, StoredAlarm>;
  /** Oldest first, every region. */
  history: HistoryRecord[];
  /** Simulated ms of the last retention pass. */
  lastPruneAt: number;
}

export function initialState(): CloudWatchState {
  return { series: {}, alarms: {}, history: [], lastPruneAt: 0 };
}

export function cwState(cloud: CloudApi): CloudWatchState {
  const s = cloud.state<CloudWatchState>("monitoring");
  // A state persisted by an older build (or the placeholder module) may lack fields.
  s.series ??= {};
  s.alarms ??= {};
  s.history ??= [];
  s.lastPruneAt ??= 0;
  return s;
}

export interface Dimension {
  Name: string;
  Value: string;
}

/** Each exact dimension set is its own metric, whatever the order the caller listed them in. */
export function seriesKey(region: string, namespace: string, metricName: string, dims: Array<Dimension> | undefined): string {
  const sorted = (dims ?? []).map((d) => `${d.Name}=${d.Value}`).sort();
  return [region, namespace, metricName, ...sorted].join("\u0001");
}

export function alarmKey(region: string, name: string): string {
  return `${region}\u0001${name}`;
}

export function alarmArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${accountId}:alarm:${name}`;
}

export const validation = (message: string) => new AwsError("ValidationError", message, 400);

/** A NextToken that is not this request's (CloudWatch binds tokens to the request they page). */
export const invalidNextToken = () =>
  new AwsError("InvalidNextToken", "The service returned an error with Error Code InvalidNextToken.", 400);

/** CloudWatch's paging: pages of `size` (checked by the caller), tokens bound to the request's fingerprint. */
export function cwPages(fp: string, size: number): PageRules {
  return {
    scope: fp,
    min: 1,
    max: size,
    fallback: size,
    badSize: (n) => validation(`The value ${n} for parameter MaxRecords is invalid.`),
    badToken: invalidNextToken,
  };
}
