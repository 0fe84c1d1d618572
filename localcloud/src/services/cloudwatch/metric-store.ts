/**
 * Metric storage: datapoints land in per-minute buckets (per-second for StorageResolution 1)
 * holding sum/count/min/max and a bounded value distribution, and are aggregated on read to
 * whatever period and statistic the caller asks for.
 */
import { addToDistribution, compress, mergeDistributions } from "./distribution.ts";
import { seriesKey, type Bucket, type CloudWatchState, type Dimension, type Series } from "./state.ts";

/** AWS keeps 1-minute data 15 days and sub-minute data 3 hours. */
export const RETENTION_MS = 15 * 24 * 3600_000;
export const HIGH_RES_RETENTION_MS = 3 * 3600_000;
/**
 * Roll-up tiers: older minute buckets are folded into coarser ones. AWS keeps minutes for 15
 * days; here the whole state is rewritten on every save, and 15 days of minutes for hundreds of
 * series would make that slow, so minutes last 6 hours, 5-minute buckets 3 days, then hours.
 * Older data answers fine-grained queries at its coarser granularity.
 */
export const ROLLUP_TIERS: ReadonlyArray<{ afterMs: number; sizeSec: number; centroids: number }> = [
  { afterMs: 6 * 3600_000, sizeSec: 300, centroids: 24 },
  { afterMs: 3 * 24 * 3600_000, sizeSec: 3600, centroids: 16 },
];
const PRUNE_EVERY_MS = 10 * 60_000;

/** A datum already validated (PutMetricData) or trusted (the simulation). */
export interface Datum {
  MetricName: string;
  Dimensions?: Dimension[];
  /** Date, epoch ms, or ISO string; defaults to now. */
  Timestamp?: Date | number | string;
  Value?: number;
  Values?: number[];
  Counts?: number[];
  StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
  Unit?: string;
  StorageResolution?: number;
}

export function timestampMs(ts: Date | number | string | undefined, nowMs: number): number {
  if (ts === undefined || ts === null) return nowMs;
  if (ts instanceof Date) return ts.getTime();
  if (typeof ts === "number") return ts;
  return new Date(ts).getTime();
}

export function getOrCreateSeries(state: CloudWatchState, region: string, namespace: string, datum: Datum): Series {
  const key = seriesKey(region, namespace, datum.MetricName, datum.Dimensions);
  let series = state.series[key];
  if (!series) {
    series = {
      r: region,
      ns: namespace,
      n: datum.MetricName,
      d: (datum.Dimensions ?? []).map((d) => [d.Name, d.Value] as [string, string]),
      u: "None",
      last: 0,
      b: [],
    };
    state.series[key] = series;
  }
  return series;
}

export function findSeries(
  state: CloudWatchState,
  region: string,
  namespace: string,
  metricName: string,
  dims: Dimension[] | undefined,
): Series | undefined {
  return state.series[seriesKey(region, namespace, metricName, dims)];
}

/** Store one datum. Returns false when it carries nothing storable (no finite value). */
export function storeDatum(state: CloudWatchState, region: string, namespace: string, datum: Datum, nowMs: number): boolean {
  const atMs = timestampMs(datum.Timestamp, nowMs);
  if (!Number.isFinite(atMs)) return false;
  const highRes = datum.StorageResolution === 1;
  const width = highRes ? 1 : 60;
  const t = Math.floor(atMs / 1000 / width) * width;

  const samples: Array<[number, number]> = [];
  if (datum.Value !== undefined && datum.Value !== null) samples.push([datum.Value, 1]);
  if (datum.Values) datum.Values.forEach((v, i) => samples.push([v, datum.Counts?.[i] ?? 1]));
  const set = datum.StatisticValues;
  const usable = samples.filter(([v, c]) => Number.isFinite(v) && Number.isFinite(c) && c > 0);
  if (!usable.length && !set) return false;

  const series = getOrCreateSeries(state, region, namespace, datum);
  if (datum.Unit) series.u = datum.Unit;
  series.last = Math.max(series.last, nowMs);
  const buckets = highRes ? (series.h ??= []) : series.b;
  const bucket = bucketAt(buckets, t);
  for (const [v, c] of usable) addSample(bucket, v, c);
  if (set) addStatisticSet(bucket, set);
  return true;
}

/** The bucket starting at t, created in order; appends are the common case. */
function bucketAt(buckets: Bucket[], t: number): Bucket {
  const last = buckets[buckets.length - 1];
  if (last && last[0] === t) return last;
  if (!last || last[0] < t) {
    const b: Bucket = [t, 0, 0, Infinity, -Infinity];
    buckets.push(b);
    return b;
  }
  const i = lowerBound(buckets, t);
  if (buckets[i] && buckets[i][0] === t) return buckets[i];
  const b: Bucket = [t, 0, 0, Infinity, -Infinity];
  buckets.splice(i, 0, b);
  return b;
}

/** Index of the first bucket starting at or after t. */
export function lowerBound(buckets: Bucket[], t: number): number {
  let lo = 0;
  let hi = buckets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (buckets[mid][0] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function addSample(bucket: Bucket, value: number, count: number): void {
  const wasEmpty = bucket[2] === 0;
  const singleValued = !wasEmpty && bucket[5] === undefined && bucket[3] === bucket[4];
  bucket[1] += value * count;
  bucket[2] += count;
  bucket[3] = Math.min(bucket[3], value);
  bucket[4] = Math.max(bucket[4], value);
  if (bucket[5] === null) return;
  if (wasEmpty) return; // single value: the distribution is implied by min
  if (singleValued) {
    if (bucket[3] === bucket[4]) return; // still one distinct value
    const previous = value === bucket[3] ? bucket[4] : bucket[3];
    bucket[5] = [previous, bucket[2] - count];
  }
  if (bucket[5]) addToDistribution(bucket[5], value, count);
}

/**
 * A statistic set only keeps its percentile information when its values are known: one sample,
 * or every sample equal (AWS documents the same rule).
 */
function addStatisticSet(bucket: Bucket, set: { SampleCount: number; Sum: number; Minimum: number; Maximum: number }): void {
  if (set.Minimum === set.Maximum || set.SampleCount === 1) {
    addSample(bucket, set.Minimum, set.SampleCount);
    return;
  }
  bucket[1] += set.Sum;
  bucket[2] += set.SampleCount;
  bucket[3] = Math.min(bucket[3], set.Minimum);
  bucket[4] = Math.max(bucket[4], set.Maximum);
  bucket[5] = null;
}

/** Aggregate of all buckets in one requested period. dist: null when percentiles are unavailable. */
export interface Aggregate {
  sum: number;
  count: number;
  min: number;
  max: number;
  dist: number[] | null;
}

/**
 * Aggregate a series to periods of `periodSec` starting at gridStartSec, covering
 * [gridStartSec, endSec). Only periods holding data are returned, ascending.
 */
export function aggregateSeries(
  series: Series,
  gridStartSec: number,
  endSec: number,
  periodSec: number,
  withDistribution: boolean,
): Array<[number, Aggregate]> {
  const periods = new Map<number, Aggregate>();
  const visit = (buckets: Bucket[] | undefined) => {
    if (!buckets?.length) return;
    for (let i = lowerBound(buckets, gridStartSec); i < buckets.length && buckets[i][0] < endSec; i++) {
      const b = buckets[i];
      if (b[2] <= 0) continue;
      const start = gridStartSec + Math.floor((b[0] - gridStartSec) / periodSec) * periodSec;
      let agg = periods.get(start);
      if (!agg) {
        agg = { sum: 0, count: 0, min: Infinity, max: -Infinity, dist: withDistribution ? [] : null };
        periods.set(start, agg);
      }
      agg.sum += b[1];
      agg.count += b[2];
      agg.min = Math.min(agg.min, b[3]);
      agg.max = Math.max(agg.max, b[4]);
      if (withDistribution && agg.dist) {
        if (b[5] === null) agg.dist = null;
        else if (b[5]) mergeDistributions(agg.dist, b[5]);
        else mergeDistributions(agg.dist, [b[3], b[2]]);
      }
    }
  };
  visit(series.b);
  visit(series.h);
  return [...periods.entries()].sort((a, b) => a[0] - b[0]);
}

/** Retention: drop old buckets and silent series, fold sub-minute buckets into minutes. Cheap when not due. */
export function pruneMetrics(state: CloudWatchState, nowMs: number): boolean {
  if (nowMs - state.lastPruneAt < PRUNE_EVERY_MS) return false;
  state.lastPruneAt = nowMs;
  const cutoffSec = Math.floor((nowMs - RETENTION_MS) / 1000);
  const highResCutoffSec = Math.floor((nowMs - HIGH_RES_RETENTION_MS) / 1000);
  for (const [key, series] of Object.entries(state.series)) {
    if (series.h?.length) foldHighRes(series, highResCutoffSec);
    for (const tier of ROLLUP_TIERS) rollUp(series, Math.floor((nowMs - tier.afterMs) / 1000), tier.sizeSec, tier.centroids);
    const keep = lowerBound(series.b, cutoffSec);
    if (keep > 0) series.b.splice(0, keep);
    if (!series.b.length && !series.h?.length && series.last < nowMs - RETENTION_MS) delete state.series[key];
  }
  return true;
}

/** Add everything `source` holds to `target`, keeping the distribution rules of addSample. */
function mergeBucket(target: Bucket, source: Bucket): void {
  if (source[5] === null) addStatisticSet(target, { SampleCount: source[2], Sum: source[1], Minimum: source[3], Maximum: source[4] });
  else if (source[5]) for (let i = 0; i < source[5].length; i += 2) addSample(target, source[5][i], source[5][i + 1]);
  else addSample(target, source[3], source[2]);
}

function foldHighRes(series: Series, cutoffSec: number): void {
  const h = series.h!;
  let n = 0;
  while (n < h.length && h[n][0] < cutoffSec) n++;
  if (!n) return;
  for (const fine of h.splice(0, n)) mergeBucket(bucketAt(series.b, Math.floor(fine[0] / 60) * 60), fine);
  if (!h.length) delete series.h;
}

/** Fold buckets older than the cutoff into buckets of `size` seconds (idempotent: folded ones sit on size marks). */
function rollUp(series: Series, cutoffSec: number, size: number, centroids: number): void {
  const end = lowerBound(series.b, Math.floor(cutoffSec / size) * size);
  let needed = false;
  for (let i = end - 1; i >= 0 && !needed; i--) needed = series.b[i][0] % size !== 0;
  if (!needed) return;
  const folded: Bucket[] = [];
  for (let i = 0; i < end; i++) {
    const b = series.b[i];
    const start = Math.floor(b[0] / size) * size;
    const last = folded[folded.length - 1];
    if (last && last[0] === start) mergeBucket(last, b);
    else if (b[0] === start) folded.push(b);
    else {
      const fresh: Bucket = [start, 0, 0, Infinity, -Infinity];
      mergeBucket(fresh, b);
      folded.push(fresh);
    }
  }
  for (const b of folded) if (b[5] && b[5].length / 2 > centroids) compress(b[5], centroids);
  series.b.splice(0, end, ...folded);
}
