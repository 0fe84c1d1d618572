/**
 * Instance warm-up, as AWS documents it for target tracking and step scaling: while an
 * instance warms up its metrics do not count in the group's aggregate, it is not yet "ready"
 * capacity when a policy sizes the group (so the same breach repeated during warm-up makes one
 * scaling activity, not one per minute), and scale-in waits until it is done.
 *
 * Which instances warm up, and for how long:
 *   - the group has a DefaultInstanceWarmup: every instance, for that long after InService
 *     (a policy's EstimatedInstanceWarmup overrides the length);
 *   - otherwise only instances launched by a target-tracking / step policy's scale-out, for
 *     the policy's EstimatedInstanceWarmup, else the group's DefaultCooldown (300 s default).
 */
import type { CloudApi } from "../../core/types.ts";
import { asgState, type GroupRecord, type MemberRecord, type PolicyRecord } from "./state.ts";

export function warmupMs(group: GroupRecord, policy?: PolicyRecord): number {
  return (policy?.EstimatedInstanceWarmup ?? group.DefaultInstanceWarmup ?? group.DefaultCooldown ?? 300) * 1000;
}

function warming(member: MemberRecord, now: number, warmup: number): boolean {
  if (member.HealthStatus !== "Healthy") return false;
  if (member.LifecycleState === "Pending") return true;
  return member.LifecycleState === "InService" && now - (member.inServiceAt ?? now) < warmup;
}

function scalingPolicies(cloud: CloudApi, group: GroupRecord): PolicyRecord[] {
  return Object.values(asgState(cloud).policies).filter(
    (p) =>
      p.region === group.region &&
      p.AutoScalingGroupName === group.AutoScalingGroupName &&
      (p.PolicyType === "TargetTrackingScaling" || p.PolicyType === "StepScaling"),
  );
}

/** Members warming up now (see the rules above); `policy` picks its EstimatedInstanceWarmup. */
export function warmingMembers(cloud: CloudApi, group: GroupRecord, now: number, policy?: PolicyRecord): MemberRecord[] {
  if (group.DefaultInstanceWarmup !== undefined) {
    const warmup = warmupMs(group, policy);
    return group.Instances.filter((m) => warming(m, now, warmup));
  }
  const out = new Set<MemberRecord>();
  for (const p of policy ? [policy] : scalingPolicies(cloud, group)) {
    if (p.lastScaleOutAt === undefined) continue;
    const warmup = warmupMs(group, p);
    for (const m of group.Instances) if (m.launchedAt >= p.lastScaleOutAt && warming(m, now, warmup)) out.add(m);
  }
  return [...out];
}

/** InService members past their warm-up: the capacity whose metrics a policy is reacting to. */
export function readyCapacity(group: GroupRecord, _now: number, warmingNow: MemberRecord[]): number {
  const excluded = new Set(warmingNow);
  return group.Instances.filter((m) => m.LifecycleState === "InService" && m.HealthStatus === "Healthy" && !excluded.has(m)).length;
}

/**
 * Instance ids the group's aggregated metrics leave out right now (warming up). Never all of
 * them: a group made only of new instances still reports something.
 */
export function warmingInstanceIds(cloud: CloudApi, region: string, groupName: string, now: number): Set<string> {
  const group = asgState(cloud).groups[`${region}/${groupName}`];
  if (!group) return new Set();
  const inService = group.Instances.filter((m) => m.LifecycleState === "InService");
  const warmingIds = warmingMembers(cloud, group, now).filter((m) => m.LifecycleState === "InService");
  return warmingIds.length === inService.length ? new Set() : new Set(warmingIds.map((m) => m.InstanceId));
}
