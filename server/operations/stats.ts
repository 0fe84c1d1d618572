/**
 * Exact small-sample statistics for the canary judge (no normal approximation, no minimum
 * count): Fisher's exact test, the one-sided binomial test and the Clopper-Pearson upper
 * bound. Pure functions on counts; everything is computed in log space so 100 000 requests
 * are as safe as 10.
 */

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 significant digits). */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const logChoose = (n: number, k: number) => logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);

/** Sum of exp(terms) without overflow. */
function logSumExp(terms: number[]): number {
  const max = Math.max(...terms);
  if (!Number.isFinite(max)) return max;
  return max + Math.log(terms.reduce((s, t) => s + Math.exp(t - max), 0));
}

/**
 * Fisher's exact test, one-sided: the probability, if both fleets had the same failure rate,
 * that the new fleet would get at least `x1` of the `x1 + x2` failures seen in the
 * `n1 + n2` requests (hypergeometric tail). Small = the new fleet is worse.
 */
export function fisherGreater(x1: number, n1: number, x2: number, n2: number): number {
  const k = x1 + x2;
  const n = n1 + n2;
  if (n1 === 0 || k === 0) return 1;
  const hi = Math.min(k, n1);
  const lo = Math.max(0, k - n2);
  if (x1 <= lo) return 1;
  const denom = logChoose(n, n1);
  const terms: number[] = [];
  for (let i = x1; i <= hi; i++) terms.push(logChoose(k, i) + logChoose(n - k, n1 - i) - denom);
  return Math.min(1, Math.exp(logSumExp(terms)));
}

/** P(X >= x) for X ~ Binomial(n, p): how surprising x failures in n requests are at a true rate p. */
export function binomialUpperTail(x: number, n: number, p: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const terms: number[] = [];
  for (let i = x; i <= n; i++) terms.push(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, Math.exp(logSumExp(terms)));
}

/** P(X <= x) for X ~ Binomial(n, p). */
function binomialCdf(x: number, n: number, p: number): number {
  if (x >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const terms: number[] = [];
  for (let i = 0; i <= x; i++) terms.push(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.min(1, Math.exp(logSumExp(terms)));
}

/**
 * Clopper-Pearson one-sided upper confidence bound of a rate seen as x failures in n: the
 * highest true rate under which seeing x or fewer failures still has probability >= 1 - level.
 * 0 of 23 at 95% -> 12.2%: "no errors yet" is far from "at most 2% errors".
 */
export function upperBound(x: number, n: number, level = 0.95): number {
  if (n <= 0) return 1;
  if (x >= n) return 1;
  const alpha = 1 - level;
  if (x === 0) return 1 - alpha ** (1 / n);
  let lo = x / n;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomialCdf(x, n, mid) > alpha) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * How many requests in all (with no more failures than the `x` seen) until the upper bound
 * drops to `ceiling`; null when it never can (a ceiling of 0, or failures already above it).
 */
export function requestsNeeded(x: number, ceiling: number, level = 0.95): number | null {
  if (ceiling <= 0 || ceiling >= 1) return null;
  let hi = Math.max(1, x + 1);
  while (upperBound(x, hi, level) > ceiling) {
    hi *= 2;
    if (hi > 1e8) return null;
  }
  let lo = Math.max(x, Math.floor(hi / 2));
  while (lo + 1 < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (upperBound(x, mid, level) <= ceiling) hi = mid;
    else lo = mid;
  }
  return hi;
}
