import type { Slot } from "../provisioning/index.ts";
import { waitDrained } from "./drain.ts";
import {
  act,
  closeTimeline,
  confirmRollback,
  finish,
  forgetWarmFleet,
  loadOperation,
  markDone,
  quietly,
  readStackStep,
  scaleDownIfLatest,
  serverTime,
} from "./steps.ts";
import { warmShift } from "./rollback-steps.ts";
import { waitUntil } from "./wait.ts";

/**
 * rollbackWorkflow(deploymentId): traffic back to the previous version.
 * While the previous fleet is warm (within the rollback window):
 *   check-warm       the fleet is really there (in service, healthy, on its version) and big
 *                    enough for today's traffic; when it is not big enough it is scaled up and
 *                    waited for first, and the step says so
 *   shift-back       one listener change: all traffic to the previous fleet (about a second)
 * After the window (the previous fleet was scaled to zero):
 *   refill-old       a launch template version for the previous version, the fleet refilled
 *   wait-healthy     every target healthy (never shift before)
 *   shift-back
 * Then, both ways:
 *   confirm          Switchyard's own requests through the listener answer from the previous
 *                    version; the time from the rollback's request to that is measured
 *   invalidate       (CloudFront) "/*" so viewers get the previous version at once
 *   scale-down-old   the previous fleet's hold released (it is live again); the rolled-back
 *                    fleet to zero once the listener change has outlived the deregistration delay
 */
export async function rollbackWorkflow(deploymentId: string) {
  "use workflow";
  const op = await loadOperation(deploymentId);
  const base = { accountId: op.accountId, envId: op.envId, spec: op.spec };
  const bad = op.fromSlot as Slot;
  const good = op.toSlot as Slot;
  try {
    const stack = op.stack ?? (await readStackStep(deploymentId, null, base));
    const weights = {
      ...base,
      listenerArn: stack.loadBalancer!.listenerArn!,
      blueTg: stack.targetGroups.blue!.arn,
      greenTg: stack.targetGroups.green!.arn,
    };
    const badFleet = stack.fleets[bad];
    const backWeights = { [good]: 100, [bad]: 0 } as Record<Slot, number>;
    /** When the listener changed (the service's clock): the rolled-back fleet drains from then. */
    let shiftedAt: string | null = null;
    const warm = !op.stepKeys.includes("refill-old");
    if (!warm) {
      const lt = await act(
        deploymentId,
        "refill-old",
        "createLaunchTemplateVersion",
        { ...base, version: op.toVersion!, slot: good },
        { finish: false },
      );
      await act(deploymentId, "refill-old", "setFleetCapacity", {
        ...base,
        slot: good,
        capacity: {
          min: badFleet?.min ?? op.spec.capacity.min,
          desired: Math.max(badFleet?.desired ?? op.spec.capacity.desired, 1),
          max: badFleet?.max ?? op.spec.capacity.max,
        },
        launchTemplateVersion: lt.launchTemplateVersion,
      });
      await waitUntil(
        deploymentId,
        "wait-healthy",
        "waitFleetHealthy",
        { ...base, slot: good, launchTemplateVersion: lt.launchTemplateVersion },
        { minutes: 20, what: "The previous fleet" },
      );
    } else {
      // One listener change is only safe onto a fleet that is really there (in service, healthy,
      // all on its launch template version) and big enough for today's traffic. Checked and
      // shifted in one step: no queue hop between the click and the listener change.
      const warmed = await warmShift(deploymentId, { ...weights, weights: backWeights, good, bad, stack });
      if (!warmed.ok) {
        await forgetWarmFleet(deploymentId);
        throw new Error(`The previous fleet is not ready for an instant rollback (${warmed.summary}); roll back again to refill it`);
      }
      if (warmed.shifted) shiftedAt = warmed.since;
      else {
        // Too small for today's traffic: scaled up and waited for first, then shifted.
        const readiness = warmed.readiness;
        const goodFleet = stack.fleets[good];
        const max = Math.max(readiness.needed, goodFleet?.max ?? 0, badFleet?.max ?? 0);
        await act(
          deploymentId,
          "check-warm",
          "setFleetCapacity",
          { ...base, slot: good, capacity: { min: readiness.needed, desired: readiness.needed, max } },
          { finish: false },
        );
        await waitUntil(deploymentId, "check-warm", "waitFleetHealthy", { ...base, slot: good }, { minutes: 20, what: "The warm fleet" });
        await markDone(deploymentId, "check-warm", {
          readiness,
          summary: `Scaled the warm fleet up from ${readiness.warmInstances} to ${readiness.needed} instances for ${readiness.requestsPerSecond ?? "today's"} req/s before shifting`,
        });
      }
    }
    if (!shiftedAt) {
      shiftedAt = await serverTime(base);
      await act(deploymentId, "shift-back", "setListenerWeights", { ...weights, weights: backWeights });
    }
    const confirmed = await confirmRollback(deploymentId, "confirm", {
      ...base,
      slot: good,
      version: op.toVersion!,
      listenerArn: stack.loadBalancer!.listenerArn!,
      loadBalancer: { name: `${stack.namePrefix ?? ""}${op.spec.name}-alb`, dnsName: stack.loadBalancer!.dnsName },
    });
    if (!confirmed.ok) throw new Error(confirmed.summary);
    if (op.spec.cloudfront)
      await act(deploymentId, "invalidate", "invalidateDistribution", { ...base, reference: `${deploymentId}/rollback` }).catch(() => null);
    await finish(deploymentId, {
      status: "succeeded",
      reason: `Traffic back on ${op.toVersion} (confirmed ${(confirmed.measuredMs! / 1000).toFixed(1)} s after the request)`,
      environment: { liveSlot: good, liveVersion: op.toVersion, previousVersion: null, warmUntil: null, status: "ready" },
    });
    // The previous fleet is live again: its minimum goes back to what it was before the hold.
    await quietly("releaseFleetHold", { ...base, slot: good });
    const drained = await waitDrained({ ...base, slot: bad, since: shiftedAt });
    await scaleDownIfLatest(deploymentId, "scale-down-old", { ...base, slot: bad, drained });
    return { ok: true };
  } catch (e) {
    await closeTimeline(deploymentId, (e as Error).message);
    await finish(deploymentId, { status: "failed", reason: (e as Error).message, environment: { status: "ready" } });
    return { ok: false, reason: (e as Error).message };
  }
}
