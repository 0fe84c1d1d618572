import { FatalError } from "workflow";
import { db } from "../db/client.ts";
import { AwsServiceError } from "../aws/errors.ts";
import { ServiceError } from "../errors.ts";
import { finishOperation } from "../operations/finish.ts";
import { closeOpenSteps, stepFailed, stepPolled, stepStarted, stepSucceeded, stepsSkipped } from "../operations/timeline.ts";
import * as p from "../provisioning/index.ts";
import { loadSpec } from "../environments/load.ts";

/**
 * The bridge between workflows and the provisioning layer. Every function here is a durable
 * step ("use step"): it runs at least once, so it only calls the provisioning layer's
 * idempotent, read-before-write functions and timeline writes keyed by step.
 *
 * Errors: a ServiceError (bad role, missing account, invalid input) will not heal by retrying:
 * it becomes a FatalError that ends the workflow; anything else is retried by the engine.
 */
type Action = keyof typeof actions;
const actions = {
  ensureNetwork: p.ensureNetwork,
  ensureEgress: p.ensureEgress,
  ensureSecurityGroups: p.ensureSecurityGroups,
  ensureInstanceRole: p.ensureInstanceRole,
  ensureParameters: p.ensureParameters,
  ensureDatabase: p.ensureDatabase,
  ensureCache: p.ensureCache,
  ensureLoadBalancer: p.ensureLoadBalancer,
  ensureLaunchTemplate: p.ensureLaunchTemplate,
  createLaunchTemplateVersion: p.createLaunchTemplateVersion,
  ensureFleet: p.ensureFleet,
  ensureDistribution: p.ensureDistribution,
  invalidateDistribution: p.invalidateDistribution,
  ensureAlarms: p.ensureAlarms,
  setListenerWeights: p.setListenerWeights,
  setFleetCapacity: p.setFleetCapacity,
  probeFleet: p.probeFleet,
  holdFleetCapacity: p.holdFleetCapacity,
  releaseFleetHold: p.releaseFleetHold,
  rollbackReadiness: p.rollbackReadiness,
  disableDistribution: p.disableDistribution,
  deleteDistribution: p.deleteDistribution,
  deleteAlarms: p.deleteAlarms,
  deleteFleets: p.deleteFleets,
  deleteLoadBalancer: p.deleteLoadBalancer,
  deleteLaunchTemplate: p.deleteLaunchTemplate,
  deleteDatabase: p.deleteDatabase,
  deleteCache: p.deleteCache,
  deleteSecurityGroups: p.deleteSecurityGroups,
  deleteNetwork: p.deleteNetwork,
  deleteInstanceRole: p.deleteInstanceRole,
  deleteParameters: p.deleteParameters,
} as const;

type Polls = keyof typeof polls;
type ActionOut<A extends Action> = Awaited<ReturnType<(typeof actions)[A]>>;
type PollOut<A extends Polls> = Awaited<ReturnType<(typeof polls)[A]>>;
export type PollAction = Polls;
export type PollInput<A extends Polls> = Parameters<(typeof polls)[A]>[0];
export type PollDetail<A extends Polls> = PollOut<A>["detail"];
const polls = {
  waitEgressReady: p.waitEgressReady,
  waitDatabaseAvailable: p.waitDatabaseAvailable,
  waitCacheAvailable: p.waitCacheAvailable,
  waitLoadBalancerActive: p.waitLoadBalancerActive,
  waitFleetHealthy: p.waitFleetHealthy,
  waitDistributionDeployed: p.waitDistributionDeployed,
  drainStatus: p.drainStatus,
} as const;

export function fatalIfExpected(e: unknown): never {
  // Throttling past the SDK's retries or a resource still busy heals with time: let the engine retry.
  if (e instanceof ServiceError && !(e instanceof AwsServiceError && e.retryable)) throw new FatalError(e.message);
  throw e;
}

/** Runs `body`; if it throws, runs `onFailure` (a timeline write) first, then ends the workflow on an expected error. */
async function guarded<T>(body: () => Promise<T>, onFailure?: (e: Error) => Promise<unknown>): Promise<T> {
  try {
    return await body();
  } catch (e) {
    if (onFailure) await onFailure(e as Error);
    fatalIfExpected(e);
  }
}

/** Runs one provisioning action as the timeline step `key`; `finish: false` leaves the step running (multi-action steps). */
export async function act<A extends Action>(
  deploymentId: string,
  key: string,
  action: A,
  input: Parameters<(typeof actions)[A]>[0],
  opts: { finish?: boolean } = {},
): Promise<ActionOut<A>> {
  "use step";
  await stepStarted(deploymentId, key);
  return guarded(
    async (): Promise<ActionOut<A>> => {
      const fn = actions[action] as (i: unknown) => Promise<ActionOut<A>>;
      const out = await fn(input);
      const { touched, summary } = out as { touched?: unknown; summary?: unknown };
      if (opts.finish !== false)
        await stepSucceeded(deploymentId, key, { touched: touched ?? [], ...(typeof summary === "string" ? { summary } : {}) });
      return out;
    },
    (e) => stepFailed(deploymentId, key, e.message),
  );
}

/** Runs one provisioning action that is no timeline step of its own (its result goes into the caller's step detail). */
export async function quietly<A extends Action>(action: A, input: Parameters<(typeof actions)[A]>[0]): Promise<ActionOut<A>> {
  "use step";
  return guarded<ActionOut<A>>(() => (actions[action] as (i: unknown) => Promise<ActionOut<A>>)(input));
}

/** Checks a bounded poll without writing the timeline: the caller decides what to show. */
export async function check<A extends Polls>(action: A, input: Parameters<(typeof polls)[A]>[0]): Promise<PollOut<A>> {
  "use step";
  return guarded<PollOut<A>>(() => (polls[action] as (i: unknown) => Promise<PollOut<A>>)(input));
}

/** One bounded poll; marks the step waiting (with what it saw) or succeeded. */
export async function poll<A extends Polls>(
  deploymentId: string,
  key: string,
  action: A,
  input: Parameters<(typeof polls)[A]>[0],
): Promise<PollOut<A>> {
  "use step";
  return guarded(
    async (): Promise<PollOut<A>> => {
      const fn = polls[action] as (i: unknown) => Promise<PollOut<A>>;
      const out = await fn(input);
      const { done, detail } = out as { done: boolean; detail: unknown };
      await stepPolled(deploymentId, key, done, { seen: detail });
      return out;
    },
    (e) => stepFailed(deploymentId, key, e.message),
  );
}

export async function markStarted(deploymentId: string, key: string) {
  "use step";
  await stepStarted(deploymentId, key);
}

export async function markDone(deploymentId: string, key: string, detail?: unknown) {
  "use step";
  await stepSucceeded(deploymentId, key, detail);
}

/** What a workflow needs to know about its operation, read once at the start. */
export async function loadOperation(deploymentId: string) {
  "use step";
  const d = await db.deployment.findUniqueOrThrow({
    where: { id: deploymentId },
    include: { environment: true, steps: { select: { key: true } } },
  });
  const { spec } = await loadSpec(d.environmentId, d.specVersion);
  return {
    deploymentId,
    envId: d.environmentId,
    accountId: d.environment.accountId,
    spec,
    fromVersion: d.fromVersion,
    toVersion: d.toVersion,
    fromSlot: d.fromSlot as p.Slot | null,
    toSlot: d.toSlot as p.Slot | null,
    strategy: d.strategy,
    status: d.status,
    stack: d.environment.stack as unknown as p.Stack | null,
    stepKeys: d.steps.map((s) => s.key),
    /** Teardown: the final snapshot's name, or null (no database, or skipped on request). */
    finalSnapshot: d.finalSnapshot,
  };
}

export async function readStackStep(deploymentId: string, key: string | null, input: p.StepInput) {
  "use step";
  if (key) await stepStarted(deploymentId, key);
  const stack = await p.readStack(input);
  if (key)
    await stepSucceeded(deploymentId, key, {
      loadBalancer: stack.loadBalancer?.dnsName ?? null,
      distribution: stack.distribution?.domainName ?? null,
    });
  return stack;
}

export async function finish(deploymentId: string, outcome: Parameters<typeof finishOperation>[1]) {
  "use step";
  await finishOperation(deploymentId, outcome);
}

/** The server's "now" (the clock CloudWatch uses), to bound a bake window. */
export async function serverTime(input: p.StepInput) {
  "use step";
  return (await p.serverClock(input)).now;
}

/** Promotes a rollout: the environment now runs the new version on the new slot; the old fleet stays warm. */
export async function promote(
  deploymentId: string,
  input: { live: p.Slot; version: string; previousVersion: string | null; rollbackWindowMinutes: number; stack: p.Stack },
) {
  "use step";
  // What the new fleet runs, read back from its instances' launch template versions (it was
  // checked before the first shift): the label is only the fallback when AWS says nothing.
  const serving = input.stack.fleets[input.live]?.servingVersion ?? input.version;
  await finishOperation(deploymentId, {
    status: "succeeded",
    environment: {
      liveSlot: input.live,
      liveVersion: serving,
      previousVersion: input.previousVersion,
      warmUntil: new Date(Date.now() + input.rollbackWindowMinutes * 60_000),
      status: "ready",
      stack: JSON.parse(JSON.stringify(input.stack)),
    },
  });
}

/**
 * Scales a fleet to zero after the fact (the old fleet after the rollback window, the
 * rolled-back fleet), but only if nothing happened on the environment since this deployment,
 * and while holding the environment's lock, so a rollout starting at that moment gets a
 * conflict instead of having its freshly filled fleet scaled away.
 */
export async function scaleDownIfLatest(
  deploymentId: string,
  key: string,
  { drained, ...input }: p.StepInput & { slot: p.Slot; drained?: p.DrainDetail },
) {
  "use step";
  const d = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
  const acquired = await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      Array<{ lockDeploymentId: string | null; deletedAt: Date | null }>
    >`SELECT "lockDeploymentId", "deletedAt" FROM environment WHERE id = ${d.environmentId} FOR UPDATE`;
    if (rows[0]?.lockDeploymentId && rows[0].lockDeploymentId !== deploymentId) return false;
    // A deleted or forgotten (adopted) environment's fleets are no longer Switchyard's to scale.
    if (rows[0]?.deletedAt) return false;
    const newer = await tx.deployment.count({ where: { environmentId: d.environmentId, createdAt: { gt: d.createdAt } } });
    if (newer > 0) return false;
    await tx.environment.update({ where: { id: d.environmentId }, data: { lockDeploymentId: deploymentId } });
    return true;
  });
  if (!acquired) {
    await stepsSkipped(deploymentId, [key]);
    return false;
  }
  try {
    await stepStarted(deploymentId, key);
    const out = await p.setFleetCapacity({ ...input, capacity: { min: 0, desired: 0, max: 0 } });
    // A fleet held warm (hold-fleet.ts) gives its hold up with its instances.
    const released = await p.releaseFleetHold(input);
    await stepSucceeded(deploymentId, key, {
      touched: [...out.touched, ...released.touched],
      ...(drained ? { summary: `Scaled to zero once the ${drained.summary}`, drained } : {}),
    });
    return true;
  } catch (e) {
    await stepFailed(deploymentId, key, (e as Error).message);
    fatalIfExpected(e);
  } finally {
    await db.environment.updateMany({ where: { id: d.environmentId, lockDeploymentId: deploymentId }, data: { lockDeploymentId: null } });
  }
}

/**
 * A rollout is about to refill the slot that held the warm previous fleet: from now on a
 * rollback to that version has to refill a fleet, so the environment stops calling it warm.
 */
export async function forgetWarmFleet(deploymentId: string) {
  "use step";
  const d = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId }, select: { environmentId: true } });
  await db.environment.updateMany({ where: { id: d.environmentId, lockDeploymentId: deploymentId }, data: { warmUntil: null } });
}

/**
 * A rollback confirmed by traffic: Switchyard's own requests through the listener answer from
 * the previous version. Records the measured time from the rollback's request (the operation's
 * creation) to the answer that confirmed it.
 */
export async function confirmRollback(deploymentId: string, key: string, input: p.ConfirmInput) {
  "use step";
  await stepStarted(deploymentId, key);
  try {
    const d = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId }, select: { createdAt: true } });
    const out = await p.confirmTraffic(input);
    const measuredMs = out.confirmedAt === null ? null : out.confirmedAt - d.createdAt.getTime();
    if (!out.ok) await stepFailed(deploymentId, key, out.summary);
    else
      await stepSucceeded(deploymentId, key, {
        touched: out.touched,
        summary: `${out.summary}: ${input.version} serves 100% of the traffic, ${((measuredMs ?? 0) / 1000).toFixed(1)} s after the rollback was requested`,
        measuredMs,
        requests: out.requests,
      });
    return { ...out, measuredMs };
  } catch (e) {
    await stepFailed(deploymentId, key, (e as Error).message);
    fatalIfExpected(e);
  }
}

/** Closes the timeline of an operation that ended early (rolled back, cancelled, failed). */
export async function closeTimeline(deploymentId: string, reason: string) {
  "use step";
  await closeOpenSteps(deploymentId, reason);
}
