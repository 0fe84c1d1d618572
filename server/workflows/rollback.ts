import type { Slot } from "../provisioning/index.ts";
import { act, closeTimeline, finish, forgetWarmFleet, loadOperation, poll, readStackStep, scaleDownIfLatest } from "./steps.ts";
import { waitUntil } from "./wait.ts";

/**
 * rollbackWorkflow(deploymentId): traffic back to the previous version.
 * While the previous fleet is warm (within the rollback window):
 *   shift-back       one listener change: all traffic to the previous fleet (about a second)
 *   scale-down-old   the rolled-back fleet to zero
 * After the window (the previous fleet was scaled to zero):
 *   refill-old       a launch template version for the previous version, the fleet refilled
 *   wait-healthy     every target healthy (never shift before)
 *   shift-back, scale-down-old
 * With CloudFront, "/*" is invalidated after the shift (invalidate) so viewers get the previous
 * version at once.
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
      // One listener change is only safe onto a fleet that is really there: in service,
      // healthy, and all on its launch template version.
      const ready = await poll(deploymentId, "shift-back", "waitFleetHealthy", { ...base, slot: good });
      if (!ready.done || ready.detail.desired === 0) {
        await forgetWarmFleet(deploymentId);
        throw new Error(`The previous fleet is not ready for an instant rollback (${ready.detail.summary}); roll back again to refill it`);
      }
    }
    await act(deploymentId, "shift-back", "setListenerWeights", { ...weights, weights: { [good]: 100, [bad]: 0 } as Record<Slot, number> });
    if (op.spec.cloudfront)
      await act(deploymentId, "invalidate", "invalidateDistribution", { ...base, reference: `${deploymentId}/rollback` }).catch(() => null);
    await finish(deploymentId, {
      status: "succeeded",
      reason: `Traffic back on ${op.toVersion}`,
      environment: { liveSlot: good, liveVersion: op.toVersion, previousVersion: null, warmUntil: null, status: "ready" },
    });
    await scaleDownIfLatest(deploymentId, "scale-down-old", { ...base, slot: bad });
    return { ok: true };
  } catch (e) {
    await closeTimeline(deploymentId, (e as Error).message);
    await finish(deploymentId, { status: "failed", reason: (e as Error).message, environment: { status: "ready" } });
    return { ok: false, reason: (e as Error).message };
  }
}
