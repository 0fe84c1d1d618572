/**
 * The group's control loop, run on every tick:
 *   1. follow each member's EC2 instance (Pending -> InService when running; gone -> Terminated),
 *      register InService members with the group's target groups, finish connection draining;
 *   2. health checks: EC2 (terminated/stopped outside the group) and, with HealthCheckType ELB
 *      after the grace period, unhealthy targets; unhealthy members are replaced;
 *   3. an instance refresh step;
 *   4. launch or terminate to reach the desired capacity, with the pending cause quoted;
 *   5. finish a forced delete; publish group metrics.
 * Before the groups, target-tracking policies whose alarm stays in ALARM act again.
 */
import type { CloudApi } from "../../core/types.ts";
import { getInstance } from "../ec2/index.ts";
import { causes, finishActivity, joinCauses } from "./activities.ts";
import { registerInstance, targetStates } from "./integrations.ts";
import { beginMemberTermination, finishDraining, isActive, launchMembers } from "./members.ts";
import { publishGroupMetrics } from "./metrics.ts";
import { tickTargetTracking } from "./policy-execution.ts";
import { launchTemplateFor, stepRefresh } from "./refresh.ts";
import { chooseForScaleIn } from "./scale-in.ts";
import { asgState, groupKey, type GroupRecord, type MemberRecord } from "./state.ts";

/** AWS's maximum deregistration delay: draining never blocks a termination longer. */
const MAX_DRAIN_MS = 3_600_000;

function followInstance(cloud: CloudApi, group: GroupRecord, member: MemberRecord, now: number): void {
  const before = `${member.LifecycleState}/${member.HealthStatus}/${member.drainingSince}`;
  followInstanceState(cloud, group, member, now);
  if (`${member.LifecycleState}/${member.HealthStatus}/${member.drainingSince}` !== before) cloud.markDirty();
}

function followInstanceState(cloud: CloudApi, group: GroupRecord, member: MemberRecord, now: number): void {
  const instance = getInstance(cloud, member.InstanceId);
  const ec2State = instance?.State ?? "terminated";
  switch (member.LifecycleState) {
    case "Pending":
      if (ec2State === "running") {
        member.LifecycleState = "InService";
        member.inServiceAt = now;
        finishActivity(cloud, member.launchActivityId, now);
        for (const arn of group.TargetGroupARNs) {
          if (registerInstance(cloud, group.region, arn, member.InstanceId)) member.registeredTargetGroups.push(arn);
        }
      } else if (ec2State !== "pending") {
        markUnhealthy(member, causes.ec2Health(now));
      }
      break;
    case "InService":
      if (ec2State !== "running") markUnhealthy(member, causes.ec2Health(now));
      else if (group.HealthCheckType === "ELB" && now - (member.inServiceAt ?? now) >= group.HealthCheckGracePeriod * 1000) {
        const unhealthy = member.registeredTargetGroups.some((arn) => targetStates(cloud, arn, member.InstanceId)?.includes("unhealthy"));
        if (unhealthy) markUnhealthy(member, causes.elbHealth(now));
      }
      break;
    case "Terminating":
      if (member.drainingSince !== undefined) {
        const drained =
          now - member.drainingSince >= MAX_DRAIN_MS ||
          member.registeredTargetGroups.every((arn) => (targetStates(cloud, arn, member.InstanceId)?.length ?? 0) === 0);
        if (drained) finishDraining(cloud, group, member);
      }
      if (ec2State === "terminated") {
        member.LifecycleState = "Terminated";
        finishActivity(cloud, member.terminateActivityId, now);
      }
      break;
  }
}

function markUnhealthy(member: MemberRecord, reason: string): void {
  if (member.HealthStatus === "Unhealthy") return;
  member.HealthStatus = "Unhealthy";
  member.replaceReason = reason;
}

function reconcileCapacity(cloud: CloudApi, group: GroupRecord, now: number): void {
  const active = group.Instances.filter(isActive);
  const desired = group.DesiredCapacity;
  if (active.length < desired) {
    if (group.launchRetryAt !== undefined && now < group.launchRetryAt) return;
    const cause = joinCauses(group.pendingCause, causes.launchForCapacity(now, active.length, desired));
    launchMembers(cloud, group, desired - active.length, cause, launchTemplateFor(cloud, group));
    group.pendingCause = undefined;
  } else if (active.length > desired) {
    const cause = joinCauses(group.pendingCause, causes.terminateForCapacity(now, active.length, desired));
    for (const member of chooseForScaleIn(cloud, group, active, active.length - desired))
      beginMemberTermination(cloud, group, member, cause);
    group.pendingCause = undefined;
  } else if (group.pendingCause) {
    group.pendingCause = undefined;
    cloud.markDirty();
  }
}

export function reconcileGroup(cloud: CloudApi, group: GroupRecord, now: number): void {
  for (const member of group.Instances) followInstance(cloud, group, member, now);
  group.Instances = group.Instances.filter((m) => m.LifecycleState !== "Terminated");
  for (const member of group.Instances) {
    if (member.HealthStatus === "Unhealthy" && (member.LifecycleState === "Pending" || member.LifecycleState === "InService")) {
      beginMemberTermination(cloud, group, member, member.replaceReason ?? causes.ec2Health(now));
    }
  }
  if (!group.Status) stepRefresh(cloud, group, now);
  reconcileCapacity(cloud, group, now);
  publishGroupMetrics(cloud, group, now);
  if (group.Status === "Delete in progress" && group.Instances.length === 0) {
    delete asgState(cloud).groups[groupKey(group.region, group.AutoScalingGroupName)];
    cloud.markDirty();
  }
}

export function tickAutoScaling(cloud: CloudApi, now: number): void {
  tickTargetTracking(cloud, now);
  for (const group of Object.values(asgState(cloud).groups)) reconcileGroup(cloud, group, now);
}
