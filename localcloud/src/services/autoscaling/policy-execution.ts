/**
 * Running scaling policies when their alarms fire. Simple and step policies act on the
 * transition to ALARM (simple ones honour the cooldown); target tracking sizes the group in
 * proportion to metric/target with instance warm-up (warmup.ts), is re-run every minute while
 * an alarm stays in ALARM (as AWS re-invokes it each evaluation), and scales in one instance
 * at a time.
 */
import type { CloudApi } from "../../core/types.ts";
import { causes } from "./activities.ts";
import { alarmMetricValues, alarmView, onAlarm } from "./integrations.ts";
import { readyCapacity, warmingMembers } from "./warmup.ts";
import { asgState, groupKey, type GroupRecord, type PolicyRecord } from "./state.ts";

const RECHECK_MS = 60_000;

/**
 * From the alarm's StateReasonData: the mean of the quoted datapoints (step scaling), the newest
 * evaluated one (target tracking sizes from the current value, not from older points of the
 * look-back range) and the threshold.
 */
function breach(cloud: CloudApi, region: string, alarmName: string): { value?: number; latest?: number; threshold?: number } {
  try {
    const data = JSON.parse(alarmView(cloud, region, alarmName)?.StateReasonData ?? "{}");
    const points: number[] = (data.recentDatapoints ?? []).filter((v: unknown) => typeof v === "number");
    // evaluatedDatapoints are listed newest first.
    const newest = (data.evaluatedDatapoints ?? []).find((p: { value?: unknown }) => typeof p?.value === "number")?.value as
      | number
      | undefined;
    return {
      value: points.length ? points.reduce((a, b) => a + b, 0) / points.length : undefined,
      latest: newest ?? points[points.length - 1],
      threshold: data.threshold,
    };
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
  return steps.find((s) => (s.MetricIntervalLowerBound ?? -Infinity) <= over && over < (s.MetricIntervalUpperBound ?? Infinity))
    ?.ScalingAdjustment;
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

/**
 * The tracked metric's value. On the transition, the datapoints the alarm quotes in its
 * StateReasonData (what its notification carries; SetAlarmState included). On a re-run while
 * the alarm stays in ALARM, what the alarm's next evaluation sees now, since the reason data
 * only tells what the metric was at the transition.
 */
function trackedValue(cloud: CloudApi, region: string, alarmName: string, onTransition: boolean): number | undefined {
  const quoted = () => breach(cloud, region, alarmName).latest;
  const live = () => {
    const values = alarmMetricValues(cloud, region, alarmName, 1);
    return values.length ? values[values.length - 1] : undefined;
  };
  return onTransition ? (quoted() ?? live()) : (live() ?? quoted());
}

/**
 * Target tracking as AWS documents it: scale out in proportion (ceil(ready capacity x metric /
 * target)), counting warming-up instances as capacity already added, so the same breach
 * repeated during warm-up adds nothing more; scale in gradually (one instance at a time, at
 * most once per DefaultCooldown) and never while instances are warming up.
 */
function runTargetTracking(cloud: CloudApi, group: GroupRecord, policy: PolicyRecord, alarmName: string, onTransition: boolean): void {
  const now = cloud.now();
  const config = policy.TargetTrackingConfiguration ?? {};
  const value = trackedValue(cloud, group.region, alarmName, onTransition);
  const desired = group.DesiredCapacity;
  const warmingNow = warmingMembers(cloud, group, now, policy);
  const warming = warmingNow.length > 0;
  // The metric describes the instances past warm-up; a group made only of new instances is sized from its desired capacity.
  const base = readyCapacity(group, now, warmingNow) || desired;
  const proportional = value !== undefined && config.TargetValue > 0 ? Math.ceil((base * value) / config.TargetValue) : undefined;
  if (alarmName.includes("-AlarmHigh-")) {
    const wanted = proportional ?? (warming ? desired : desired + 1);
    if (wanted > desired && setDesired(cloud, group, policy, alarmName, wanted)) policy.lastScaleOutAt = now;
  } else if (!config.DisableScaleIn) {
    if (warming) return;
    const cooldownMs = (group.DefaultCooldown ?? 300) * 1000;
    if (policy.lastScaleInAt !== undefined && now - policy.lastScaleInAt < cooldownMs) return;
    if (policy.lastScaleOutAt !== undefined && now - policy.lastScaleOutAt < cooldownMs) return;
    if (setDesired(cloud, group, policy, alarmName, Math.max(desired - 1, proportional ?? desired - 1))) policy.lastScaleInAt = now;
  }
}

export function executePolicy(cloud: CloudApi, policy: PolicyRecord, alarmName: string, onTransition = true): void {
  const group = asgState(cloud).groups[groupKey(policy.region, policy.AutoScalingGroupName)];
  if (!group || group.Status || !policy.Enabled) return;
  if (policy.PolicyType === "TargetTrackingScaling") return runTargetTracking(cloud, group, policy, alarmName, onTransition);
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
      if (alarmView(cloud, policy.region, alarm.AlarmName)?.StateValue === "ALARM") executePolicy(cloud, policy, alarm.AlarmName, false);
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
