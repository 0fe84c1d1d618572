import { db } from "../db/client.ts";
import { notifyVerdict } from "../notifications/notify.ts";
import { probeDuringBake, endBakeProbes } from "../operations/bake-probe.ts";
import { bakeWindow, type BakeWindow } from "../operations/bake-window.ts";
import { judge, type ProbeTally, type Verdict } from "../operations/judge.ts";
import { readBakeSignals, type BakeSignals } from "../operations/signals.ts";
import * as p from "../provisioning/index.ts";

/**
 * The durable steps of a canary bake (bake.ts runs them). Each round probes the new targets
 * for a few seconds, reads the signals of the complete minutes (only when a new minute was
 * published since the last round), judges, and shows where the bake stands on the step.
 */

export interface BakeRefs {
  loadBalancerArn: string;
  listenerArn: string;
  loadBalancer: { name: string; dnsName: string };
  canary: { slot: p.Slot; targetGroupArn: string };
  baseline: { slot: p.Slot; targetGroupArn: string } | null;
}

/** Where a bake stands, for the timeline: shown by components/operations/step-list.tsx. */
export interface BakeProgress {
  phase: "baking" | "publishing" | "extended" | "holding";
  /** Wall ms baked so far, the current target (the bake, or the bake extended) and the limit. */
  bakedMs: number;
  targetMs: number;
  maxBakeMs: number;
  /** Wall clock estimate of the end of the current bake period (baking phases). */
  endsAt: string | null;
  /** Service clock: now, and when the bake's last minute is published. */
  serverNow: string;
  completeAt: string | null;
  onUndecided: "hold" | "rollback";
}

export interface BakeRoundInput extends p.StepInput {
  deploymentId: string;
  key: string;
  version: string;
  refs: BakeRefs;
  since: string;
  until: string | null;
  roundMs: number;
  tally: ProbeTally;
  previous: BakeSignals | null;
  progress: { bakedMs: number; targetMs: number; maxBakeMs: number; extended: boolean; onUndecided: "hold" | "rollback" };
}

export interface BakeRound {
  verdict: Verdict;
  window: BakeWindow;
  now: string;
  elapsedMs: number;
  tally: ProbeTally;
  signals: BakeSignals;
}

async function recordVerdict(deploymentId: string, key: string, verdict: Verdict, bake: BakeProgress, status: "running" | "waiting") {
  const d = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId }, select: { verdict: true } });
  const all = Array.isArray(d.verdict) ? (d.verdict as unknown[]) : [];
  await db.deployment.update({
    where: { id: deploymentId },
    data: {
      verdict: [...all.filter((v) => (v as { step?: string }).step !== key), { step: key, window: verdict.minutes, ...verdict }] as object,
    },
  });
  await db.deploymentStep.updateMany({ where: { deploymentId, key }, data: { status, detail: { verdict, bake } as object } });
}

export async function bakeRound(input: BakeRoundInput): Promise<BakeRound> {
  "use step";
  const started = Date.now();
  const { refs } = input;
  const { touched: _rule, ...tally } = await probeDuringBake({
    ...input,
    listenerArn: refs.listenerArn,
    targetGroupArn: refs.canary.targetGroupArn,
    loadBalancer: refs.loadBalancer,
    durationMs: input.roundMs,
  });
  const now = (await p.serverClock(input)).now;
  const window = bakeWindow(input.since, input.until, now);
  const same = input.previous && input.previous.window.from === window.from && input.previous.window.to === window.to;
  const signals = same
    ? input.previous!
    : await readBakeSignals({
        ...input,
        loadBalancerArn: refs.loadBalancerArn,
        canary: refs.canary,
        baseline: refs.baseline,
        window: { from: window.from, to: window.to },
      });
  const verdict = judge({
    baseline: signals.baseline,
    canary: signals.canary,
    window: { from: window.from, to: window.to },
    max5xxRatePercent: input.spec.autoRollback.max5xxRatePercent,
    maxP95LatencyMs: input.spec.autoRollback.maxP95LatencyMs,
    alarmsFiring: signals.alarmsFiring,
    probes: tally,
  });
  const elapsedMs = Date.now() - started;
  const { progress } = input;
  const bakedMs = progress.bakedMs + elapsedMs;
  const baking = input.until === null;
  await recordVerdict(
    input.deploymentId,
    input.key,
    verdict,
    {
      phase: progress.extended ? "extended" : baking ? "baking" : "publishing",
      bakedMs,
      targetMs: progress.targetMs,
      maxBakeMs: progress.maxBakeMs,
      endsAt: baking ? new Date(Date.now() + Math.max(0, progress.targetMs - bakedMs)).toISOString() : null,
      serverNow: now,
      completeAt: window.completeAt,
      onUndecided: progress.onUndecided,
    },
    "running",
  );
  // Notified once per decision (the same decision bake.ts acts on), not every round.
  const decided = verdict.outcome === "fail" || (verdict.outcome === "pass" && (progress.extended || (!baking && window.complete)));
  if (decided) await notifyVerdict(input.deploymentId, input.key, verdict, window.to);
  return { verdict, window, now, elapsedMs, tally, signals };
}

/** The bake ended undecided and the spec says hold: the rollout waits for a deployer (approve = continue, cancel = roll back). */
export async function holdStarted(deploymentId: string, key: string, verdict: Verdict, bake: BakeProgress) {
  "use step";
  await recordVerdict(deploymentId, key, verdict, { ...bake, phase: "holding" }, "waiting");
  await db.deployment.updateMany({ where: { id: deploymentId, status: "running" }, data: { status: "awaiting_approval" } });
  await notifyVerdict(deploymentId, key, verdict, verdict.minutes.to);
}

/** A step the spec does not bake (0 minutes): not judged, and said so. */
export async function notJudged(deploymentId: string, key: string) {
  "use step";
  await db.deploymentStep.updateMany({
    where: { deploymentId, key },
    data: { status: "succeeded", finishedAt: new Date(), detail: { notJudged: "Not judged: the spec bakes 0 minutes" } },
  });
}

/** Removes the rollout's probe rule once the shifts are over (promoted or rolled back). */
export async function endProbes(input: p.StepInput & { listenerArn: string; deploymentId: string }) {
  "use step";
  return endBakeProbes(input).catch(() => ({ removed: false }));
}
