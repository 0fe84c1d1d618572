/**
 * Auto Scaling's calls into ELBv2 (target registration, target health) and CloudWatch (the
 * alarms of target-tracking policies), through their typed exports: a rename on either side
 * breaks the build, not a behaviour.
 */
import type { CloudApi } from "../../core/types.ts";
import {
  alarmMetricValues as cloudwatchAlarmValues,
  deleteAlarms as cloudwatchDeleteAlarms,
  getAlarm,
  onAlarmTransition,
  type PutMetricAlarmInput,
  putMetricAlarm,
} from "../cloudwatch/index.ts";
import { deregisterTargets, describeTargetHealthInternal, getTargetGroup, registerTargets } from "../elbv2/index.ts";

function warn(what: string, err: unknown): void {
  console.warn(`[autoscaling] ${what}: ${err instanceof Error ? err.message : String(err)}`);
}

export function registerInstance(cloud: CloudApi, region: string, targetGroupArn: string, instanceId: string): boolean {
  try {
    registerTargets(cloud, region, targetGroupArn, [{ Id: instanceId }]);
    return true;
  } catch (err) {
    warn(`registering ${instanceId} with ${targetGroupArn} failed`, err);
    return false;
  }
}

export function deregisterInstance(cloud: CloudApi, region: string, targetGroupArn: string, instanceId: string): void {
  try {
    deregisterTargets(cloud, region, targetGroupArn, [{ Id: instanceId }]);
  } catch {
    // Already deregistered or the target group is gone: nothing left to drain.
  }
}

/** The instance's target health states in a target group. */
export function targetStates(cloud: CloudApi, targetGroupArn: string, instanceId: string): string[] {
  return describeTargetHealthInternal(cloud, targetGroupArn)
    .filter((d) => d.Target?.Id === instanceId)
    .map((d) => d.TargetHealth?.State ?? "unavailable");
}

/** Whether a target group exists. */
export function targetGroupExists(cloud: CloudApi, targetGroupArn: string): boolean {
  return getTargetGroup(cloud, targetGroupArn) !== undefined;
}

export function putAlarm(cloud: CloudApi, region: string, input: PutMetricAlarmInput): void {
  putMetricAlarm(cloud, region, input);
}

export function deleteAlarms(cloud: CloudApi, region: string, names: string[]): void {
  if (names.length === 0) return;
  try {
    cloudwatchDeleteAlarms(cloud, region, names);
  } catch (err) {
    warn(`deleting alarms ${names.join(", ")} failed`, err);
  }
}

export interface AlarmEvent {
  cloud: CloudApi;
  region: string;
  alarmName: string;
  newState: string;
  actions: string[];
}

/** Hear alarm transitions (to run scaling policies). */
export function onAlarm(listener: (event: AlarmEvent) => void): void {
  onAlarmTransition(listener);
}

/** An alarm's state as DescribeAlarms shows it, or undefined when there is no such alarm. */
export function alarmView(cloud: CloudApi, region: string, name: string): { StateValue?: string; StateReasonData?: string } | undefined {
  return getAlarm(cloud, region, name) as { StateValue?: string; StateReasonData?: string } | undefined;
}

/** The alarm's metric over its last `periods` periods as its next evaluation sees it (oldest first). */
export function alarmMetricValues(cloud: CloudApi, region: string, name: string, periods = 1): number[] {
  return cloudwatchAlarmValues(cloud, region, name, periods);
}
