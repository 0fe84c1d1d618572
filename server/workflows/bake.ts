import { createHook } from "workflow";
import type { ProbeTally, Verdict } from "../operations/judge.ts";
import type { BakeSignals } from "../operations/signals.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import type { StepInput } from "../provisioning/index.ts";
import { bakeRound, holdStarted, notJudged, type BakeRefs } from "./bake-steps.ts";
import { holdToken } from "./tokens.ts";

/**
 * bakeShift: one canary step's bake, run inside the rollout workflow after its listener change.
 *   rounds of ROUND_MS: Switchyard's probes of the new targets, then the judge on the complete
 *   minutes so far: a FAIL ends the bake at once (seconds for a crashing version);
 *   the bake period (spec: bakeMinutes, wall clock), then the wait until CloudWatch has
 *   published every minute of it (bake-window.ts): then a PASS ends it;
 *   UNDECIDED (not enough data) extends it by another bake period, passing as soon as the data
 *   allows, up to the spec's maxBakeMinutes; then, as the spec says (onUndecided), it rolls back
 *   or HOLDS for a deployer: approve continues (the step is never shown as passed), cancel rolls back.
 * An undecided verdict never counts as a pass.
 */
export const ROUND_MS = 5_000;

export type BakeEnd =
  | { kind: "pass" | "fail" | "undecided"; verdict: Verdict }
  | { kind: "approved"; verdict: Verdict; approvedBy: string }
  | { kind: "cancelled" }
  | { kind: "not-judged" };

export interface BakeShiftInput {
  deploymentId: string;
  key: string;
  base: StepInput & { spec: EnvironmentSpec };
  version: string;
  refs: BakeRefs;
  /** The listener change (service clock). */
  since: string;
  isAborted: () => boolean;
  abortSignal: Promise<unknown>;
}

export async function bakeShift(o: BakeShiftInput): Promise<BakeEnd> {
  const rollout = o.base.spec.rollout;
  const bakeMs = Math.round(rollout.bakeMinutes * 60_000);
  if (bakeMs === 0) {
    await notJudged(o.deploymentId, o.key);
    return { kind: "not-judged" };
  }
  const maxBakeMs = Math.max(bakeMs, Math.round((rollout.maxBakeMinutes ?? rollout.bakeMinutes) * 60_000));
  const onUndecided = rollout.onUndecided ?? "hold";
  let targetMs = bakeMs;
  let bakedMs = 0;
  let until: string | null = null;
  let tally: ProbeTally = { requests: 0, failures: 0, lastFailure: null };
  let previous: BakeSignals | null = null;
  for (;;) {
    const extended = targetMs > bakeMs;
    const roundMs = until === null ? Math.max(0, Math.min(ROUND_MS, targetMs - bakedMs)) : ROUND_MS;
    const r = await bakeRound({
      ...o.base,
      deploymentId: o.deploymentId,
      key: o.key,
      version: o.version,
      refs: o.refs,
      since: o.since,
      until,
      roundMs,
      tally,
      previous,
      progress: { bakedMs, targetMs, maxBakeMs, extended, onUndecided },
    });
    tally = r.tally;
    previous = r.signals;
    bakedMs += r.elapsedMs;
    if (o.isAborted()) return { kind: "cancelled" };
    if (r.verdict.outcome === "fail") return { kind: "fail", verdict: r.verdict };
    // Extended: the bake itself was judged in full already; more data may settle it any round.
    if (extended && r.verdict.outcome === "pass") return { kind: "pass", verdict: r.verdict };
    if (until === null && bakedMs >= targetMs) until = r.now;
    if (until === null || !r.window.complete) continue;
    if (r.verdict.outcome === "pass") return { kind: "pass", verdict: r.verdict };
    if (bakedMs < maxBakeMs) {
      targetMs = Math.min(maxBakeMs, bakedMs + bakeMs);
      until = null;
      continue;
    }
    if (onUndecided === "rollback") return { kind: "undecided", verdict: r.verdict };
    using hold = createHook<{ approvedBy: string }>({ token: holdToken(o.deploymentId, o.key) });
    await holdStarted(o.deploymentId, o.key, r.verdict, {
      phase: "holding",
      bakedMs,
      targetMs,
      maxBakeMs,
      endsAt: null,
      serverNow: r.now,
      completeAt: r.window.completeAt,
      onUndecided,
    });
    const who = await Promise.race([hold.then((a) => a.approvedBy), o.abortSignal.then(() => null)]);
    if (!who) return { kind: "cancelled" };
    return { kind: "approved", verdict: r.verdict, approvedBy: who };
  }
}
