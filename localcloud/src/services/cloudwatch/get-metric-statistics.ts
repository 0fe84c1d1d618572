/**
 * GetMetricStatistics: one metric, Statistics or ExtendedStatistics, at most 1,440 datapoints.
 * Datapoints come back in no particular order, as AWS documents: callers must sort them.
 */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { aggregateSeries, findSeries } from "./metric-store.ts";
import { gridStartSec, isValidPeriod } from "./metric-query.ts";
import { BASIC_STATISTICS, computeStat, parseStat } from "./statistics.ts";
import { cwState, type Dimension } from "./state.ts";

interface Input {
  Namespace?: string;
  MetricName?: string;
  Dimensions?: Dimension[];
  StartTime?: Date;
  EndTime?: Date;
  Period?: number;
  Statistics?: string[];
  ExtendedStatistics?: string[];
  Unit?: string;
}

const invalidValue = (message: string) => new AwsError("InvalidParameterValue", message, 400);
const missing = (message: string) => new AwsError("MissingParameter", message, 400);
const combination = (message: string) => new AwsError("InvalidParameterCombination", message, 400);

export const MAX_STATISTICS_DATAPOINTS = 1440;

export function getMetricStatistics(input: Input, ctx: RequestContext) {
  for (const k of ["Namespace", "MetricName", "StartTime", "EndTime", "Period"] as const) {
    if (input[k] === undefined || input[k] === null || input[k] === "") throw missing(`The parameter ${k} is required.`);
  }
  const stats = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (stats.length && extended.length) throw combination("Must specify either Statistics or ExtendedStatistics, but not both.");
  if (!stats.length && !extended.length) throw missing("Must specify either Statistics or ExtendedStatistics.");
  if (stats.length > 5) throw invalidValue("The collection Statistics must not have a size greater than 5.");
  if (extended.length > 10) throw invalidValue("The collection ExtendedStatistics must not have a size greater than 10.");
  stats.forEach((s, i) => {
    if (!(BASIC_STATISTICS as readonly string[]).includes(s))
      throw invalidValue(`The value ${s} for parameter Statistics.member.${i + 1} is invalid.`);
  });
  const extendedSpecs = extended.map((s, i) => {
    const spec = parseStat(s);
    if (
      !spec ||
      spec.kind === "SampleCount" ||
      spec.kind === "Average" ||
      spec.kind === "Sum" ||
      spec.kind === "Minimum" ||
      spec.kind === "Maximum"
    ) {
      throw invalidValue(`The value ${s} for parameter ExtendedStatistics.member.${i + 1} is not a valid percentile or trimmed statistic.`);
    }
    return [s, spec] as const;
  });
  const period = input.Period!;
  if (!isValidPeriod(period)) throw invalidValue("The parameter Period must be a multiple of 60.");
  const startMs = input.StartTime!.getTime();
  const endMs = input.EndTime!.getTime();
  if (startMs >= endMs) throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
  const gridStart = gridStartSec(startMs, period);
  const requested = Math.ceil((endMs / 1000 - gridStart) / period);
  if (requested > MAX_STATISTICS_DATAPOINTS) {
    throw combination(
      `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of 1,440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`,
    );
  }

  const series = findSeries(cwState(ctx.cloud), ctx.region, input.Namespace!, input.MetricName!, input.Dimensions);
  if (!series || (input.Unit && input.Unit !== series.u)) return { Label: input.MetricName, Datapoints: [] };
  const Datapoints = aggregateSeries(series, gridStart, endMs / 1000, period, extendedSpecs.length > 0).map(([t, agg]) => {
    const dp: Record<string, unknown> = { Timestamp: new Date(t * 1000), Unit: series.u };
    for (const s of stats) dp[s] = computeStat(agg, parseStat(s)!);
    if (extendedSpecs.length) {
      const ext: Record<string, number> = {};
      for (const [name, spec] of extendedSpecs) {
        const v = computeStat(agg, spec);
        if (v !== undefined) ext[name] = v;
      }
      dp.ExtendedStatistics = ext;
    }
    return dp;
  });
  return { Label: input.MetricName, Datapoints: unordered(Datapoints) };
}

/**
 * A stable but non-chronological order (the newer half first, then the older half), so callers
 * that forget to sort notice here rather than on AWS. Never sorted for two or more datapoints.
 */
function unordered<T>(chronological: T[]): T[] {
  const half = Math.ceil(chronological.length / 2);
  return [...chronological.slice(half), ...chronological.slice(0, half)];
}
