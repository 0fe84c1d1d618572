/** Scaling activities: every launch and termination, with AWS's wording for causes. */
import { randomUUID } from "node:crypto";
import type { CloudApi, RequestContext } from "../../core/types.ts";
import { pageOf } from "../../core/paging.ts";
import { asgPages, asgState, causeTime, type ActivityRecord, type GroupRecord } from "./state.ts";

/** Activities kept per region at most; AWS keeps six weeks. */
const MAX_ACTIVITIES = 5000;

export function recordActivity(
  cloud: CloudApi,
  group: GroupRecord,
  fields: Pick<ActivityRecord, "Description" | "Cause" | "StatusCode" | "Progress"> & Partial<ActivityRecord>,
): ActivityRecord {
  const state = asgState(cloud);
  const activity: ActivityRecord = {
    ActivityId: randomUUID(),
    AutoScalingGroupName: group.AutoScalingGroupName,
    AutoScalingGroupARN: group.AutoScalingGroupARN,
    region: group.region,
    StartTime: cloud.now(),
    Details: JSON.stringify({ "Subnet ID": undefined, "Availability Zone": undefined }),
    ...fields,
  };
  state.activities.push(activity);
  if (state.activities.length > MAX_ACTIVITIES) state.activities.splice(0, state.activities.length - MAX_ACTIVITIES);
  cloud.markDirty();
  return activity;
}

export function findActivity(cloud: CloudApi, id: string | undefined): ActivityRecord | undefined {
  if (!id) return undefined;
  const activities = asgState(cloud).activities;
  for (let i = activities.length - 1; i >= 0; i--) if (activities[i].ActivityId === id) return activities[i];
  return undefined;
}

export function updateActivity(cloud: CloudApi, id: string | undefined, fields: Partial<ActivityRecord>): void {
  const activity = findActivity(cloud, id);
  if (!activity) return;
  Object.assign(activity, fields);
  cloud.markDirty();
}

export function finishActivity(cloud: CloudApi, id: string | undefined, at: number): void {
  updateActivity(cloud, id, { StatusCode: "Successful", Progress: 100, EndTime: at });
}

export function activityOut(activity: ActivityRecord) {
  return {
    ActivityId: activity.ActivityId,
    AutoScalingGroupName: activity.AutoScalingGroupName,
    AutoScalingGroupARN: activity.AutoScalingGroupARN,
    Description: activity.Description,
    Cause: activity.Cause,
    StartTime: new Date(activity.StartTime),
    EndTime: activity.EndTime === undefined ? undefined : new Date(activity.EndTime),
    StatusCode: activity.StatusCode,
    StatusMessage: activity.StatusMessage,
    Progress: activity.Progress,
    Details: activity.Details,
  };
}

/** Cause sentences AWS writes into activities. */
export const causes = {
  created: (at: number, from: number, to: number) =>
    `At ${causeTime(at)} a user request created an AutoScalingGroup changing the desired capacity from ${from} to ${to}.`,
  updated: (at: number, group: GroupRecord, from: number) =>
    `At ${causeTime(at)} a user request update of AutoScalingGroup constraints to min: ${group.MinSize}, max: ${group.MaxSize}, desired: ${group.DesiredCapacity} changing the desired capacity from ${from} to ${group.DesiredCapacity}.`,
  setDesired: (at: number, from: number, to: number) =>
    `At ${causeTime(at)} a user request explicitly set group desired capacity changing the desired capacity from ${from} to ${to}.`,
  deleted: (at: number, from: number) =>
    `At ${causeTime(at)} a user request deleted the AutoScalingGroup changing the desired capacity from ${from} to 0.`,
  policy: (at: number, alarm: string, policy: string, from: number, to: number) =>
    `At ${causeTime(at)} a monitor alarm ${alarm} in state ALARM triggered policy ${policy} changing the desired capacity from ${from} to ${to}.`,
  launchForCapacity: (at: number, from: number, to: number) =>
    `At ${causeTime(at)} an instance was started in response to a difference between desired and actual capacity, increasing the capacity from ${from} to ${to}.`,
  terminateForCapacity: (at: number, from: number, to: number) =>
    `At ${causeTime(at)} an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from ${from} to ${to}.`,
  userTerminate: (at: number, instanceId: string, from?: number, to?: number) =>
    from === undefined
      ? `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to a user request.`
      : `At ${causeTime(at)} instance ${instanceId} was taken out of service in response to a user request, shrinking the capacity from ${from} to ${to}.`,
  ec2Health: (at: number) =>
    `At ${causeTime(at)} an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped.`,
  elbHealth: (at: number) => `At ${causeTime(at)} an instance was taken out of service in response to an ELB system health check failure.`,
  refresh: (at: number) => `At ${causeTime(at)} an instance was taken out of service in response to an instance refresh.`,
};

/** Joins an earlier cause (the desired-capacity change) and the action's own sentence, two spaces apart as AWS does. */
export function joinCauses(...parts: Array<string | undefined>): string {
  return parts.filter(Boolean).join("  ");
}

export function describeScalingActivities(
  input: { ActivityIds?: string[]; AutoScalingGroupName?: string; IncludeDeletedGroups?: boolean; MaxRecords?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = asgState(ctx.cloud);
  const live = new Set(
    Object.values(state.groups)
      .filter((g) => !g.deleted)
      .map((g) => g.AutoScalingGroupARN),
  );
  let activities = state.activities.filter((a) => a.region === ctx.region);
  if (!input.IncludeDeletedGroups) activities = activities.filter((a) => live.has(a.AutoScalingGroupARN));
  if (input.AutoScalingGroupName) activities = activities.filter((a) => a.AutoScalingGroupName === input.AutoScalingGroupName);
  if (input.ActivityIds?.length) activities = activities.filter((a) => input.ActivityIds!.includes(a.ActivityId));
  // Newest first, as AWS lists them.
  activities = [...activities].reverse();
  const { items: page, next: NextToken } = pageOf(
    activities,
    input.NextToken,
    input.MaxRecords,
    asgPages("DescribeScalingActivities", 100),
  );
  return { Activities: page.map(activityOut), NextToken };
}
