import { createHook, sleep } from "workflow";
import type { Slot } from "../provisioning/index.ts";
import { waitDrained } from "./drain.ts";
import { bakeShift } from "./bake.ts";
import { endProbes } from "./bake-steps.ts";
import { abortToken, approvalToken } from "./tokens.ts";
import {
  act,
  closeTimeline,
  finish,
  forgetWarmFleet,
  loadOperation,
  markDone,
  markStarted,
  poll,
  promote,
  quietly,
  readStackStep,
  scaleDownIfLatest,
  serverTime,
} from "./steps.ts";

/**
 * rolloutWorkflow(deploymentId): blue-green rollout of version V into the idle slot.
 *   [approval] (protected environments: a deployer other than the starter)
 *   launch-template   new launch template version for V in the idle slot
 *   fill-idle         the idle fleet gets the live fleet's capacity on that version; instances
 *                     on any other version (the warm previous fleet, inside the rollback
 *                     window) are replaced, and the environment forgets that fleet was warm
 *   wait-healthy      every in-service instance on the new version and a healthy target, none
 *                     on another (never shift before)
 *   probe-new         Switchyard's own requests, through the listener, reach each new target
 *                     and get an answer (with version V, where the app reports it)
 *   shift-N ...       listener weights N% new (all at once: 100), bake with probes, judge (bake.ts,
 *                     judge.ts): fail rolls back; undecided extends, then holds or rolls back;
 *                     before the first shift the live fleet's minimum is raised to its capacity
 *                     (hold-fleet.ts), so target tracking cannot scale it in at 0% traffic
 *   promote           the new slot is live; the old fleet stays warm, held at that capacity
 *   invalidate        (CloudFront) "/*" invalidated so viewers get V at once; a failure here is
 *                     reported, never a reason to roll back
 *   keep-warm         the rollback window (one-click rollback = one listener change)
 *   scale-down-old    the old fleet to zero (its hold released), unless something newer happened,
 *                     and never before the last listener change has outlived the deregistration delay
 * A failed judgement, an alarm, or a cancel rolls back: weights 100% to the old fleet (its hold
 * released: it is live again), status rolled_back with the reason, then, once the change has
 * outlived the deregistration delay, the new fleet to zero.
 */
const POLL = 4_000;
const HEALTH_TIMEOUT_POLLS = 150; // ~10 minutes of 4 s polls

export async function rolloutWorkflow(deploymentId: string) {
  "use workflow";
  const op = await loadOperation(deploymentId);
  const base = { accountId: op.accountId, envId: op.envId, spec: op.spec };
  const live = op.fromSlot as Slot;
  const idle = op.toSlot as Slot;
  const version = op.toVersion!;
  using abort = createHook<{ by: string }>({ token: abortToken(deploymentId) });
  let aborted: string | null = null;
  const abortSignal = abort.then((p) => (aborted = `Cancelled by ${p.by}`));
  /** Sleeps, but wakes early on cancel. */
  const wait = (ms: number) => Promise.race([sleep(ms), abortSignal]);

  let stack = await readStackStep(deploymentId, null, base);
  const lb = stack.loadBalancer!;
  const weightsInput = {
    ...base,
    listenerArn: lb.listenerArn!,
    blueTg: stack.targetGroups.blue!.arn,
    greenTg: stack.targetGroups.green!.arn,
  };
  /** When the listener last changed (the service's clock): the new fleet drains from then. */
  let lastShiftAt: string | null = null;
  let held = false;
  const rollBack = async (reason: string, shiftedKey: string | null) => {
    if (shiftedKey) {
      lastShiftAt = await serverTime(base);
      // Not a second attempt of the shift step (its attempt count stays honest): the step fails with the reason below.
      await quietly("setListenerWeights", { ...weightsInput, weights: { [live]: 100, [idle]: 0 } as Record<Slot, number> });
      await endProbes({ ...base, listenerArn: weightsInput.listenerArn, deploymentId });
    }
    // The old fleet is live again: its target tracking may scale it as usual.
    if (held) await quietly("releaseFleetHold", { ...base, slot: live });
    await closeTimeline(deploymentId, reason);
    await finish(deploymentId, { status: aborted ? "cancelled" : "rolled_back", reason, environment: { status: "ready" } });
    // The new fleet back to zero (recorded on its own fill step) once no request is on its way to it.
    const drained = lastShiftAt ? await waitDrained({ ...base, slot: idle, since: lastShiftAt }) : undefined;
    await scaleDownIfLatest(deploymentId, "fill-idle", { ...base, slot: idle, drained });
    return { ok: false, reason };
  };
  const canarySteps = op.strategy === "canary" ? op.spec.rollout.canarySteps : [100];

  try {
    if (op.spec.protected) {
      using approval = createHook<{ approvedBy: string }>({ token: approvalToken(deploymentId) });
      await markStarted(deploymentId, "approval");
      const who = await Promise.race([approval.then((a) => a.approvedBy), abortSignal.then(() => null)]);
      if (!who) return await rollBack(aborted ?? "Cancelled before approval", null);
      await markDone(deploymentId, "approval", { approvedBy: who });
    }
    const lt = await act(deploymentId, "launch-template", "createLaunchTemplateVersion", { ...base, version, slot: idle });
    const liveFleet = stack.fleets[live]!;
    // From here the idle slot's old instances are being replaced: no more one-click rollback to them.
    await forgetWarmFleet(deploymentId);
    await quietly("releaseFleetHold", { ...base, slot: idle });
    const fill = await act(
      deploymentId,
      "fill-idle",
      "setFleetCapacity",
      {
        ...base,
        slot: idle,
        capacity: { min: liveFleet.min, desired: Math.max(liveFleet.desired, 1), max: liveFleet.max },
        launchTemplateVersion: lt.launchTemplateVersion,
      },
      { finish: false },
    );
    await markDone(deploymentId, "fill-idle", {
      touched: fill.touched,
      launchTemplateVersion: lt.launchTemplateVersion,
      replaced: fill.replaced,
      summary: fill.replaced.length
        ? `Replacing ${fill.replaced.length} instance(s) on launch template version ${[...new Set(fill.replaced.map((r) => r.launchTemplateVersion ?? "?"))].join(", ")} with version ${lt.launchTemplateVersion}`
        : `${fill.capacity.desired} instance(s) on launch template version ${lt.launchTemplateVersion}`,
    });
    for (let i = 0; ; i++) {
      const h = await poll(deploymentId, "wait-healthy", "waitFleetHealthy", {
        ...base,
        slot: idle,
        launchTemplateVersion: lt.launchTemplateVersion,
      });
      if (h.done) break;
      if (aborted) return await rollBack(aborted, null);
      if (i >= HEALTH_TIMEOUT_POLLS) return await rollBack(`The new fleet did not become healthy: ${h.detail.summary}`, null);
      await wait(POLL);
    }
    const probe = await act(
      deploymentId,
      "probe-new",
      "probeFleet",
      {
        ...base,
        slot: idle,
        version,
        launchTemplateVersion: lt.launchTemplateVersion,
        listenerArn: lb.listenerArn!,
        targetGroupArn: stack.targetGroups[idle]!.arn,
        // The stack's own name prefix ("sy-", or none for environments from before prefixes).
        loadBalancer: { name: `${stack.namePrefix ?? ""}${op.spec.name}-alb`, dnsName: lb.dnsName },
        deploymentId,
      },
      { finish: false },
    );
    if (!probe.ok) return await rollBack(`The new fleet failed Switchyard's probe: ${probe.summary}`, null);
    await markDone(deploymentId, "probe-new", {
      touched: probe.touched,
      probe: { summary: probe.summary, requests: probe.requests, answered: probe.answered },
    });

    // The live fleet keeps the capacity it has now through the shifts and the rollback window.
    const hold = await quietly("holdFleetCapacity", { ...base, slot: live });
    held = true;
    for (const pct of canarySteps) {
      const key = `shift-${pct}`;
      if (aborted) return await rollBack(aborted, key);
      const since = await serverTime(base);
      lastShiftAt = since;
      await act(
        deploymentId,
        key,
        "setListenerWeights",
        {
          ...weightsInput,
          weights: { [live]: 100 - pct, [idle]: pct } as Record<Slot, number>,
          // Optional stickiness during canary steps only: at 100% everyone moves.
          ...(pct < 100 && op.spec.rollout.stickyMinutes ? { stickySeconds: Math.round(op.spec.rollout.stickyMinutes * 60) } : {}),
        },
        { finish: false },
      );
      // Bake and judge (bake.ts): undecided extends, then holds or rolls back; it never passes.
      const baked = await bakeShift({
        deploymentId,
        key,
        base,
        version,
        refs: {
          loadBalancerArn: lb.arn,
          listenerArn: lb.listenerArn!,
          loadBalancer: { name: `${stack.namePrefix ?? ""}${op.spec.name}-alb`, dnsName: lb.dnsName },
          canary: { slot: idle, targetGroupArn: stack.targetGroups[idle]!.arn },
          baseline: pct === 100 ? null : { slot: live, targetGroupArn: stack.targetGroups[live]!.arn },
        },
        since,
        isAborted: () => aborted !== null,
        abortSignal,
      });
      if (baked.kind === "cancelled") return await rollBack(aborted ?? "Cancelled", key);
      if (baked.kind === "fail") return await rollBack(`Rolled back at ${pct}%: ${baked.verdict.rule}`, key);
      if (baked.kind === "undecided")
        return await rollBack(`Rolled back at ${pct}%: still undecided after the longest bake (${baked.verdict.rule})`, key);
      if (baked.kind !== "not-judged")
        await markDone(deploymentId, key, {
          verdict: baked.verdict,
          ...(baked.kind === "approved" ? { approvedBy: baked.approvedBy } : {}),
        });
    }
    await endProbes({ ...base, listenerArn: lb.listenerArn!, deploymentId });

    await markStarted(deploymentId, "promote");
    stack = await readStackStep(deploymentId, null, base);
    await promote(deploymentId, {
      live: idle,
      version,
      previousVersion: op.fromVersion,
      rollbackWindowMinutes: op.spec.rollbackWindowMinutes,
      stack,
    });
    await markDone(deploymentId, "promote", { summary: `Old fleet warm: ${hold.summary}`, hold });
    if (op.spec.cloudfront)
      await act(deploymentId, "invalidate", "invalidateDistribution", { ...base, reference: `${deploymentId}/promote` }).catch(() => null);
  } catch (e) {
    return await rollBack(`Failed: ${(e as Error).message}`, null).catch(async () => {
      await finish(deploymentId, { status: "failed", reason: (e as Error).message, environment: { status: "ready" } });
      return { ok: false, reason: (e as Error).message };
    });
  }

  await markStarted(deploymentId, "keep-warm");
  await sleep(op.spec.rollbackWindowMinutes * 60_000);
  await markDone(deploymentId, "keep-warm");
  const drained = lastShiftAt ? await waitDrained({ ...base, slot: live, since: lastShiftAt }) : undefined;
  await scaleDownIfLatest(deploymentId, "scale-down-old", { ...base, slot: live, drained });
  return { ok: true };
}
