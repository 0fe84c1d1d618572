/** Time series arithmetic for metric math: series keep the timestamps of their inputs. */

export interface Series {
  /** Epoch seconds, ascending. */
  ts: number[];
  vs: number[];
  label: string;
  period: number;
}

export type Value = number | Series | Series[] | { kw: string } | { str: string };

export const isSeries = (v: Value): v is Series => typeof v === "object" && !Array.isArray(v) && "ts" in v;
export const isArrayOfSeries = (v: Value): v is Series[] => Array.isArray(v);

export function mapSeries(s: Series, fn: (v: number, i: number) => number, label = s.label): Series {
  return { ts: [...s.ts], vs: s.vs.map(fn), label, period: s.period };
}

/** Series op series: only timestamps present in both (FILL first to keep gaps). */
export function zipSeries(a: Series, b: Series, fn: (x: number, y: number) => number, label: string): Series {
  const out: Series = { ts: [], vs: [], label, period: a.period };
  let i = 0;
  let j = 0;
  while (i < a.ts.length && j < b.ts.length) {
    if (a.ts[i] === b.ts[j]) {
      out.ts.push(a.ts[i]);
      out.vs.push(fn(a.vs[i], b.vs[j]));
      i++;
      j++;
    } else if (a.ts[i] < b.ts[j]) i++;
    else j++;
  }
  return out;
}

/** Every period start of the query grid, for FILL and for broadcasting scalars. */
export function gridTimestamps(gridStart: number, end: number, period: number): number[] {
  const out: number[] = [];
  for (let t = gridStart; t < end; t += period) out.push(t);
  return out;
}

export function fillSeries(s: Series, gridStart: number, end: number, how: number | "REPEAT" | "LINEAR"): Series {
  const grid = gridTimestamps(gridStart, end, s.period);
  const known = new Map<number, number>();
  s.ts.forEach((t, i) => known.set(t, s.vs[i]));
  const vs: number[] = new Array(grid.length);
  if (typeof how === "number") {
    grid.forEach((t, i) => (vs[i] = known.get(t) ?? how));
    return { ts: grid, vs, label: s.label, period: s.period };
  }
  if (!s.ts.length) return { ts: [], vs: [], label: s.label, period: s.period };
  // REPEAT carries the last real value forward; LINEAR interpolates between real neighbours.
  // Before the first real value both use that first value.
  let prev = -1;
  for (let i = 0; i < grid.length; i++) {
    const v = known.get(grid[i]);
    if (v !== undefined) {
      vs[i] = v;
      if (how === "LINEAR" && prev >= 0 && i - prev > 1) {
        for (let k = prev + 1; k < i; k++) vs[k] = vs[prev] + ((v - vs[prev]) * (k - prev)) / (i - prev);
      } else if (prev < 0) {
        for (let k = 0; k < i; k++) vs[k] = v;
      }
      prev = i;
    } else if (prev >= 0) {
      vs[i] = vs[prev];
    }
  }
  return { ts: grid, vs, label: s.label, period: s.period };
}

/** SUM/AVG/MIN/MAX/STDDEV across an array of series: per timestamp, over the series that have a value. */
export function reduceAcross(list: Series[], reduce: (xs: number[]) => number, label: string): Series {
  const byTime = new Map<number, number[]>();
  for (const s of list) s.ts.forEach((t, i) => (byTime.get(t) ?? byTime.set(t, []).get(t)!).push(s.vs[i]));
  const ts = [...byTime.keys()].sort((a, b) => a - b);
  return { ts, vs: ts.map((t) => reduce(byTime.get(t)!)), label, period: list[0]?.period ?? 60 };
}

export const REDUCERS: Record<string, (xs: number[]) => number> = {
  SUM: (xs) => xs.reduce((a, b) => a + b, 0),
  AVG: (xs) => xs.reduce((a, b) => a + b, 0) / xs.length,
  MIN: (xs) => Math.min(...xs),
  MAX: (xs) => Math.max(...xs),
  STDDEV: (xs) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  },
};
