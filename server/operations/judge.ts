/**
 * Is the new fleet worse? The canary judge: it compares the two fleets over the SAME complete
 * minutes while both take traffic, never the new fleet against the old one's history, and it
 * answers pass, fail or UNDECIDED. Undecided is never a pass: the bake extends, then holds for
 * a person or rolls back (bake-loop.ts).
 *
 * Why these statistics. Canary steps are small: at 10% of a quiet service a bake sees tens of
 * requests, where a normal approximation (z-test) is wrong and a "minimum count" hides a
 * version failing 9 times in 23. So:
 *   - FAIL needs exact evidence, at p < 0.001 (strict, because the judge looks again at every
 *     round of a bake): Fisher's exact test, one-sided, on the failures of the new fleet
 *     against the old one's in the same minutes (9/23 vs 1/2000: p ~ 1e-15), and the exact
 *     binomial test against the spec's 5xx threshold (the 100% step has no old fleet).
 *   - PASS needs evidence too: the Clopper-Pearson 95% upper bound of the new fleet's failure
 *     rate must be at or under the spec's threshold. 0 failures in 23 requests bounds the rate
 *     only at 12.2%, so that is undecided; 2/5000 bounds it at 0.13%, a pass. Without failures
 *     a 2% threshold needs 149 requests; the verdict says how many (`requestsNeeded`).
 * A failure is a target 5xx or a target connection error (the ALB answers 502 for those).
 * A Bayesian beta-binomial posterior would give similar numbers; exact tests were chosen
 * because their two numbers (a p-value, a bound) read plainly on the timeline.
 *
 * Rules, in order (the first that applies decides; the timeline shows it with the numbers):
 *  1. An alarm of the new fleet is in ALARM -> fail.
 *  2. Switchyard's own probes of the new targets failed more than the threshold allows -> fail.
 *  3. The new target group had unhealthy hosts in 2 or more judged minutes -> fail.
 *  4. New fleet failure rate above the spec's threshold (exact binomial, p < 0.001) -> fail.
 *  5. New fleet worse than the old (Fisher, p < 0.001) by at least 0.5 points -> fail.
 *  6. New fleet p95 above the spec's maximum, or 50% and 20 ms above the old fleet's, in most
 *     minutes where both served at least 20 requests (MIN_LATENCY_REQUESTS) -> fail.
 *  7. No complete minute with data from the new fleet -> undecided.
 *  8. 95% upper bound of its failure rate <= the threshold -> pass; otherwise undecided.
 * Only complete minutes count: the window is [from, to) with `to` at most "now minus the
 * publication delay" (bake-window.ts); a minute without a datapoint is MISSING, never zero.
 */
import { binomialUpperTail, fisherGreater, requestsNeeded, upperBound } from "./stats.ts";

/** Requests a fleet must serve in a minute for that minute's p95 to be compared (20: the p95 is then not simply the slowest). */
export const MIN_LATENCY_REQUESTS = 20;

export interface Minute {
  /** Start of the minute, ISO-8601. */
  timestamp: string;
  /** null: CloudWatch has no datapoint for this minute (missing, not zero). */
  requests: number | null;
  errors5xx: number;
  connectionErrors?: number;
  p95LatencyMs: number | null;
  unhealthyHosts?: number | null;
}

export interface ProbeTally {
  requests: number;
  failures: number;
  /** The last failing answer, in words ("HTTP 500 on /", "connect ECONNREFUSED"). */
  lastFailure: string | null;
}

export interface JudgeInput {
  baseline: Minute[];
  canary: Minute[];
  /** The complete minutes to judge: [from, to), minute-aligned ISO-8601. */
  window: { from: string; to: string };
  max5xxRatePercent: number;
  maxP95LatencyMs: number;
  alarmsFiring: string[];
  probes?: ProbeTally | null;
}

export type Outcome = "pass" | "fail" | "undecided";

export interface FleetNumbers {
  requests: number;
  errors: number;
  ratePercent: number;
  p95Ms: number | null;
  /** 95% upper bound of the failure rate (Clopper-Pearson), in percent; null without requests. */
  upperBoundPercent: number | null;
}

export interface Verdict {
  outcome: Outcome;
  rule: string;
  /** In words: how sure the judge is ("p = 2.1e-15", "95% sure the rate is at most 0.13%"). */
  confidence: string;
  canary: FleetNumbers;
  baseline: FleetNumbers;
  /** Fisher's exact test, one-sided (new fleet worse); null without an old fleet to compare. */
  pValue: number | null;
  /** Exact binomial test of the new fleet's failures against the threshold. */
  thresholdPValue: number | null;
  /** Requests the new fleet needs in all for a pass if no more fail (undecided only). */
  requestsNeeded: number | null;
  minutes: { from: string; to: string; judged: string[]; missing: string[] };
  unhealthyMinutes: number;
  latencyMinutesWorse: number;
  latencyMinutesCompared: number;
  probes: ProbeTally | null;
}

export const ALPHA_FAIL = 0.001;
export const PASS_LEVEL = 0.95;
/** Points of failure rate the new fleet may exceed the old by before "worse" matters. */
export const PRACTICAL_MARGIN_PERCENT = 0.5;
const MINUTE = 60_000;

const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] : null);
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const fmtP = (p: number) => (p < 0.0001 ? p.toExponential(1) : String(round(p, 4)));
const failuresOf = (m: Minute) => m.errors5xx + (m.connectionErrors ?? 0);

/** The window's minutes (ISO), oldest first. */
export function minutesOf(window: { from: string; to: string }): string[] {
  const out: string[] = [];
  for (let t = Date.parse(window.from); t < Date.parse(window.to); t += MINUTE) out.push(new Date(t).toISOString());
  return out;
}

function totals(minutes: Minute[]) {
  const requests = minutes.reduce((a, m) => a + (m.requests ?? 0), 0);
  const errors = minutes.reduce((a, m) => a + failuresOf(m), 0);
  return { requests, errors: Math.min(errors, requests) };
}

function numbers(t: { requests: number; errors: number }, minutes: Minute[]): FleetNumbers {
  const p95 = median(minutes.map((m) => m.p95LatencyMs).filter((v): v is number => v !== null));
  return {
    ...t,
    ratePercent: t.requests ? round((100 * t.errors) / t.requests) : 0,
    p95Ms: p95 === null ? null : round(p95, 1),
    upperBoundPercent: t.requests ? round(100 * upperBound(t.errors, t.requests, PASS_LEVEL), 3) : null,
  };
}

/** Switchyard's probes failed more than the threshold allows (exact binomial, p < ALPHA_FAIL; 2 failures at least). */
export const probesFail = (t: ProbeTally, max5xxRatePercent: number) =>
  t.failures >= 2 && binomialUpperTail(t.failures, t.requests, max5xxRatePercent / 100) < ALPHA_FAIL;

export function judge(input: JudgeInput): Verdict {
  const byTime = (xs: Minute[]) => new Map(xs.map((m) => [new Date(m.timestamp).toISOString(), m]));
  const canaryAt = byTime(input.canary);
  const baselineAt = byTime(input.baseline);
  const window = minutesOf(input.window);
  const judged = window.filter((t) => canaryAt.get(t)?.requests != null);
  const missing = window.filter((t) => canaryAt.get(t)?.requests == null);
  const canaryMinutes = judged.map((t) => canaryAt.get(t)!);
  const baselineMinutes = judged.map((t) => baselineAt.get(t)).filter((m): m is Minute => m?.requests != null);
  const c = totals(canaryMinutes);
  const b = totals(baselineMinutes);
  const threshold = input.max5xxRatePercent / 100;
  // No finite sample proves a rate of exactly 0: a 0% threshold is judged as 0.1%.
  const ceiling = Math.max(threshold, 0.001);
  const pValue = b.requests && c.requests ? fisherGreater(c.errors, c.requests, b.errors, b.requests) : null;
  const thresholdPValue = c.requests ? binomialUpperTail(c.errors, c.requests, threshold) : null;
  const unhealthyMinutes = canaryMinutes.filter((m) => (m.unhealthyHosts ?? 0) > 0).length;

  let compared = 0;
  let worse = 0;
  for (const m of canaryMinutes) {
    // The p95 of a handful of requests is their slowest one: a minute counts only with enough.
    if (m.p95LatencyMs === null || (m.requests ?? 0) < MIN_LATENCY_REQUESTS) continue;
    const base = baselineAt.get(new Date(m.timestamp).toISOString());
    const overMax = m.p95LatencyMs > input.maxP95LatencyMs;
    const overBase =
      base?.p95LatencyMs != null &&
      (base.requests ?? 0) >= MIN_LATENCY_REQUESTS &&
      m.p95LatencyMs > base.p95LatencyMs * 1.5 &&
      m.p95LatencyMs - base.p95LatencyMs > 20;
    compared++;
    if (overMax || overBase) worse++;
  }

  const cn = numbers(c, canaryMinutes);
  const bn = numbers(b, baselineMinutes);
  const verdict = (outcome: Outcome, rule: string, confidence: string): Verdict => ({
    outcome,
    rule,
    confidence,
    canary: cn,
    baseline: bn,
    pValue: pValue === null ? null : Number(pValue.toPrecision(3)),
    thresholdPValue: thresholdPValue === null ? null : Number(thresholdPValue.toPrecision(3)),
    requestsNeeded: outcome === "undecided" ? requestsNeeded(c.errors, ceiling, PASS_LEVEL) : null,
    minutes: { ...input.window, judged, missing },
    unhealthyMinutes,
    latencyMinutesWorse: worse,
    latencyMinutesCompared: compared,
    probes: input.probes ?? null,
  });

  if (input.alarmsFiring.length) return verdict("fail", `Alarm in ALARM: ${input.alarmsFiring.join(", ")}`, "the alarm decided");
  const pr = input.probes;
  if (pr && probesFail(pr, input.max5xxRatePercent)) {
    const p = binomialUpperTail(pr.failures, pr.requests, threshold);
    return verdict(
      "fail",
      `Switchyard's probes of the new targets: ${pr.failures} of ${pr.requests} failed${pr.lastFailure ? ` (last: ${pr.lastFailure})` : ""}`,
      `p = ${fmtP(p)} at a true failure rate of ${input.max5xxRatePercent}%`,
    );
  }
  if (unhealthyMinutes >= 2)
    return verdict(
      "fail",
      `The new target group had unhealthy hosts in ${unhealthyMinutes} of ${judged.length} judged minutes`,
      "2 minutes or more",
    );
  if (thresholdPValue !== null && thresholdPValue < ALPHA_FAIL && c.errors / c.requests > threshold)
    return verdict(
      "fail",
      `New fleet failed ${c.errors} of ${c.requests} requests (${cn.ratePercent}%), above the ${input.max5xxRatePercent}% threshold`,
      `p = ${fmtP(thresholdPValue)} (exact binomial test)`,
    );
  if (pValue !== null && pValue < ALPHA_FAIL && cn.ratePercent - bn.ratePercent >= PRACTICAL_MARGIN_PERCENT)
    return verdict(
      "fail",
      `New fleet failed ${c.errors} of ${c.requests} (${cn.ratePercent}%), significantly more than the old fleet's ${b.errors} of ${b.requests} (${bn.ratePercent}%)`,
      `p = ${fmtP(pValue)} (Fisher's exact test, one-sided)`,
    );
  if (compared > 0 && worse > compared / 2)
    return verdict(
      "fail",
      `New fleet p95 latency is worse in ${worse} of ${compared} minutes (max ${input.maxP95LatencyMs} ms, or 50% above the old fleet)`,
      "most minutes",
    );
  if (!c.requests)
    return verdict(
      "undecided",
      `Not enough data: no complete minute with requests to the new fleet yet (${missing.length} missing)`,
      "no data",
    );
  const bound = upperBound(c.errors, c.requests, PASS_LEVEL);
  if (bound <= ceiling)
    return verdict(
      "pass",
      `New fleet failed ${c.errors} of ${c.requests} requests; its failure rate is at most ${round(100 * bound, 3)}%, within the ${input.max5xxRatePercent}% threshold`,
      `95% sure the rate is at most ${round(100 * bound, 3)}%`,
    );
  const needed = requestsNeeded(c.errors, ceiling, PASS_LEVEL);
  return verdict(
    "undecided",
    `Not enough data: ${c.errors} of ${c.requests} requests failed; the rate could still be up to ${round(100 * bound, 1)}% (${input.max5xxRatePercent}% allowed)${needed ? `: about ${needed} requests needed` : ""}`,
    `95% upper bound ${round(100 * bound, 1)}%`,
  );
}
