/**
 * Auto Scaling's calls into ELBv2 (target registration, target health) and CloudWatch (the
 * alarms of target-tracking policies). Looked up by name so each side can evolve on its own:
 * a missing export degrades to "no load balancer / no alarm" instead of failing the group.
 */
import type { CloudApi } from "../../core/types.ts";
import * as cloudwatch from "../cloudwatch/index.ts";
import * as elbv2 from "../elbv2/index.ts";

type Target = { Id: string; Port?: number };

function exported<F>(module: object, name: string): F | undefined {
  const value = (module as Record<string, unknown>)[name];
  return typeof value === "function" ? (value as F) : undefined;
}

function warn(what: string, err: unknown): void {
  console.warn(`[autoscaling] ${what}: ${err instanceof Error ? err.message : String(err)}`);
}

export function registerInstance(cloud: CloudApi, region: string, targetGroupArn: string, instanceId: string): boolean {
  const register = exported<(c: CloudApi, r: string, arn: string, t: Target[]) => void>(elbv2, "registerTargets");
  if (!register) return false;
  try {
    register(cloud, region, targetGroupArn, [{ Id: instanceId }]);
    return true;
  } catch (err) {
    warn(`registering ${instanceId} with ${targetGroupArn} failed`, err);
    return false;
  }
}

export function deregisterInstance(cloud: CloudApi, region: string, targetGroupArn: string, instanceId: string): void {
  const deregister = exported<(c: CloudApi, r: string, arn: string, t: Target[]) => void>(elbv2, "deregisterTargets");
  if (!deregister) return;
  try {
    deregister(cloud, region, targetGroupArn, [{ Id: instanceId }]);
  } catch {
    // Already deregistered or the target group is gone: nothing left to drain.
  }
}

/** The instance's target health states in a target group; undefined when ELBv2 cannot tell. */
export function targetStates(cloud: CloudApi, targetGroupArn: string, instanceId: string): string[] | undefined {
  const describe = exported<(c: CloudApi, arn: string) => Array<{ Target?: { Id?: string }; TargetHealth?: { State?: string } }>>(
    elbv2,
    "describeTargetHealthInternal",
  );
  if (!describe) return undefined;
  return describe(cloud, targetGroupArn)
    .filter((d) => d.Target?.Id === instanceId)
    .map((d) => d.TargetHealth?.State ?? "unavailable");
}

/** Whether a target group exists; undefined when ELBv2 offers no lookup. */
export function targetGroupExists(cloud: CloudApi, targetGroupArn: string): boolean | undefined {
  const get = exported<(c: CloudApi, arn: string) => unknown>(elbv2, "getTargetGroup");
  return get ? get(cloud, targetGroupArn) !== undefined : undefined;
}

export function putAlarm(cloud: CloudApi, region: string, input: Record<string, unknown>): void {
  const put = exported<(c: CloudApi, r: string, i: any) => unknown>(cloudwatch, "putMetricAlarm");
  put?.(cloud, region, input);
}

export function deleteAlarms(cloud: CloudApi, region: string, names: string[]): void {
  const remove = exported<(c: CloudApi, r: string, n: string[]) => unknown>(cloudwatch, "deleteAlarms");
  if (!remove || names.length === 0) return;
  try {
    remove(cloud, region, names);
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

/** Hear alarm transitions (to run scaling policies), if CloudWatch offers it. */
export function onAlarm(listener: (event: AlarmEvent) => void): void {
  exported<(l: (e: AlarmEvent) => void) => unknown>(cloudwatch, "onAlarmTransition")?.(listener);
}

/** An alarm as DescribeAlarms shows it (StateValue, StateReasonData...), if CloudWatch can tell. */
export function alarmView(cloud: CloudApi, region: string, name: string): Record<string, any> | undefined {
  return exported<(c: CloudApi, r: string, n: string) => Record<string, any> | undefined>(cloudwatch, "getAlarm")?.(cloud, region, name);
}

/** The alarm's metric over its last `periods` periods as its next evaluation sees it (oldest first); [] when CloudWatch cannot tell. */
export function alarmMetricValues(cloud: CloudApi, region: string, name: string, periods = 1): number[] {
  return (
    exported<(c: CloudApi, r: string, n: string, p: number) => number[]>(cloudwatch, "alarmMetricValues")?.(cloud, region, name, periods) ??
    []
  );
}
