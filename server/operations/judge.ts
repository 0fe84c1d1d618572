/**
 * Is the new fleet worse? The canary judge (after Spinnaker's shape: validate, compare
 * metric by metric, decide), adapted to short bakes. It compares the two fleets over the
 * SAME minutes while both take traffic, never the new fleet against the old one's history.
 *
 * Rules, in order (the first that applies decides; the UI shows it with the numbers):
 * 1. An alarm of the new fleet is in ALARM -> fail.
 * 2. Fewer than `minRequests` requests on the new fleet -> inconclusive (not judged: said so).
 * 3. New fleet 5xx rate above the spec's hard threshold -> fail.
 * 4. New fleet 5xx rate higher than the old fleet's by a two-proportion z-test at 99%
 *    (z > 2.33) and by at least 0.5 percentage points -> fail.
 * 5. New fleet p95 latency above the spec's maximum, or above the old fleet's p95 by more
 *    than 50% and 20 ms, in most of the minutes where both have data -> fail.
 * Otherwise pass.
 */
export interface Minute {
  timestamp: string;
  requests: number;
  errors5xx: number;
  p95LatencyMs: number | null;
}

export interface JudgeInput {
  baseline: Minute[];
  canary: Minute[];
  max5xxRatePercent: number;
  maxP95LatencyMs: number;
  minRequests: number;
  alarmsFiring: string[];
}

export interface Verdict {
  outcome: "pass" | "fail" | "inconclusive";
  rule: string;
  canary: { requests: number; errors: number; ratePercent: number; p95Ms: number | null };
  baseline: { requests: number; errors: number; ratePercent: number; p95Ms: number | null };
  z: number | null;
  latencyMinutesWorse: number;
  latencyMinutesCompared: number;
}

const sum = (xs: Minute[], k: "requests" | "errors5xx") => xs.reduce((a, m) => a + m[k], 0);
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

export function judge(input: JudgeInput): Verdict {
  const c = { requests: sum(input.canary, "requests"), errors: sum(input.canary, "errors5xx") };
  const b = { requests: sum(input.baseline, "requests"), errors: sum(input.baseline, "errors5xx") };
  const rate = (x: { requests: number; errors: number }) => (x.requests ? (100 * x.errors) / x.requests : 0);
  const cP95 = median(input.canary.map((m) => m.p95LatencyMs).filter((v): v is number => v !== null));
  const bP95 = median(input.baseline.map((m) => m.p95LatencyMs).filter((v): v is number => v !== null));
  let z: number | null = null;
  if (c.requests && b.requests) {
    const pooled = (c.errors + b.errors) / (c.requests + b.requests);
    const se = Math.sqrt(pooled * (1 - pooled) * (1 / c.requests + 1 / b.requests));
    z = se > 0 ? (c.errors / c.requests - b.errors / b.requests) / se : 0;
  }
  const byTime = new Map(input.baseline.map((m) => [m.timestamp, m]));
  let compared = 0;
  let worse = 0;
  for (const m of input.canary) {
    if (m.p95LatencyMs === null || m.requests === 0) continue;
    const base = byTime.get(m.timestamp);
    const overMax = m.p95LatencyMs > input.maxP95LatencyMs;
    const overBase =
      base?.p95LatencyMs != null &&
      base.requests > 0 &&
      m.p95LatencyMs > base.p95LatencyMs * 1.5 &&
      m.p95LatencyMs - base.p95LatencyMs > 20;
    compared++;
    if (overMax || overBase) worse++;
  }
  const verdict = (outcome: Verdict["outcome"], rule: string): Verdict => ({
    outcome,
    rule,
    canary: { ...c, ratePercent: round(rate(c)), p95Ms: cP95 === null ? null : round(cP95, 1) },
    baseline: { ...b, ratePercent: round(rate(b)), p95Ms: bP95 === null ? null : round(bP95, 1) },
    z: z === null ? null : round(z),
    latencyMinutesWorse: worse,
    latencyMinutesCompared: compared,
  });

  if (input.alarmsFiring.length) return verdict("fail", `Alarm in ALARM: ${input.alarmsFiring.join(", ")}`);
  if (c.requests < input.minRequests)
    return verdict("inconclusive", `Not judged: only ${c.requests} requests reached the new fleet (at least ${input.minRequests} needed)`);
  if (rate(c) > input.max5xxRatePercent)
    return verdict("fail", `New fleet 5xx rate ${round(rate(c))}% is above the ${input.max5xxRatePercent}% threshold`);
  if (z !== null && z > 2.33 && rate(c) - rate(b) >= 0.5)
    return verdict(
      "fail",
      `New fleet 5xx rate ${round(rate(c))}% is significantly higher than the old fleet's ${round(rate(b))}% (z = ${round(z)})`,
    );
  if (compared > 0 && worse > compared / 2)
    return verdict(
      "fail",
      `New fleet p95 latency is worse in ${worse} of ${compared} minutes (max ${input.maxP95LatencyMs} ms, or 50% above the old fleet)`,
    );
  return verdict("pass", "No rule failed: error rate and latency within bounds");
}
