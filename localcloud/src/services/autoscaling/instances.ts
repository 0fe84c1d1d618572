/** DescribeAutoScalingInstances, TerminateInstanceInAutoScalingGroup, SetInstanceProtection. */
import type { RequestContext } from "../../core/types.ts";
import { activityOut, causes, findActivity } from "./activities.ts";
import { beginMemberTermination } from "./members.ts";
import { pageOf } from "../../core/paging.ts";
import { asgPages, findGroup, regionGroups, validationError, type GroupRecord, type MemberRecord } from "./state.ts";

function findMember(ctx: RequestContext, instanceId: string): { group: GroupRecord; member: MemberRecord } | undefined {
  for (const group of regionGroups(ctx.cloud, ctx.region)) {
    const member = group.Instances.find((m) => m.InstanceId === instanceId && m.LifecycleState !== "Terminated");
    if (member) return { group, member };
  }
  return undefined;
}

export function describeAutoScalingInstances(
  input: { InstanceIds?: string[]; MaxRecords?: number; NextToken?: string },
  ctx: RequestContext,
) {
  let rows = regionGroups(ctx.cloud, ctx.region)
    .sort((a, b) => a.AutoScalingGroupName.localeCompare(b.AutoScalingGroupName))
    .flatMap((group) => group.Instances.filter((m) => m.LifecycleState !== "Terminated").map((member) => ({ group, member })));
  if (input.InstanceIds?.length) rows = rows.filter((r) => input.InstanceIds!.includes(r.member.InstanceId));
  const { items: page, next: NextToken } = pageOf(rows, input.NextToken, input.MaxRecords, asgPages("DescribeAutoScalingInstances"));
  return {
    AutoScalingInstances: page.map(({ group, member }) => ({
      InstanceId: member.InstanceId,
      InstanceType: member.InstanceType,
      AutoScalingGroupName: group.AutoScalingGroupName,
      AvailabilityZone: member.AvailabilityZone,
      LifecycleState: member.LifecycleState,
      HealthStatus: member.HealthStatus.toUpperCase(),
      LaunchTemplate: { ...member.LaunchTemplate },
      ProtectedFromScaleIn: member.ProtectedFromScaleIn,
    })),
    NextToken,
  };
}

export function terminateInstanceInAutoScalingGroup(
  input: { InstanceId?: string; ShouldDecrementDesiredCapacity?: boolean },
  ctx: RequestContext,
) {
  const instanceId = input.InstanceId ?? "";
  const found = findMember(ctx, instanceId);
  if (!found) throw validationError(`Instance Id not found - No managed instance found for instance ID: ${instanceId}`);
  const { group, member } = found;
  if (member.LifecycleState === "Terminating") {
    const activity = findActivity(ctx.cloud, member.terminateActivityId);
    return { Activity: activity ? activityOut(activity) : undefined };
  }
  const now = ctx.cloud.now();
  let cause: string;
  if (input.ShouldDecrementDesiredCapacity) {
    if (group.DesiredCapacity - 1 < group.MinSize) {
      throw validationError(
        `Currently, desiredSize equals minSize (${group.MinSize}). Terminating instance without replacement will violate group's min size constraint. Either set shouldDecrementDesiredCapacity flag to false or lower group's min size.`,
      );
    }
    cause = causes.userTerminate(now, instanceId, group.DesiredCapacity, group.DesiredCapacity - 1);
    group.DesiredCapacity -= 1;
  } else {
    cause = causes.userTerminate(now, instanceId);
  }
  const activityId = beginMemberTermination(ctx.cloud, group, member, cause);
  return { Activity: activityOut(findActivity(ctx.cloud, activityId)!) };
}

export function setInstanceProtection(
  input: { InstanceIds?: string[]; AutoScalingGroupName?: string; ProtectedFromScaleIn?: boolean },
  ctx: RequestContext,
) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  for (const id of input.InstanceIds ?? []) {
    const member = group.Instances.find((m) => m.InstanceId === id && m.LifecycleState !== "Terminated");
    if (!member) throw validationError(`The instance ${id} is not part of Auto Scaling group ${group.AutoScalingGroupName}.`);
    member.ProtectedFromScaleIn = input.ProtectedFromScaleIn ?? false;
  }
  ctx.cloud.markDirty();
  return {};
}
