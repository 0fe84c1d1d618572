import { gridStartSec, isValidPeriod, readMetric } from "../metric-query.ts";
import { parseStat } from "../statistics.ts";
import { type CloudWatchState, validation } from "../state.ts";
import { evaluate, type MathContext } from "./evaluate.ts";
import { MathError, parseExpression, referencedIds, type Node } from "./parse.ts";
import { gridTimestamps, isArrayOfSeries, isSeries, type Series, type Value } from "./series-ops.ts";

export interface MetricDataQuery {
  Id: string;
  MetricStat?: {
    Metric: { Namespace?: string; MetricName?: string; Dimensions?: Array<{ Name: string; Value: string }> };
    Period: number;
    Stat: string;
    Unit?: string;
  };
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

/** Structural checks, with AWS's parameter paths in the messages. */
export function validateQueries(queries: MetricDataQuery[] | undefined, param = "MetricDataQueries"): MetricDataQuery[] {
  if (!queries?.length) throw validation(`The parameter ${param} is required.`);
  if (queries.length > 500) throw validation(`The collection ${param} must not have a size greater than 500.`);
  const ids = new Set<string>();
  queries.forEach((q, i) => {
    const where = `${param}.member.${i + 1}`;
    if (!q.Id) throw validation(`The parameter ${where}.Id is required.`);
    if (!ID_PATTERN.test(q.Id))
      throw validation(
        `Invalid metric_id: ${q.Id}. Only lower case letters, numbers and underscore are allowed and it must start with a lower case letter.`,
      );
    if (ids.has(q.Id)) throw validation(`The value ${q.Id} for parameter ${where}.Id is duplicated.`);
    ids.add(q.Id);
    if (!!q.MetricStat === !!q.Expression)
      throw validation(`Exactly one element of ${where}.MetricStat or ${where}.Expression must be specified.`);
    if (q.MetricStat) {
      const ms = q.MetricStat;
      if (!ms.Metric?.MetricName) throw validation(`The parameter ${where}.MetricStat.Metric.MetricName is required.`);
      if (!ms.Metric?.Namespace) throw validation(`The parameter ${where}.MetricStat.Metric.Namespace is required.`);
      if (!isValidPeriod(ms.Period))
        throw validation(`The value ${ms.Period} for parameter ${where}.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.`);
      if (!parseStat(ms.Stat ?? ""))
        throw validation(`The value ${ms.Stat} for parameter ${where}.MetricStat.Stat is not a valid statistic.`);
    }
  });
  return queries;
}

function inExpression<T>(id: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof MathError) throw validation(`Error in expression ${id}: ${err.message}`);
    throw err;
  }
}

/** Parse every expression and check that the ids it uses exist (ValidationError otherwise). */
export function parseExpressions(queries: MetricDataQuery[]): Map<string, Node> {
  const ids = new Set(queries.map((q) => q.Id));
  const parsed = new Map<string, Node>();
  for (const q of queries) {
    if (!q.Expression) continue;
    inExpression(q.Id, () => {
      const node = parseExpression(q.Expression!);
      for (const ref of referencedIds(node)) if (!ids.has(ref)) throw new MathError(`Unknown metric id ${ref}`);
      parsed.set(q.Id, node);
    });
  }
  return parsed;
}

export interface PreparedQueries {
  /** The queries whose results are returned (ReturnData not false), in request order. */
  returned: MetricDataQuery[];
  /** Results of one returned query (several for an expression that yields an array), computed on first use. */
  resultsOf(q: MetricDataQuery): QueryResult[];
}

/**
 * Parse every expression and check its references up front (so errors surface on the first
 * page), but compute values only when asked: GetMetricData pages then only pay for the
 * queries they return.
 */
export function prepareQueries(
  state: CloudWatchState,
  region: string,
  queries: MetricDataQuery[],
  startMs: number,
  endMs: number,
): PreparedQueries {
  const endSec = endMs / 1000;
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const values = new Map<string, Value>();
  const inProgress = new Set<string>();
  const parsed = new Map<string, Node>();
  const defaultPeriod = queries.find((q) => q.MetricStat)?.MetricStat?.Period ?? queries.find((q) => q.Period)?.Period ?? 60;

  for (const [id, node] of parseExpressions(queries)) parsed.set(id, node);

  const metricSeries = (q: MetricDataQuery): Series => {
    const ms = q.MetricStat!;
    const points = readMetric(state, region, ms.Metric, ms.Period, parseStat(ms.Stat)!, gridStartSec(startMs, ms.Period), endSec, ms.Unit);
    return { ...points, label: q.Label ?? ms.Metric.MetricName ?? q.Id, period: ms.Period };
  };

  const ctx: MathContext = {
    gridStart: (period) => gridStartSec(startMs, period),
    end: endSec,
    resolve: (id) => valueOfId(id),
    metrics: () => queries.filter((q) => q.MetricStat).map((q) => valueOfId(q.Id) as Series),
  };

  const valueOfId = (id: string): Value => {
    const cached = values.get(id);
    if (cached !== undefined) return cached;
    const q = byId.get(id);
    if (!q) throw new MathError(`Unknown metric id ${id}`);
    if (inProgress.has(id)) throw new MathError(`Circular dependency involving ${id}`);
    inProgress.add(id);
    const v = q.MetricStat ? metricSeries(q) : evaluate(parsed.get(id)!, ctx);
    inProgress.delete(id);
    values.set(id, v);
    return v;
  };

  const resultsOf = (q: MetricDataQuery): QueryResult[] => {
    const v = inExpression(q.Id, () => valueOfId(q.Id));
    const label = q.Label ?? (q.MetricStat ? q.MetricStat.Metric.MetricName! : q.Id);
    if (typeof v === "number") {
      const ts = gridTimestamps(gridStartSec(startMs, defaultPeriod), endSec, defaultPeriod);
      return [
        finite(
          q.Id,
          label,
          ts,
          ts.map(() => v),
        ),
      ];
    }
    if (isSeries(v)) return [finite(q.Id, label, v.ts, v.vs)];
    if (isArrayOfSeries(v)) return v.map((s) => finite(q.Id, s.label, s.ts, s.vs));
    throw validation(`Error in expression ${q.Id}: the expression must return a number or time series`);
  };

  return { returned: queries.filter((q) => q.ReturnData !== false), resultsOf };
}

/** Evaluate every query; returns the results of those with ReturnData (default true), in request order. */
export function runQueries(
  state: CloudWatchState,
  region: string,
  queries: MetricDataQuery[],
  startMs: number,
  endMs: number,
): QueryResult[] {
  const prepared = prepareQueries(state, region, queries, startMs, endMs);
  return prepared.returned.flatMap((q) => prepared.resultsOf(q));
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
  if (dropped)
    out.Messages.push({
      Code: "ArithmeticError",
      Value: "One or more data-points have been dropped due to non-numeric values (NaN, -Infinite, +Infinite)",
    });
  return out;
}
