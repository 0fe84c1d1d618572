import type { RangeKey } from "./types.ts";

/**
 * Time ranges and their periods. CloudWatch keeps 60 s data for 15 days, 300 s for 63 days and
 * 3600 s for 455 days; past 3 hours a period must be a multiple of 60. Each range has at most
 * ~360 points per series so a chart stays readable and the call stays small.
 */
export const RANGES: Record<RangeKey, { seconds: number; periodSeconds: number; label: string }> = {
  "1h": { seconds: 3_600, periodSeconds: 60, label: "1 h" }, // 60 points
  "3h": { seconds: 3 * 3_600, periodSeconds: 60, label: "3 h" }, // 180 points
  "24h": { seconds: 24 * 3_600, periodSeconds: 300, label: "24 h" }, // 288 points
  "7d": { seconds: 7 * 86_400, periodSeconds: 1_800, label: "7 d" }, // 336 points
};

export const RANGE_KEYS = Object.keys(RANGES) as RangeKey[];

export function isRangeKey(v: unknown): v is RangeKey {
  return typeof v === "string" && v in RANGES;
}

/** Viewers refresh every 10 s; one fetch per environment, range and window is shared by all. */
export const REFRESH_MS = 10_000;

/**
 * The query window for a range ending at the service's "now": the end is the start of the
 * current minute (the last complete minute is the newest one published), the start a whole
 * number of periods before it, so the buckets [start + k*period) end exactly at `end`.
 */
export function windowOf(range: RangeKey, serverNowMs: number): { start: number; end: number; periodSeconds: number } {
  const { seconds, periodSeconds } = RANGES[range];
  const end = Math.floor(serverNowMs / 60_000) * 60_000;
  return { start: end - seconds * 1000, end, periodSeconds };
}
