/** Read one metric as a series of (period start, statistic) pairs: shared by GetMetricData, GetMetricStatistics and alarms. */
import { aggregateSeries, findSeries } from "./metric-store.ts";
import { computeStat, isExtended, type StatSpec } from "./statistics.ts";
import type { CloudWatchState, Dimension } from "./state.ts";

export interface MetricRef {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
}

/** Timestamps in epoch seconds, ascending, aligned on the query grid. */
export interface PointSeries {
  ts: number[];
  vs: number[];
}

/**
 * CloudWatch rounds StartTime down to the minute (to the period for sub-minute periods) and
 * lays periods from there: period starts are gridStart + k * period.
 */
export function gridStartSec(startMs: number, periodSec: number): number {
  const unit = Math.min(periodSec, 60);
  return Math.floor(startMs / 1000 / unit) * unit;
}

export function isValidPeriod(period: number): boolean {
  return Number.isInteger(period) && period > 0 && ([1, 5, 10, 30].includes(period) || period % 60 === 0);
}

export function readMetric(
  state: CloudWatchState,
  region: string,
  metric: MetricRef,
  periodSec: number,
  stat: StatSpec,
  gridStart: number,
  endSec: number,
  unit?: string,
): PointSeries {
  const out: PointSeries = { ts: [], vs: [] };
  if (!metric.Namespace || !metric.MetricName) return out;
  const series = findSeries(state, region, metric.Namespace, metric.MetricName, metric.Dimensions);
  // CloudWatch does not convert units: asking for another unit than the data's returns nothing.
  if (!series || (unit && unit !== series.u)) return out;
  for (const [t, agg] of aggregateSeries(series, gridStart, endSec, periodSec, isExtended(stat))) {
    const v = computeStat(agg, stat);
    if (v === undefined || !Number.isFinite(v)) continue;
    out.ts.push(t);
    out.vs.push(v);
  }
  return out;
}

/** Unit of a stored series, "None" when unknown. */
export function seriesUnit(state: CloudWatchState, region: string, metric: MetricRef): string {
  if (!metric.Namespace || !metric.MetricName) return "None";
  return findSeries(state, region, metric.Namespace, metric.MetricName, metric.Dimensions)?.u ?? "None";
}
