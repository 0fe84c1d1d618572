import { stepFailed, stepStarted, stepSucceeded } from "../operations/timeline.ts";
import * as p from "../provisioning/index.ts";
import { fatalIfExpected } from "./steps.ts";

/**
 * The instant rollback's critical path in ONE durable step, so no workflow queue hop sits
 * between the click and the listener change: check the warm fleet (in service, healthy, on its
 * version) and its readiness for today's traffic at once, then, when it is big enough, shift
 * all traffic to it. Writes the timeline's `check-warm` and `shift-back` steps itself.
 * Returns `shifted: false` (check-warm left running) when the fleet must be scaled up first,
 * and `ok: false` when it is not there at all.
 */
export async function warmShift(
  deploymentId: string,
  input: p.ListenerWeightsInput & {
    good: p.Slot;
    bad: p.Slot;
    stack: p.FleetMetricsInput["stack"];
  },
): Promise<
  | { ok: false; summary: string }
  | { ok: true; shifted: false; readiness: p.RollbackReadiness }
  | { ok: true; shifted: true; since: string; readiness: p.RollbackReadiness }
> {
  "use step";
  await stepStarted(deploymentId, "check-warm");
  try {
    const base = { accountId: input.accountId, envId: input.envId, spec: input.spec };
    const [ready, readiness] = await Promise.all([
      p.waitFleetHealthy({ ...base, slot: input.good }),
      p.rollbackReadiness({ ...base, warmSlot: input.good, stack: input.stack }),
    ]);
    if (!ready.done || ready.detail.desired === 0) {
      await stepFailed(deploymentId, "check-warm", ready.detail.summary);
      return { ok: false, summary: ready.detail.summary };
    }
    if (!readiness.enough) return { ok: true, shifted: false, readiness };
    await stepSucceeded(deploymentId, "check-warm", { readiness, summary: readiness.summary });
    await stepStarted(deploymentId, "shift-back");
    const since = (await p.serverClock(base)).now;
    const out = await p.setListenerWeights({
      ...base,
      listenerArn: input.listenerArn,
      blueTg: input.blueTg,
      greenTg: input.greenTg,
      weights: input.weights,
    });
    await stepSucceeded(deploymentId, "shift-back", { touched: out.touched });
    return { ok: true, shifted: true, since, readiness };
  } catch (e) {
    await stepFailed(deploymentId, "check-warm", (e as Error).message);
    fatalIfExpected(e);
  }
}
