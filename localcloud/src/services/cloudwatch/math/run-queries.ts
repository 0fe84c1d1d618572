/**
 * Runs a list of MetricDataQuery (GetMetricData, metric math alarms): metric queries read
 * stored data, expressions are evaluated in dependency order (any order in the request).
 */
import { AwsError } from "../../../core/types.ts";
import { gridStartSec, isValidPeriod, readMetric } from "../metric-query.ts";
import { parseStat } from "../statistics.ts";
import type { CloudWatchState } from "../state.ts";
import { evaluate, type MathContext } from "./evaluate.ts";
import { MathError, parseExpression, type Node } from "./parse.ts";
import { gridTimestamps, isArrayOfSeries, isSeries, type Series, type Value } from "./series-ops.ts";

export interface MetricDataQuery {
  Id: string;
  MetricStat?: { Metric: { Namespace?: string; MetricName?: string; Dimensions?: Array<{ Name: string; Value: string }> }; Period: number; Stat: string; Unit?: string };
  Expression?: string;
  Label?: string;
  ReturnData?: boolean;
  Period?: number;
  AccountId?: string;
}

export interface QueryResult {
  Id: string;
  Label: string;
  /** Epoch seconds, ascending. */
  ts: number[];
  vs: number[];
  Messages: Array<{ Code: string; Value: string }>;
}

const ID_PATTERN = /^[a-z][a-zA-Z0-9_]*$/;
const validation = (message: string) => new AwsError("ValidationError", message, 400);

/** Structural checks, with AWS's parameter paths in the messages. */
export function validateQueries(queries: MetricDataQuery[] | undefined, param = "MetricDataQueries"): MetricDataQuery[] {
  if (!queries?.length) throw validation(`The parameter ${param} is required.`);
  if (queries.length > 500) throw validation(`The collection ${param} must not have a size greater than 500.`);
  const ids = new Set<string>();
  queries.forEach((q, i) => {
    const where = `${param}.member.${i + 1}`;
    if (!q.Id) throw validation(`The parameter ${where}.Id is required.`);
    if (!ID_PATTERN.test(q.Id)) throw validation(`Invalid metric_id: ${q.Id}. Only lower case letters, numbers and underscore are allowed and it must start with a lower case letter.`);
    if (ids.has(q.Id)) throw validation(`The value ${q.Id} for parameter ${where}.Id is duplicated.`);
    ids.add(q.Id);
    if (!!q.MetricStat === !!q.Expression) throw validation(`Exactly one element of ${where}.MetricStat or ${where}.Expression must be specified.`);
    if (q.MetricStat) {
      const ms = q.MetricStat;
      if (!ms.Metric?.MetricName) throw validation(`The parameter ${where}.MetricStat.Metric.MetricName is required.`);
      if (!ms.Metric?.Namespace) throw validation(`The parameter ${where}.MetricStat.Metric.Namespace is required.`);
      if (!isValidPeriod(ms.Period)) throw validation(`The value ${ms.Period} for parameter ${where}.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.`);
      if (!parseStat(ms.Stat ?? "")) throw validation(`The value ${ms.Stat} for parameter ${where}.MetricStat.Stat is not a valid statistic.`);
    }
  });
  return queries;
}

/** Evaluate every query; returns the results of those with ReturnData (default true), in request order. */
export function runQueries(state: CloudWatchState, region: string, queries: MetricDataQuery[], startMs: number, endMs: number): QueryResult[] {
  const endSec = endMs / 1000;
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const values = new Map<string, Value>();
  const inProgress = new Set<string>();
  const parsed = new Map<string, Node>();
  const defaultPeriod = queries.find((q) => q.MetricStat)?.MetricStat!.Period ?? queries.find((q) => q.Period)?.Period ?? 60;

  const metricSeries = (q: MetricDataQuery): Series => {
    const ms = q.MetricStat!;
    const points = readMetric(state, region, ms.Metric, ms.Period, parseStat(ms.Stat)!, gridStartSec(startMs, ms.Period), endSec, ms.Unit);
    return { ...points, label: q.Label ?? ms.Metric.MetricName ?? q.Id, period: ms.Period };
  };

  const ctx: MathContext = {
    gridStart: (period) => gridStartSec(startMs, period),
    end: endSec,
    resolve: (id) => valueOf(id),
    metrics: () => queries.filter((q) => q.MetricStat).map((q) => valueOf(q.Id) as Series),
  };

  const valueOf = (id: string): Value => {
    const cached = values.get(id);
    if (cached !== undefined) return cached;
    const q = byId.get(id);
    if (!q) throw new MathError(`Unknown metric id ${id}`);
    if (inProgress.has(id)) throw new MathError(`Circular dependency involving ${id}`);
    inProgress.add(id);
    let v: Value;
    if (q.MetricStat) v = metricSeries(q);
    else {
      let node = parsed.get(id);
      if (!node) parsed.set(id, (node = parseExpression(q.Expression!)));
      v = evaluate(node, ctx);
    }
    inProgress.delete(id);
    values.set(id, v);
    return v;
  };

  const results: QueryResult[] = [];
  for (const q of queries) {
    let v: Value;
    try {
      v = valueOf(q.Id);
    } catch (err) {
      if (err instanceof MathError) throw validation(`Error in expression ${q.Id}: ${err.message}`);
      throw err;
    }
    if (q.ReturnData === false) continue;
    const label = q.Label ?? (q.MetricStat ? q.MetricStat.Metric.MetricName! : q.Id);
    if (typeof v === "number") {
      const ts = gridTimestamps(gridStartSec(startMs, defaultPeriod), endSec, defaultPeriod);
      results.push(finite(q.Id, label, ts, ts.map(() => v as number)));
    } else if (isSeries(v)) {
      results.push(finite(q.Id, label, v.ts, v.vs));
    } else if (isArrayOfSeries(v)) {
      for (const s of v) results.push(finite(q.Id, s.label, s.ts, s.vs));
    } else {
      throw validation(`Error in expression ${q.Id}: the expression must return a number or time series`);
    }
  }
  return results;
}

/** Division by zero and friends: AWS drops those datapoints and says so in the result's Messages. */
function finite(Id: string, Label: string, ts: number[], vs: number[]): QueryResult {
  const out: QueryResult = { Id, Label, ts: [], vs: [], Messages: [] };
  let dropped = false;
  ts.forEach((t, i) => {
    if (Number.isFinite(vs[i])) {
      out.ts.push(t);
      out.vs.push(vs[i]);
    } else dropped = true;
  });
  if (dropped) out.Messages.push({ Code: "ArithmeticError", Value: "One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)" });
  return out;
}
