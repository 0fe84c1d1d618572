/**
 * Switchyard's own probes while a canary step bakes: every PROBE_EVERY_MS it requests the
 * health check path and `/` of the NEW targets, through the same one-off listener rule as the
 * probe before the first shift (provisioning/probe.ts: `X-Switchyard-Probe` header -> the new
 * target group), so a crashing version is caught within seconds, minutes before CloudWatch
 * publishes. The rule stays for the whole shift (found again by its token each round) and
 * is deleted when the shifts end (endBakeProbes), on promote or on roll back.
 *
 * An answer that names another version came from the old fleet (an ALB rule takes a moment to
 * reach every node): it is ignored, never counted as good or bad.
 */
import { listenerBaseUrl } from "../aws/data-plane.ts";
import { defineStep, tokenOf, type StepInput } from "../provisioning/context.ts";
import { listRules } from "../provisioning/listener-routing.ts";
import { ask, deleteProbeRule, ensureProbeRule, good, PROBE_HEADER, ruleMatches } from "../provisioning/probe.ts";
import { probesFail, type ProbeTally } from "./judge.ts";

export const PROBE_EVERY_MS = 1_000;

export interface BakeProbeInput extends StepInput {
  version: string;
  listenerArn: string;
  targetGroupArn: string;
  loadBalancer: { name: string; dnsName: string };
  deploymentId: string;
  /** How long to keep probing (wall ms); at least one round is sent. */
  durationMs: number;
  /** The tally so far this shift: this round adds to it. */
  tally: ProbeTally;
}

const failureOf = (a: { status: number | null; error: string | null }, path: string) =>
  a.error ? `${a.error} on ${path}` : `HTTP ${a.status} on ${path}`;

export const probeDuringBake = defineStep("probe the new targets while baking", async (input: BakeProbeInput, ctx): Promise<ProbeTally> => {
  const token = tokenOf(input.envId, "probe", input.deploymentId);
  const base = await listenerBaseUrl(ctx.account, { ...input.loadBalancer, port: 80 });
  await ensureProbeRule(ctx, input, token);
  const paths = [...new Set([input.spec.healthCheck.path, "/"])];
  const tally = { ...input.tally };
  const deadline = Date.now() + input.durationMs;
  do {
    const answers = await Promise.all(
      paths.map(async (path) => ({ path, answer: await ask(`${base}${path}`, { [PROBE_HEADER]: token }) })),
    );
    for (const { path, answer } of answers) {
      if (answer.version !== null && answer.version !== input.version) continue;
      tally.requests++;
      if (!good(answer)) {
        tally.failures++;
        tally.lastFailure = failureOf(answer, path);
      }
    }
    // Failing already (the judge's own probe rule): no need to wait for the round's end.
    if (probesFail(tally, input.spec.autoRollback.max5xxRatePercent)) break;
    const left = deadline - Date.now();
    if (left > 0) await new Promise((r) => setTimeout(r, Math.min(PROBE_EVERY_MS, left)));
  } while (Date.now() < deadline);
  return tally;
});

/** Deletes this rollout's probe rule (none: nothing to do). */
export const endBakeProbes = defineStep(
  "remove the probe rule",
  async (input: StepInput & { listenerArn: string; deploymentId: string }, ctx): Promise<{ removed: boolean }> => {
    const token = tokenOf(input.envId, "probe", input.deploymentId);
    const rule = (await listRules(ctx, input.listenerArn)).find((r) => ruleMatches(r, token));
    if (!rule?.RuleArn) return { removed: false };
    await deleteProbeRule(ctx, rule.RuleArn);
    return { removed: true };
  },
);
