/**
 * Statistics as CloudWatch names them: SampleCount, Average, Sum, Minimum, Maximum, and the
 * extended ones computed from the value distribution: pNN(.N), tmNN / TM(a%:b%), tcNN / TC(..),
 * tsNN / TS(..), IQM.
 */
import { percentile, rankRange } from "./distribution.ts";
import type { Aggregate } from "./metric-store.ts";

export type StatSpec =
  | { kind: "SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum" }
  | { kind: "percentile"; p: number }
  | { kind: "trimmed"; fn: "mean" | "count" | "sum"; lo: number; hi: number };

export const BASIC_STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;

const NUM = "(\\d+(?:\\.\\d+)?)";
const PERCENTILE = new RegExp(`^p${NUM}$`);
const SHORT_TRIMMED = new RegExp(`^(tm|tc|ts)${NUM}$`, "i");
const RANGE_TRIMMED = new RegExp(`^(tm|tc|ts)\\((?:${NUM}%)?:(?:${NUM}%)?\\)$`, "i");
const TRIMMED_FN = { tm: "mean", tc: "count", ts: "sum" } as const;

/** Parse a statistic name; undefined when CloudWatch would not accept it. */
export function parseStat(name: string): StatSpec | undefined {
  if ((BASIC_STATISTICS as readonly string[]).includes(name)) return { kind: name as (typeof BASIC_STATISTICS)[number] };
  let m = PERCENTILE.exec(name);
  if (m) {
    const p = Number(m[1]);
    return p >= 0 && p <= 100 ? { kind: "percentile", p } : undefined;
  }
  if (name.toUpperCase() === "IQM") return { kind: "trimmed", fn: "mean", lo: 25, hi: 75 };
  m = SHORT_TRIMMED.exec(name);
  if (m) {
    const hi = Number(m[2]);
    return hi > 0 && hi <= 100 ? { kind: "trimmed", fn: TRIMMED_FN[m[1].toLowerCase() as "tm"], lo: 0, hi } : undefined;
  }
  m = RANGE_TRIMMED.exec(name);
  if (m) {
    const lo = m[2] === undefined ? 0 : Number(m[2]);
    const hi = m[3] === undefined ? 100 : Number(m[3]);
    return lo >= 0 && hi <= 100 && lo < hi ? { kind: "trimmed", fn: TRIMMED_FN[m[1].toLowerCase() as "tm"], lo, hi } : undefined;
  }
  return undefined;
}

export function isExtended(spec: StatSpec): boolean {
  return spec.kind === "percentile" || spec.kind === "trimmed";
}

/** The statistic of one period's aggregate; undefined when it cannot be computed (no samples, unknown distribution). */
export function computeStat(agg: Aggregate, spec: StatSpec): number | undefined {
  if (agg.count <= 0) return undefined;
  switch (spec.kind) {
    case "SampleCount":
      return agg.count;
    case "Sum":
      return agg.sum;
    case "Average":
      return agg.sum / agg.count;
    case "Minimum":
      return agg.min;
    case "Maximum":
      return agg.max;
    case "percentile":
      return agg.dist ? percentile(agg.dist, spec.p) : undefined;
    case "trimmed": {
      if (!agg.dist) return undefined;
      const { count, sum } = rankRange(agg.dist, spec.lo, spec.hi);
      if (spec.fn === "count") return round(count);
      if (spec.fn === "sum") return round(sum);
      return count > 0 ? sum / count : undefined;
    }
  }
}

/** Fractional counts from centroid overlaps are rounding noise when they land near an integer. */
function round(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) < 1e-9 ? r : x;
}
