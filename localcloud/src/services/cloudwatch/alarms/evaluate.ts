/**
 * Alarm evaluation, driven by the clock. Every minute (every period for sub-minute periods),
 * a short while after the minute closes so late publishers are counted, an alarm looks at its
 * evaluation range and applies M-of-N with TreatMissingData as AWS documents it:
 *   breaching / notBreaching: the last N periods, missing ones counted as breaching / not.
 *   missing / ignore: the most recent N real datapoints within N + 2 periods; when there is
 *     none, missing -> INSUFFICIENT_DATA and ignore keeps the current state.
 */
import type { CloudApi, ModelDocument } from "../../../core/types.ts";
import { runQueries } from "../math/run-queries.ts";
import { readMetric } from "../metric-query.ts";
import { parseStat } from "../statistics.ts";
import { cwState, type StateValue, type StoredAlarm } from "../state.ts";
import { ingestionLagMs } from "../ingestion.ts";
import { breaches, COMPARISON_WORDS, javaDouble, reasonDataDate, reasonDate } from "./format.ts";
import { changeAlarmState } from "./transition.ts";

/** How long after a minute closes the alarm looks at it (simulated). */
export const EVALUATION_DELAY_MS = 10_000;

export function alarmPeriodSec(config: ModelDocument): number {
  if (config.Metrics?.length) return Math.max(...config.Metrics.map((q: ModelDocument) => q.MetricStat?.Period ?? q.Period ?? 0)) || 60;
  return config.Period ?? 60;
}

function stepMs(config: ModelDocument): number {
  return Math.min(alarmPeriodSec(config), 60) * 1000;
}

/** The first evaluation after `now`: the next step boundary plus the delay. */
export function firstEvaluationAt(now: number, config: ModelDocument): number {
  const step = stepMs(config);
  return (Math.floor((now - EVALUATION_DELAY_MS) / step) + 1) * step + EVALUATION_DELAY_MS;
}

interface Point {
  /** Period start, ms. */
  at: number;
  value?: number;
}

/** One value (or a gap) per period of the evaluation range, oldest first. */
function evaluationRange(cloud: CloudApi, alarm: StoredAlarm, endMs: number, periods: number): Point[] {
  const c = alarm.config;
  const period = alarmPeriodSec(c);
  const startMs = endMs - periods * period * 1000;
  const values = new Map<number, number>();
  if (c.Metrics?.length) {
    const results = runQueries(cwState(cloud), alarm.region, c.Metrics, startMs, endMs);
    const wanted =
      c.Metrics.find((q: ModelDocument) => q.ReturnData === true) ?? c.Metrics.find((q: ModelDocument) => q.ReturnData !== false);
    const r = results.find((x) => x.Id === wanted?.Id);
    r?.ts.forEach((t, i) => values.set(t * 1000, r.vs[i]));
  } else {
    const stat = parseStat(c.Statistic ?? c.ExtendedStatistic)!;
    const points = readMetric(cwState(cloud), alarm.region, c, period, stat, startMs / 1000, endMs / 1000, c.Unit);
    points.ts.forEach((t, i) => values.set(t * 1000, points.vs[i]));
  }
  const out: Point[] = [];
  for (let k = 0; k < periods; k++) {
    const at = startMs + k * period * 1000;
    out.push({ at, value: values.get(at) });
  }
  return out;
}

/**
 * The alarm's metric over its last `periods` closed periods as the next evaluation would see
 * it, oldest first, gaps dropped (target tracking reads the current value while an alarm stays
 * in ALARM, when StateReasonData only tells what it was at the transition).
 */
export function recentAlarmValues(cloud: CloudApi, alarm: StoredAlarm, now: number, periods: number): number[] {
  const endMs = evaluationEndMs(alarm.config, now);
  return evaluationRange(cloud, alarm, endMs, periods).flatMap((p) => (p.value === undefined ? [] : [p.value]));
}

/**
 * The end of the evaluation range: the last closed step, and for metrics that reach CloudWatch
 * late (load balancer, CloudFront: ingestion.ts) the last one whose data is complete, so the
 * alarm fires as late as the data arrives rather than judging periods still on their way.
 */
function evaluationEndMs(config: StoredAlarm["config"], now: number): number {
  const step = stepMs(config);
  return Math.floor((now - EVALUATION_DELAY_MS - ingestionLagMs(config)) / step) * step;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const list = (points: Point[]) => `[${points.map((p) => `${javaDouble(p.value!)} (${reasonDate(p.at)})`).join(", ")}]`;

export function evaluateAlarm(cloud: CloudApi, alarm: StoredAlarm, now: number): void {
  const c = alarm.config;
  // Anomaly-detection bands (ThresholdMetricId) are not modelled: such alarms stay as they are.
  if (c.ThresholdMetricId) return;
  const n: number = c.EvaluationPeriods;
  const m: number = c.DatapointsToAlarm ?? n;
  const treat: string = c.TreatMissingData ?? "missing";
  const endMs = evaluationEndMs(c, now);
  const lookback = treat === "missing" || treat === "ignore" ? n + 2 : n;
  const range = evaluationRange(cloud, alarm, endMs, lookback);
  const threshold: number = c.Threshold;
  const words = COMPARISON_WORDS[c.ComparisonOperator];
  const isBreach = (p: Point) => breaches(c.ComparisonOperator, p.value!, threshold);

  let next: StateValue;
  let reason: string;
  let evaluated: Point[];
  if (treat === "breaching" || treat === "notBreaching") {
    evaluated = range.slice(-n).reverse();
    const real = evaluated.filter((p) => p.value !== undefined);
    const missingCount = evaluated.length - real.length;
    const breaching = real.filter(isBreach).length + (treat === "breaching" ? missingCount : 0);
    next = breaching >= m ? "ALARM" : "OK";
    if (!real.length) {
      reason = `Threshold Crossed: no datapoints were received for ${plural(n, "period")} and ${n} missing datapoint${n === 1 ? " was" : "s were"} treated as [${treat === "breaching" ? "Breaching" : "NonBreaching"}].`;
    } else {
      reason = thresholdReason(next, real, isBreach, n, m, words, threshold);
    }
  } else {
    evaluated = range
      .filter((p) => p.value !== undefined)
      .reverse()
      .slice(0, n);
    if (!evaluated.length) {
      if (treat === "ignore") return;
      next = "INSUFFICIENT_DATA";
      reason = `Insufficient Data: ${plural(n, "datapoint")} ${n === 1 ? "was" : "were"} unknown.`;
    } else {
      next = evaluated.filter(isBreach).length >= m ? "ALARM" : "OK";
      reason = thresholdReason(next, evaluated, isBreach, n, m, words, threshold);
    }
  }
  if (next === alarm.state) return;
  const reasonData = JSON.stringify({
    version: "1.0",
    queryDate: reasonDataDate(now),
    startDate: reasonDataDate(range[0]?.at ?? endMs),
    ...(c.Metrics ? {} : { [c.Statistic ? "statistic" : "unit"]: c.Statistic ?? c.Unit, period: c.Period }),
    recentDatapoints: range.filter((p) => p.value !== undefined).map((p) => p.value),
    threshold,
    evaluatedDatapoints: evaluated.filter((p) => p.value !== undefined).map((p) => ({ timestamp: reasonDataDate(p.at), value: p.value })),
  });
  changeAlarmState(cloud, alarm, next, reason, reasonData);
}

/**
 * "Threshold Crossed: 3 out of the last 3 datapoints [91.2 (27/11/26 10:00:00), ...] were greater
 * than the threshold (80.0) (minimum 3 datapoints for OK -> ALARM transition)."
 */
function thresholdReason(
  next: StateValue,
  real: Point[],
  isBreach: (p: Point) => boolean,
  n: number,
  m: number,
  words: string,
  threshold: number,
): string {
  const toAlarm = next === "ALARM";
  const shown = real.filter((p) => isBreach(p) === toAlarm);
  const verb = shown.length === 1 ? "was" : "were";
  const comparison = `${toAlarm ? "" : "not "}${words} the threshold (${javaDouble(threshold)})`;
  // A single-datapoint alarm reads "1 datapoint [..] was greater than the threshold (80.0)."
  if (n === 1) return `Threshold Crossed: 1 datapoint ${list(shown)} was ${comparison}.`;
  const minimum = toAlarm ? m : n - m + 1;
  const transition = toAlarm ? "OK -> ALARM" : "ALARM -> OK";
  return (
    `Threshold Crossed: ${shown.length} out of the last ${plural(real.length, "datapoint")} ${list(shown)} ${verb} ${comparison} ` +
    `(minimum ${plural(minimum, "datapoint")} for ${transition} transition).`
  );
}

/** Evaluate every alarm that is due. Cheap when none is. */
export function evaluateDueAlarms(cloud: CloudApi, now: number): void {
  for (const alarm of Object.values(cwState(cloud).alarms)) {
    if (alarm.nextEvalAt > now) continue;
    alarm.nextEvalAt = firstEvaluationAt(now, alarm.config);
    try {
      evaluateAlarm(cloud, alarm, now);
    } catch (err) {
      // One broken alarm (e.g. an expression that fails on its data) must not stop the others.
      console.error(`[cloudwatch] evaluating alarm ${alarm.config.AlarmName} failed: ${(err as Error).message}`);
    }
    cloud.markDirty();
  }
}
