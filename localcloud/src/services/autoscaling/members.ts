/** Launching into and taking instances out of a group: the two actions every scaling decision ends in. */
import { AwsError, type CloudApi } from "../../core/types.ts";
import { launchInstances, terminateInstance } from "../ec2/index.ts";
import { ec2State } from "../ec2/state.ts";
import type { GroupRecord, LaunchTemplateSpec, MemberRecord } from "./state.ts";
import { recordActivity, updateActivity } from "./activities.ts";
import { deregisterInstance } from "./integrations.ts";

/** Failed launches retry after 10 s, doubling up to 5 min (simulated), like AWS's backoff. */
const RETRY_BASE_MS = 10_000;
const RETRY_MAX_MS = 300_000;

export function isActive(member: MemberRecord): boolean {
  return (member.LifecycleState === "Pending" || member.LifecycleState === "InService") && member.HealthStatus === "Healthy";
}

/** The zone with the fewest active instances (ties: alphabetical), so launches spread evenly. */
function nextZone(group: GroupRecord, counts: Map<string, number>): string {
  return [...group.AvailabilityZones].sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || a.localeCompare(b))[0];
}

function subnetInZone(cloud: CloudApi, group: GroupRecord, zone: string): string | undefined {
  const subnets = ec2State(cloud).subnets;
  return group.SubnetIds.find((id) => subnets[id]?.AvailabilityZone === zone);
}

/** Launches `count` instances one by one, balanced across zones; stops at the first failure and backs off. */
export function launchMembers(cloud: CloudApi, group: GroupRecord, count: number, cause: string, template: LaunchTemplateSpec): number {
  const now = cloud.now();
  const counts = new Map<string, number>();
  for (const member of group.Instances.filter(isActive))
    counts.set(member.AvailabilityZone, (counts.get(member.AvailabilityZone) ?? 0) + 1);
  let launched = 0;
  for (let i = 0; i < count; i++) {
    const zone = nextZone(group, counts);
    const subnetId = subnetInZone(cloud, group, zone);
    try {
      if (!subnetId) throw new AwsError("InvalidSubnetID.NotFound", `No subnet of the group is left in ${zone}.`);
      const tags = [
        ...group.Tags.filter((t) => t.PropagateAtLaunch).map((t) => ({ Key: t.Key, Value: t.Value })),
        { Key: "aws:autoscaling:groupName", Value: group.AutoScalingGroupName },
      ];
      const [instance] = launchInstances(cloud, group.region, { launchTemplate: template, subnetId, count: 1, tags });
      const activity = recordActivity(cloud, group, {
        Description: `Launching a new EC2 instance: ${instance.InstanceId}`,
        Cause: cause,
        StatusCode: "InProgress",
        Progress: 30,
        Details: JSON.stringify({ "Subnet ID": subnetId, "Availability Zone": zone }),
      });
      group.Instances.push({
        InstanceId: instance.InstanceId,
        InstanceType: instance.InstanceType,
        AvailabilityZone: zone,
        SubnetId: subnetId,
        LifecycleState: "Pending",
        HealthStatus: "Healthy",
        LaunchTemplate: instance.LaunchTemplate ?? { ...template },
        ProtectedFromScaleIn: group.NewInstancesProtectedFromScaleIn,
        launchedAt: now,
        launchActivityId: activity.ActivityId,
        registeredTargetGroups: [],
      });
      counts.set(zone, (counts.get(zone) ?? 0) + 1);
      launched++;
      group.launchFailures = 0;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      recordActivity(cloud, group, {
        Description: `Launching a new EC2 instance.  Status Reason: ${message}. Launching EC2 instance failed.`,
        Cause: cause,
        StatusCode: "Failed",
        StatusMessage: message,
        Progress: 100,
        EndTime: now,
        Details: JSON.stringify({ "Subnet ID": subnetId, "Availability Zone": zone }),
      });
      group.launchFailures++;
      group.launchRetryAt = now + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (group.launchFailures - 1));
      break;
    }
  }
  cloud.markDirty();
  return launched;
}

/**
 * Takes a member out of service: deregisters it from its target groups and waits for
 * connection draining (the tick terminates it once drained), or terminates it at once.
 */
export function beginMemberTermination(cloud: CloudApi, group: GroupRecord, member: MemberRecord, cause: string): string {
  const now = cloud.now();
  member.LifecycleState = "Terminating";
  const draining = member.registeredTargetGroups.length > 0;
  const activity = recordActivity(cloud, group, {
    Description: `Terminating EC2 instance: ${member.InstanceId}`,
    Cause: cause,
    StatusCode: draining ? "WaitingForELBConnectionDraining" : "InProgress",
    Progress: draining ? 20 : 50,
    Details: JSON.stringify({ "Subnet ID": member.SubnetId, "Availability Zone": member.AvailabilityZone }),
  });
  member.terminateActivityId = activity.ActivityId;
  if (draining) {
    for (const arn of member.registeredTargetGroups) deregisterInstance(cloud, group.region, arn, member.InstanceId);
    member.drainingSince = now;
  } else {
    terminateInstance(cloud, group.region, member.InstanceId);
  }
  cloud.markDirty();
  return activity.ActivityId;
}

/** After draining, the EC2 instance itself goes. */
export function finishDraining(cloud: CloudApi, group: GroupRecord, member: MemberRecord): void {
  member.drainingSince = undefined;
  member.registeredTargetGroups = [];
  terminateInstance(cloud, group.region, member.InstanceId);
  updateActivity(cloud, member.terminateActivityId, { StatusCode: "InProgress", Progress: 50 });
}
