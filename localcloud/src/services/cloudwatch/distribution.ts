/**
 * A small value distribution (sorted centroids) per bucket, so percentiles and trimmed means
 * can be computed on read without keeping every raw value. Exact while a bucket holds at most
 * MAX_CENTROIDS distinct values; past that, the closest neighbours in the middle of the
 * distribution are merged first so the tails (p95, p99) stay accurate.
 *
 * Layout: flat [value0, count0, value1, count1, ...] sorted by value (compact in JSON).
 */

export const MAX_CENTROIDS = 64;

/** Add `count` occurrences of `value`, keeping the array sorted and bounded. */
export function addToDistribution(dist: number[], value: number, count: number): void {
  let lo = 0;
  let hi = dist.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (dist[mid * 2] < value) lo = mid + 1;
    else hi = mid;
  }
  if (lo * 2 < dist.length && dist[lo * 2] === value) dist[lo * 2 + 1] += count;
  else dist.splice(lo * 2, 0, value, count);
  if (dist.length / 2 > MAX_CENTROIDS) compress(dist, MAX_CENTROIDS);
}

/** Merge `source` into `target` (both sorted); target stays bounded. */
export function mergeDistributions(target: number[], source: readonly number[]): void {
  for (let i = 0; i < source.length; i += 2) addToDistribution(target, source[i], source[i + 1]);
}

/** Merge adjacent centroids until at most `max` remain; mid-distribution merges cost least. */
export function compress(dist: number[], max: number): void {
  while (dist.length / 2 > max) {
    const n = dist.length / 2;
    let total = 0;
    for (let i = 1; i < dist.length; i += 2) total += dist[i];
    let best = -1;
    let bestCost = Infinity;
    let cum = 0;
    for (let i = 0; i < n - 1; i++) {
      const c1 = dist[i * 2 + 1];
      const c2 = dist[i * 2 + 3];
      const q = (cum + c1) / total;
      const cost = ((dist[i * 2 + 2] - dist[i * 2]) * (c1 + c2)) / (4 * q * (1 - q) + 0.02);
      if (cost < bestCost) {
        bestCost = cost;
        best = i;
      }
      cum += c1;
    }
    const v1 = dist[best * 2];
    const c1 = dist[best * 2 + 1];
    const v2 = dist[best * 2 + 2];
    const c2 = dist[best * 2 + 3];
    dist.splice(best * 2, 4, (v1 * c1 + v2 * c2) / (c1 + c2), c1 + c2);
  }
}

function totalCount(dist: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < dist.length; i += 2) total += dist[i];
  return total;
}

/** Nearest-rank percentile: the smallest value with at least p% of the samples at or below it. */
export function percentile(dist: readonly number[], p: number): number | undefined {
  const total = totalCount(dist);
  if (total <= 0) return undefined;
  if (p <= 0) return dist[0];
  const rank = Math.max(Math.ceil((p / 100) * total - 1e-9), 1);
  let cum = 0;
  for (let i = 0; i < dist.length; i += 2) {
    cum += dist[i + 1];
    if (cum >= rank - 1e-9) return dist[i];
  }
  return dist[dist.length - 2];
}

/**
 * Count and sum of the samples whose rank lies between loPct and hiPct of the distribution
 * (TM/TC/TS statistics). Centroids straddling a boundary contribute the overlapping share.
 */
export function rankRange(dist: readonly number[], loPct: number, hiPct: number): { count: number; sum: number } {
  const total = totalCount(dist);
  const lo = (loPct / 100) * total;
  const hi = (hiPct / 100) * total;
  let cum = 0;
  let count = 0;
  let sum = 0;
  for (let i = 0; i < dist.length; i += 2) {
    const start = cum;
    const end = cum + dist[i + 1];
    const overlap = Math.min(end, hi) - Math.max(start, lo);
    if (overlap > 1e-9) {
      count += overlap;
      sum += overlap * dist[i];
    }
    cum = end;
  }
  return { count, sum };
}
