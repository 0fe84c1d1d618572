/**
 * Target health simulation. The pass/fail decision lives in probeTarget() only: a real HTTP
 * request to the instance's app server (the data plane), answered asynchronously. Everything
 * around it is AWS's state machine:
 *
 *   register -> initial (Elb.RegistrationInProgress) for REGISTRATION_SECONDS
 *            -> initial (Elb.InitialHealthChecking), one check every interval
 *            -> healthy after HealthyThresholdCount consecutive passes
 *            -> unhealthy after UnhealthyThresholdCount consecutive failures (from initial or healthy)
 *   group not used by any listener -> unused (Target.NotInUse), no checks
 *   instance stopped/terminated    -> unused (Target.InvalidState)
 *   deregister -> draining (Target.DeregistrationInProgress) for deregistration_delay, then gone
 */
import type { CloudApi } from "../../core/types.ts";
import { dueAt, elbState, setDueAt, type ElbState, type TargetGroupRecord, type TargetRecord } from "./state.ts";
import { lookupInstance } from "./ec2-lookup.ts";
import { loadBalancersUsing } from "./target-groups.ts";
import { httpHealthCheck } from "../../dataplane/health-check.ts";
import { instanceUrl } from "../../dataplane/instances.ts";
import { openDataPlane } from "../../dataplane/plane.ts";

/** How long AWS shows Elb.RegistrationInProgress before health checks start (simulated seconds). */
export const REGISTRATION_SECONDS = 15;
/** Simulated checks applied at once when the clock jumped past several intervals. */
const MAX_CATCH_UP_CHECKS = 20;

export type ProbeResult =
  | { ok: true }
  | { ok: false; reason: "Target.FailedHealthChecks" | "Target.ResponseCodeMismatch" | "Target.Timeout"; description: string }
  | { ok: false; invalidState: "stopped" | "terminated" };

/**
 * The one health decision: does this target pass a health check right now? EC2's state
 * first (a stopped/terminated instance is `unused`, not failing), then a real HTTP request to
 * the instance's app (dataplane/health-check.ts). Targets of other types (ip, lambda) have no
 * simulated app and always pass.
 */
export function probeTarget(cloud: CloudApi, tg: TargetGroupRecord, target: TargetRecord): ProbeResult | Promise<ProbeResult> {
  if (tg.targetType !== "instance") return { ok: true };
  const inst = lookupInstance(cloud, target.id);
  if (inst === null || inst.state === "terminated" || inst.state === "shutting-down") return { ok: false, invalidState: "terminated" };
  if (inst.state === "stopped" || inst.state === "stopping") return { ok: false, invalidState: "stopped" };
  if (inst.state !== "running") return { ok: false, reason: "Target.Timeout", description: "Request timed out" };
  if (!tg.healthCheck.enabled) return { ok: true };
  return httpHealthCheck(tg, target, instanceUrl(openDataPlane(cloud), target.id));
}

function setState(t: TargetRecord, state: TargetRecord["state"], reason?: string, description?: string) {
  t.state = state;
  t.reason = reason;
  t.description = description;
}

/** (Re)start the registration phase of a target whose group is in use. */
export function startRegistration(t: TargetRecord, now: number) {
  setState(t, "initial", "Elb.RegistrationInProgress", "Target registration is in progress");
  t.phaseEndsAt = now + REGISTRATION_SECONDS * 1000;
  t.nextCheckAt = undefined;
  t.okStreak = 0;
  t.failStreak = 0;
}

export function markNotInUse(t: TargetRecord) {
  setState(t, "unused", "Target.NotInUse", "Target group is not configured to receive traffic from the load balancer");
  t.phaseEndsAt = undefined;
  t.nextCheckAt = undefined;
  t.okStreak = 0;
  t.failStreak = 0;
}

/** Fold one probe result into the target's state. */
export function applyProbe(tg: TargetGroupRecord, t: TargetRecord, result: ProbeResult) {
  const hc = tg.healthCheck;
  if (!result.ok && "invalidState" in result) {
    setState(t, "unused", "Target.InvalidState", `Target is in the ${result.invalidState} state`);
    t.okStreak = 0;
    t.failStreak = 0;
    return;
  }
  if (t.state === "unused") {
    // Back from stopped: health checking starts over.
    setState(t, "initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
  }
  if (result.ok) {
    t.okStreak++;
    t.failStreak = 0;
    if (t.state !== "healthy" && t.okStreak >= hc.healthyThreshold) setState(t, "healthy");
    return;
  }
  t.failStreak++;
  t.okStreak = 0;
  if (t.state === "unhealthy" || t.failStreak >= hc.unhealthyThreshold) setState(t, "unhealthy", result.reason, result.description);
}

/** Re-evaluate which groups are in use after listeners change: unused <-> initial. */
export function refreshTargetGroupUsage(cloud: CloudApi) {
  const s = elbState(cloud);
  const now = cloud.now();
  for (const tg of Object.values(s.targetGroups)) {
    const inUse = loadBalancersUsing(s, tg.arn).length > 0;
    tg.targets = tg.targets.filter((t) => inUse || t.state !== "draining");
    for (const t of tg.targets) {
      if (!inUse && t.state !== "unused") markNotInUse(t);
      else if (inUse && t.state === "unused" && t.reason === "Target.NotInUse") startRegistration(t, now);
    }
  }
  setDueAt(cloud, 0);
}

export function isInUse(s: ElbState, tg: TargetGroupRecord): boolean {
  return loadBalancersUsing(s, tg.arn).length > 0;
}

const inFlight = new WeakMap<CloudApi, Set<string>>();

function runChecks(cloud: CloudApi, tg: TargetGroupRecord, t: TargetRecord, now: number): boolean {
  const interval = tg.healthCheck.intervalSeconds * 1000;
  let changed = false;
  for (let i = 0; t.nextCheckAt !== undefined && t.nextCheckAt <= now; i++) {
    if (i >= MAX_CATCH_UP_CHECKS) {
      t.nextCheckAt = now + interval;
      break;
    }
    const key = `${tg.arn}|${t.id}|${t.port}`;
    const pending = inFlight.get(cloud) ?? new Set<string>();
    inFlight.set(cloud, pending);
    if (pending.has(key)) break;
    t.nextCheckAt += interval;
    const result = probeTarget(cloud, tg, t);
    if (result instanceof Promise) {
      pending.add(key);
      result
        .then((r) => {
          // The target may have been deregistered or re-registered meanwhile: look it up again.
          const live = elbState(cloud).targetGroups[tg.arn]?.targets.find((x) => x.id === t.id && x.port === t.port);
          if (live && live.nextCheckAt !== undefined) {
            applyProbe(tg, live, r);
            cloud.markDirty();
          }
        })
        .catch(() => undefined)
        .finally(() => pending.delete(key));
      break;
    }
    applyProbe(tg, t, result);
    changed = true;
  }
  return changed;
}

/** Advance provisioning, registration, health checks and draining. Cheap when nothing is due. */
export function tickElb(cloud: CloudApi, now: number) {
  if (now < dueAt(cloud)) return;
  const s = elbState(cloud);
  let next = Infinity;
  let dirty = false;
  for (const lb of Object.values(s.loadBalancers)) {
    if (lb.state !== "provisioning") continue;
    if (now >= lb.activeAt) {
      lb.state = "active";
      dirty = true;
    } else next = Math.min(next, lb.activeAt);
  }
  for (const tg of Object.values(s.targetGroups)) {
    if (tg.targets.length === 0) continue;
    const before = tg.targets.length;
    tg.targets = tg.targets.filter((t) => !(t.state === "draining" && t.phaseEndsAt !== undefined && now >= t.phaseEndsAt));
    if (tg.targets.length !== before) dirty = true;
    for (const t of tg.targets) {
      if (t.state === "initial" && t.reason === "Elb.RegistrationInProgress" && t.phaseEndsAt !== undefined && now >= t.phaseEndsAt) {
        setState(t, "initial", "Elb.InitialHealthChecking", "Initial health checks in progress");
        t.nextCheckAt = t.phaseEndsAt + tg.healthCheck.intervalSeconds * 1000;
        t.phaseEndsAt = undefined;
        dirty = true;
      }
      if (runChecks(cloud, tg, t, now)) dirty = true;
      if (t.phaseEndsAt !== undefined) next = Math.min(next, t.phaseEndsAt);
      if (t.nextCheckAt !== undefined) next = Math.min(next, t.nextCheckAt);
    }
  }
  setDueAt(cloud, next);
  if (dirty) cloud.markDirty();
}
