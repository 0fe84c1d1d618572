/**
 * Instance state machine in simulated time:
 *   pending(0) -> running(16) after 20-40 s; shutting-down(32) -> terminated(48) after 10-20 s;
 *   stopping(64) -> stopped(80) after 10-20 s; terminated records vanish after an hour.
 * Each transitional instance carries `dueAt`; the state keeps the earliest so tick() is a
 * single comparison when nothing is due.
 */
import type { CloudApi } from "../../core/types.ts";
import { ec2State, scheduleDue, type Ec2State, type InstanceRecord, type InstanceStateName } from "./state.ts";

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

const SECOND = 1000;
export const TERMINATED_VISIBLE_MS = 3600 * SECOND;

function between(minSeconds: number, maxSeconds: number): number {
  return (minSeconds + Math.random() * (maxSeconds - minSeconds)) * SECOND;
}

export const bootDuration = () => between(20, 40);
const shutdownDuration = () => between(10, 20);

/** "User initiated (2026-11-27 10:00:00 GMT)", the wording of StateTransitionReason. */
export function userInitiated(at: number): string {
  return `User initiated (${new Date(at)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d{3}Z$/, " GMT")})`;
}

export function stateOut(name: InstanceStateName) {
  return { Code: STATE_CODES[name], Name: name };
}

function enter(state: Ec2State, instance: InstanceRecord, name: InstanceStateName, dueAt: number | undefined): void {
  instance.State = name;
  instance.dueAt = dueAt;
  if (dueAt !== undefined) scheduleDue(state, dueAt);
}

export function startPending(state: Ec2State, instance: InstanceRecord, now: number): void {
  instance.StateReason = { Code: "pending", Message: "pending" };
  enter(state, instance, "pending", now + bootDuration());
}

/** Begins termination; returns false when the instance is already on its way out. */
export function beginTermination(state: Ec2State, instance: InstanceRecord, now: number): boolean {
  if (instance.State === "shutting-down" || instance.State === "terminated") return false;
  instance.StateTransitionReason = userInitiated(now);
  instance.StateReason = { Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown" };
  enter(state, instance, "shutting-down", now + shutdownDuration());
  return true;
}

export function beginStop(state: Ec2State, instance: InstanceRecord, now: number): void {
  instance.StateTransitionReason = userInitiated(now);
  instance.StateReason = { Code: "Client.UserInitiatedShutdown", Message: "Client.UserInitiatedShutdown: User initiated shutdown" };
  enter(state, instance, "stopping", now + shutdownDuration());
}

/** A terminated instance's network interface is gone: its Elastic IP stays allocated but unassociated, as in AWS. */
function releaseElasticIps(state: Ec2State, instance: InstanceRecord): void {
  for (const address of Object.values(state.addresses)) {
    if (address.InstanceId !== instance.InstanceId) continue;
    delete address.AssociationId;
    delete address.InstanceId;
    delete address.NetworkInterfaceId;
    delete address.PrivateIpAddress;
  }
  instance.PublicIpAddress = undefined;
}

/** Moves one instance past its due transition, at the time it was due (not the tick's time). */
function advance(state: Ec2State, instance: InstanceRecord): void {
  const at = instance.dueAt!;
  switch (instance.State) {
    case "pending":
      instance.RunningSince = at;
      instance.StateReason = undefined;
      enter(state, instance, "running", undefined);
      break;
    case "shutting-down":
      instance.RunningSince = undefined;
      releaseElasticIps(state, instance);
      enter(state, instance, "terminated", at + TERMINATED_VISIBLE_MS);
      break;
    case "stopping":
      instance.RunningSince = undefined;
      enter(state, instance, "stopped", undefined);
      break;
    case "terminated":
      delete state.instances[instance.InstanceId];
      break;
    default:
      instance.dueAt = undefined;
  }
}

export function tickInstances(cloud: CloudApi, now: number): void {
  const state = ec2State(cloud);
  if (state.nextDueAt === null || now < state.nextDueAt) return;
  let next: number | null = null;
  for (const instance of Object.values(state.instances)) {
    // An instance may pass several transitions in one tick when the clock runs fast.
    while (instance.dueAt !== undefined && instance.dueAt <= now && state.instances[instance.InstanceId]) advance(state, instance);
    if (state.instances[instance.InstanceId] && instance.dueAt !== undefined)
      next = next === null ? instance.dueAt : Math.min(next, instance.dueAt);
  }
  state.nextDueAt = next;
  cloud.markDirty();
}
