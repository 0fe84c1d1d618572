/**
 * Metric math evaluation. Values are numbers, series, or arrays of series; arithmetic between
 * two series keeps only the timestamps both have (which is why dashboards FILL gaps first).
 */
import { MathError, type Node } from "./parse.ts";
import {
  fillSeries,
  isArrayOfSeries,
  isSeries,
  mapSeries,
  reduceAcross,
  REDUCERS,
  zipSeries,
  type Series,
  type Value,
} from "./series-ops.ts";

export interface MathContext {
  /** Start of the query grid for a given period (epoch seconds). */
  gridStart(period: number): number;
  /** End of the query range (epoch seconds, exclusive). */
  end: number;
  /** The value of another query by id (a metric or an expression). */
  resolve(id: string): Value;
  /** Every metric (MetricStat) query's series, for METRICS(). */
  metrics(): Series[];
}

const BINARY: Record<string, (a: number, b: number) => number> = {
  "+": (a, b) => a + b,
  "-": (a, b) => a - b,
  "*": (a, b) => a * b,
  "/": (a, b) => a / b,
  "^": (a, b) => a ** b,
  ">": (a, b) => +(a > b),
  "<": (a, b) => +(a < b),
  ">=": (a, b) => +(a >= b),
  "<=": (a, b) => +(a <= b),
  "==": (a, b) => +(a === b),
  "!=": (a, b) => +(a !== b),
  "&&": (a, b) => +(a !== 0 && b !== 0),
  "||": (a, b) => +(a !== 0 || b !== 0),
};

const UNARY_FUNCTIONS: Record<string, (x: number) => number> = {
  ABS: Math.abs,
  CEIL: Math.ceil,
  FLOOR: Math.floor,
  LOG: Math.log,
  LOG10: Math.log10,
  EXP: Math.exp,
};

export function evaluate(node: Node, ctx: MathContext): Value {
  switch (node.t) {
    case "num":
      return node.v;
    case "str":
      return { str: node.v };
    case "kw":
      return { kw: node.name };
    case "ref":
      return ctx.resolve(node.id);
    case "list": {
      const out: Series[] = [];
      for (const item of node.items) {
        const v = evaluate(item, ctx);
        if (isSeries(v)) out.push(v);
        else if (isArrayOfSeries(v)) out.push(...v);
        else throw new MathError("Arrays can only contain time series");
      }
      return out;
    }
    case "unary": {
      const fn = node.op === "-" ? (x: number) => -x : (x: number) => +(x === 0);
      return applyUnary(evaluate(node.e, ctx), fn);
    }
    case "bin":
      return applyBinary(node.op, evaluate(node.l, ctx), evaluate(node.r, ctx));
    case "call":
      return callFunction(node.fn, node.args, ctx);
  }
}

function label(v: Value): string {
  return isSeries(v) ? v.label : "";
}

function applyUnary(v: Value, fn: (x: number) => number): Value {
  if (typeof v === "number") return fn(v);
  if (isSeries(v)) return mapSeries(v, fn);
  if (isArrayOfSeries(v)) return v.map((s) => mapSeries(s, fn));
  throw new MathError("Operand must be a number or a time series");
}

function applyBinary(op: string, a: Value, b: Value): Value {
  const fn = BINARY[op];
  if (typeof a === "number" && typeof b === "number") return fn(a, b);
  if (isArrayOfSeries(a)) return a.map((s) => applyBinary(op, s, b) as Series);
  if (isArrayOfSeries(b)) return b.map((s) => applyBinary(op, a, s) as Series);
  if (isSeries(a) && typeof b === "number") return mapSeries(a, (x) => fn(x, b));
  if (typeof a === "number" && isSeries(b)) return mapSeries(b, (y) => fn(a, y));
  if (isSeries(a) && isSeries(b)) return zipSeries(a, b, fn, a.label || b.label);
  throw new MathError(`Operator '${op}' needs numbers or time series`);
}

function seriesList(v: Value, fn: string): Series[] {
  if (isSeries(v)) return [v];
  if (isArrayOfSeries(v)) return v;
  throw new MathError(`${fn} expects a time series or an array of time series`);
}

function callFunction(fn: string, args: Node[], ctx: MathContext): Value {
  const arity = (min: number, max = min) => {
    if (args.length < min || args.length > max)
      throw new MathError(`${fn} takes ${min === max ? min : `${min} to ${max}`} arguments, got ${args.length}`);
  };
  if (UNARY_FUNCTIONS[fn]) {
    arity(1);
    return applyUnary(evaluate(args[0], ctx), UNARY_FUNCTIONS[fn]);
  }
  if (REDUCERS[fn]) {
    arity(1);
    const v = evaluate(args[0], ctx);
    // One series reduces to a scalar; an array reduces across series, per timestamp.
    if (isSeries(v)) return v.vs.length ? REDUCERS[fn](v.vs) : NaN;
    if (isArrayOfSeries(v)) return reduceAcross(v, REDUCERS[fn], fn);
    if (typeof v === "number") return v;
    throw new MathError(`${fn} expects a time series or an array of time series`);
  }
  switch (fn) {
    case "FILL": {
      arity(2);
      const target = evaluate(args[0], ctx);
      const how = evaluate(args[1], ctx);
      let fill: number | "REPEAT" | "LINEAR";
      if (typeof how === "number") fill = how;
      else if (typeof how === "object" && "kw" in how && (how.kw === "REPEAT" || how.kw === "LINEAR")) fill = how.kw;
      else throw new MathError("The second argument of FILL must be a number, REPEAT or LINEAR");
      const filled = seriesList(target, fn).map((s) => fillSeries(s, ctx.gridStart(s.period), ctx.end, fill));
      return isSeries(target) ? filled[0] : filled;
    }
    case "IF": {
      arity(2, 3);
      const cond = evaluate(args[0], ctx);
      const then = evaluate(args[1], ctx);
      const otherwise = args[2] ? evaluate(args[2], ctx) : undefined;
      if (!isSeries(cond)) throw new MathError("The condition of IF must be a time series");
      return conditional(cond, then, otherwise);
    }
    case "METRICS": {
      arity(0, 1);
      const filter = args[0] ? evaluate(args[0], ctx) : undefined;
      const all = ctx.metrics();
      if (!filter) return all;
      if (typeof filter !== "object" || !("str" in filter)) throw new MathError("METRICS takes a string filter");
      return all.filter((s) => s.label.includes(filter.str));
    }
    case "DIFF":
    case "RATE":
    case "RUNNING_SUM": {
      arity(1);
      const v = evaluate(args[0], ctx);
      const out = seriesList(v, fn).map((s) => sequential(fn, s));
      return isSeries(v) ? out[0] : out;
    }
    case "PERIOD": {
      arity(1);
      const v = evaluate(args[0], ctx);
      return seriesList(v, fn)[0]?.period ?? 60;
    }
    default:
      throw new MathError(`Unrecognized function ${fn}`);
  }
}

function conditional(cond: Series, then: Value, otherwise: Value | undefined): Series {
  const pick = (v: Value | undefined, t: number): number | undefined => {
    if (v === undefined) return undefined;
    if (typeof v === "number") return v;
    if (isSeries(v)) {
      const i = v.ts.indexOf(t);
      return i < 0 ? undefined : v.vs[i];
    }
    throw new MathError("IF branches must be numbers or time series");
  };
  const out: Series = { ts: [], vs: [], label: label(then) || cond.label, period: cond.period };
  cond.ts.forEach((t, i) => {
    const v = cond.vs[i] !== 0 ? pick(then, t) : pick(otherwise, t);
    if (v !== undefined) {
      out.ts.push(t);
      out.vs.push(v);
    }
  });
  return out;
}

function sequential(fn: string, s: Series): Series {
  const out: Series = { ts: [], vs: [], label: s.label, period: s.period };
  let running = 0;
  s.ts.forEach((t, i) => {
    if (fn === "RUNNING_SUM") {
      running += s.vs[i];
      out.ts.push(t);
      out.vs.push(running);
    } else if (i > 0) {
      const diff = s.vs[i] - s.vs[i - 1];
      out.ts.push(t);
      out.vs.push(fn === "DIFF" ? diff : diff / (t - s.ts[i - 1]));
    }
  });
  return out;
}
