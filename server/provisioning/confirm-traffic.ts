/**
 * confirmTraffic: after a rollback's listener change, Switchyard confirms with its own requests,
 * sent the way viewers' requests go (the listener's default routing, or the CloudFront origin
 * rule with its secret header when only CloudFront may reach the load balancer), that the
 * listener answers from the previous version: a run of consecutive answers, every one from
 * that version (and, where the app names its instance, from an instance of the fleet it went
 * back to). One answer from the version rolled back from resets the run. The time of the last
 * answer of the run is when 100% of the traffic was confirmed on the previous version.
 * The requests and their judgement are probe.ts's (one piece of code per logic).
 */
import { listenerBaseUrl } from "../aws/data-plane.ts";
import { defineStep, type Slot, type StepInput } from "./context.ts";
import { findFleet } from "./fleet.ts";
import { listRules, ORIGIN_HEADER, originRuleOf } from "./listener-routing.ts";
import { ask, good, type ProbeAnswer } from "./probe.ts";

const DEADLINE_MS = 30_000;
/** Consecutive answers from the previous version that confirm the switch. */
export const CONFIRM_RUN = 10;

export interface ConfirmInput extends StepInput {
  /** The slot traffic went back to, and the version it runs. */
  slot: Slot;
  version: string;
  listenerArn: string;
  loadBalancer: { name: string; dnsName: string };
  /** How long to try (default 30 s). */
  deadlineMs?: number;
}

export interface ConfirmResult {
  ok: boolean;
  summary: string;
  requests: number;
  /** Wall-clock time (ms since the epoch) of the answer that completed the run, or null. */
  confirmedAt: number | null;
  /** The last answer that was not from the previous version, if any. */
  lastOther: ProbeAnswer | null;
}

/** Pure: the index of the answer that completes a run of CONFIRM_RUN answers from the fleet on `version`, or -1. */
export function confirmedAt(answers: ProbeAnswer[], version: string, fleet: Set<string>): number {
  let run = 0;
  for (let i = 0; i < answers.length; i++) {
    const a = answers[i];
    // An app that names neither its version nor its instance can only answer well, as the
    // probe of new targets also accepts (probe.ts); the summary then says the version was not checked.
    const silent = a.version === null && a.instanceId === null;
    const fromFleet = a.instanceId ? fleet.size === 0 || fleet.has(a.instanceId) : a.version !== null;
    const onVersion = a.version === version || (a.version === null && a.instanceId !== null && fleet.has(a.instanceId));
    run = good(a) && (silent || (onVersion && fromFleet)) ? run + 1 : 0;
    if (run >= CONFIRM_RUN) return i;
  }
  return -1;
}

export const confirmTraffic = defineStep("confirm the rollback with traffic", async (input: ConfirmInput, ctx): Promise<ConfirmResult> => {
  const [group, rules] = await Promise.all([findFleet(ctx, input.slot), listRules(ctx, input.listenerArn)]);
  const fleet = new Set(
    (group?.Instances ?? []).filter((i) => i.LifecycleState === "InService" && i.InstanceId).map((i) => i.InstanceId as string),
  );
  const origin = originRuleOf(rules);
  const headers: Record<string, string> = origin ? { [ORIGIN_HEADER]: origin.secret } : {};
  const base = await listenerBaseUrl(ctx.account, { ...input.loadBalancer, port: 80 });
  const url = `${base}${input.spec.healthCheck.path}`;
  const answers: ProbeAnswer[] = [];
  const times: number[] = [];
  const limitMs = input.deadlineMs ?? DEADLINE_MS;
  const deadline = Date.now() + limitMs;
  while (Date.now() < deadline) {
    // One at a time: the run must be consecutive in time, as a viewer's requests would be.
    answers.push(await ask(url, headers));
    times.push(Date.now());
    const at = confirmedAt(answers, input.version, fleet);
    if (at >= 0) {
      const unchecked = answers.slice(at + 1 - CONFIRM_RUN, at + 1).every((a) => a.version === null && a.instanceId === null);
      return {
        ok: true,
        summary: unchecked
          ? `${CONFIRM_RUN} good answers in a row through the listener (the app reports no version or instance: not checked; ${answers.length} sent)`
          : `${CONFIRM_RUN} requests in a row through the listener answered ${input.version}${fleet.size ? ` from the ${input.slot} fleet` : ""} (${answers.length} sent)`,
        requests: answers.length,
        confirmedAt: times[at],
        lastOther: [...answers].reverse().find((a) => a.version !== input.version) ?? null,
      };
    }
  }
  const other = [...answers].reverse().find((a) => !good(a) || a.version !== input.version) ?? null;
  const said = other ? (other.error ?? (good(other) ? `version ${other.version ?? "unknown"}` : `HTTP ${other.status}`)) : "nothing";
  return {
    ok: false,
    summary: `The listener did not answer ${input.version} ${CONFIRM_RUN} times in a row within ${limitMs / 1000} s (last other answer: ${said})`,
    requests: answers.length,
    confirmedAt: null,
    lastOther: other,
  };
});
