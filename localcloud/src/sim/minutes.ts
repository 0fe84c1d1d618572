/**
 * Simulated-minute bookkeeping shared by the metric publishers. AWS publishes per minute,
 * stamped at the minute's start; here a minute is published at the first tick after it closed.
 */
export const MINUTE_MS = 60_000;

/** A clock jump (POST /_localcloud/clock advanceMs) publishes at most this many closed minutes. */
export const MAX_CATCH_UP_MINUTES = 60;

export const minuteOf = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/** Hands out each simulated minute (or each `step` of a minute) once, after it closed, oldest first. */
export class MinuteCursor {
  /** Start of the next period to publish; unset until the first tick (nothing before the start is published). */
  private next?: number;

  constructor(private readonly step = MINUTE_MS) {}

  /** The periods (start ms) that closed since the last call. */
  closed(now: number): number[] {
    const current = Math.floor(now / this.step) * this.step;
    if (this.next === undefined) {
      this.next = current;
      return [];
    }
    if (current - this.next > MAX_CATCH_UP_MINUTES * MINUTE_MS) this.next = current - MAX_CATCH_UP_MINUTES * MINUTE_MS;
    const out: number[] = [];
    for (; this.next < current; this.next += this.step) out.push(this.next);
    return out;
  }
}

/** Deterministic noise in [-0.5, 0.5) from a key and a minute, so metrics wiggle the same way on every run. */
export function noise(key: string, minute: number): number {
  let h = 2166136261 ^ Math.floor(minute / MINUTE_MS);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  h = Math.imul(h ^ (h >>> 13), 3266489909);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296 - 0.5;
}

/** Sorted Values/Counts of a value -> count map (CloudWatch's distribution form of a datum). */
export function valuesAndCounts(hist: Map<number, number>): { Values: number[]; Counts: number[] } {
  const entries = [...hist.entries()].sort((a, b) => a[0] - b[0]);
  return { Values: entries.map((e) => e[0]), Counts: entries.map((e) => e[1]) };
}

export function addTo<K>(hist: Map<K, number>, key: K, count = 1): void {
  hist.set(key, (hist.get(key) ?? 0) + count);
}

export type Datum = {
  MetricName: string;
  Dimensions: Array<{ Name: string; Value: string }>;
  Timestamp: number;
  Unit: string;
  Value?: number;
  Values?: number[];
  Counts?: number[];
};
