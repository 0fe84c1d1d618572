/**
 * Running scaling policies when their alarms fire. Simple and step policies act on the
 * transition to ALARM (simple ones honour the cooldown); target tracking sizes the group in
 * proportion to metric/target, keeps scaling out each warm-up period while the high alarm stays
 * in ALARM, and scales in one instance at a time.
 */
import type { CloudApi } from "../../core/types.ts";
import { causes } from "./activities.ts";
import { alarmView, onAlarm } from "./integrations.ts";
import { asgState, groupKey, type GroupRecord, type PolicyRecord } from "./state.ts";

const SCALE_IN_COOLDOWN_MS = 300_000;
const RECHECK_MS = 60_000;

/** The breaching datapoints' mean and the threshold, from the alarm's StateReasonData. */
function breach(cloud: CloudApi, region: string, alarmName: string): { value?: number; threshold?: number } {
  try {
    const data = JSON.parse(alarmView(cloud, region, alarmName)?.StateReasonData ?? "{}");
    const points: number[] = (data.recentDatapoints ?? []).filter((v: unknown) => typeof v === "number");
    return { value: points.length ? points.reduce((a, b) => a + b, 0) / points.length : undefined, threshold: data.threshold };
  } catch {
    return {};
  }
}

function adjusted(policy: PolicyRecord, desired: number, adjustment: number): number {
  switch (policy.AdjustmentType) {
    case "ExactCapacity":
      return adjustment;
    case "PercentChangeInCapacity": {
      const change = Math.trunc((desired * adjustment) / 100);
      const magnitude = Math.max(Math.abs(change), policy.MinAdjustmentMagnitude ?? 1);
      return desired + Math.sign(adjustment) * magnitude;
    }
    default:
      return desired + adjustment;
  }
}

function stepAdjustment(policy: PolicyRecord, value?: number, threshold?: number): number | undefined {
  const steps = policy.StepAdjustments ?? [];
  if (value === undefined || threshold === undefined) return steps[0]?.ScalingAdjustment;
  const over = value - threshold;
  return steps.find((s) => (s.MetricIntervalLowerBound ?? -Infinity) <= over && over < (s.MetricIntervalUpperBound ?? Infinity))?.ScalingAdjustment;
}

function setDesired(cloud: CloudApi, group: GroupRecord, policy: PolicyRecord, alarmName: string, wanted: number): boolean {
  const next = Math.min(group.MaxSize, Math.max(group.MinSize, wanted));
  if (next === group.DesiredCapacity) return false;
  const now = cloud.now();
  group.pendingCause = causes.policy(now, alarmName, policy.PolicyName, group.DesiredCapacity, next);
  group.DesiredCapacity = next;
  group.lastScalingAt = now;
  group.launchRetryAt = undefined;
  cloud.markDirty();
  return true;
}

function runTargetTracking(cloud: CloudApi, group: GroupRecord, policy: PolicyRecord, alarmName: string): void {
  const now = cloud.now();
  const config = policy.TargetTrackingConfiguration ?? {};
  const { value } = breach(cloud, group.region, alarmName);
  const desired = group.DesiredCapacity;
  const proportional = value !== undefined && config.TargetValue > 0 ? Math.ceil((desired * value) / config.TargetValue) : undefined;
  if (alarmName.includes("-AlarmHigh-")) {
    const warmupMs = (policy.EstimatedInstanceWarmup ?? group.DefaultInstanceWarmup ?? 300) * 1000;
    if (policy.lastScaleOutAt !== undefined && now - policy.lastScaleOutAt < warmupMs) return;
    if (setDesired(cloud, group, policy, alarmName, Math.max(desired + 1, proportional ?? desired + 1))) policy.lastScaleOutAt = now;
  } else if (!config.DisableScaleIn) {
    if (policy.lastScaleInAt !== undefined && now - policy.lastScaleInAt < SCALE_IN_COOLDOWN_MS) return;
    if (setDesired(cloud, group, policy, alarmName, Math.max(desired - 1, proportional ?? desired - 1))) policy.lastScaleInAt = now;
  }
}

export function executePolicy(cloud: CloudApi, policy: PolicyRecord, alarmName: string): void {
  const group = asgState(cloud).groups[groupKey(policy.region, policy.AutoScalingGroupName)];
  if (!group || group.Status || !policy.Enabled) return;
  if (policy.PolicyType === "TargetTrackingScaling") return runTargetTracking(cloud, group, policy, alarmName);
  const now = cloud.now();
  if (policy.PolicyType === "SimpleScaling") {
    const cooldownMs = (policy.Cooldown ?? group.DefaultCooldown) * 1000;
    if (group.lastScalingAt !== undefined && now - group.lastScalingAt < cooldownMs) return;
    setDesired(cloud, group, policy, alarmName, adjusted(policy, group.DesiredCapacity, policy.ScalingAdjustment ?? 0));
  } else if (policy.PolicyType === "StepScaling") {
    const { value, threshold } = breach(cloud, group.region, alarmName);
    const step = stepAdjustment(policy, value, threshold);
    if (step !== undefined) setDesired(cloud, group, policy, alarmName, adjusted(policy, group.DesiredCapacity, step));
  }
}

/** Target tracking keeps acting while an alarm stays in ALARM (CloudWatch only reports the transition). */
export function tickTargetTracking(cloud: CloudApi, now: number): void {
  for (const policy of Object.values(asgState(cloud).policies)) {
    if (policy.PolicyType !== "TargetTrackingScaling" || (policy.nextCheckAt ?? 0) > now) continue;
    policy.nextCheckAt = now + RECHECK_MS;
    for (const alarm of policy.Alarms) {
      if (alarmView(cloud, policy.region, alarm.AlarmName)?.StateValue === "ALARM") executePolicy(cloud, policy, alarm.AlarmName);
    }
  }
}

onAlarm((event) => {
  if (event.newState !== "ALARM") return;
  const policies = asgState(event.cloud).policies;
  for (const arn of event.actions) {
    const policy = policies[arn];
    if (policy && policy.region === event.region) executePolicy(event.cloud, policy, event.alarmName);
  }
});
