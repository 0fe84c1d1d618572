/** The AutoScalingGroup shape of DescribeAutoScalingGroups. */
import type { GroupRecord, MemberRecord } from "./state.ts";

export function memberOut(member: MemberRecord) {
  return {
    InstanceId: member.InstanceId,
    InstanceType: member.InstanceType,
    AvailabilityZone: member.AvailabilityZone,
    LifecycleState: member.LifecycleState,
    HealthStatus: member.HealthStatus,
    LaunchTemplate: { ...member.LaunchTemplate },
    ProtectedFromScaleIn: member.ProtectedFromScaleIn,
  };
}

export function groupTagsOut(group: GroupRecord) {
  return group.Tags.map((tag) => ({
    ResourceId: group.AutoScalingGroupName,
    ResourceType: "auto-scaling-group",
    Key: tag.Key,
    Value: tag.Value,
    PropagateAtLaunch: tag.PropagateAtLaunch,
  }));
}

export function groupOut(group: GroupRecord, accountId: string) {
  return {
    AutoScalingGroupName: group.AutoScalingGroupName,
    AutoScalingGroupARN: group.AutoScalingGroupARN,
    LaunchTemplate: { ...group.LaunchTemplate },
    MinSize: group.MinSize,
    MaxSize: group.MaxSize,
    DesiredCapacity: group.DesiredCapacity,
    DefaultCooldown: group.DefaultCooldown,
    AvailabilityZones: group.AvailabilityZones,
    LoadBalancerNames: [],
    TargetGroupARNs: group.TargetGroupARNs,
    HealthCheckType: group.HealthCheckType,
    HealthCheckGracePeriod: group.HealthCheckGracePeriod,
    Instances: group.Instances.filter((m) => m.LifecycleState !== "Terminated").map(memberOut),
    CreatedTime: new Date(group.CreatedTime),
    SuspendedProcesses: [],
    VPCZoneIdentifier: group.SubnetIds.join(","),
    EnabledMetrics: group.EnabledMetrics,
    Status: group.Status,
    Tags: groupTagsOut(group),
    TerminationPolicies: group.TerminationPolicies,
    NewInstancesProtectedFromScaleIn: group.NewInstancesProtectedFromScaleIn,
    ServiceLinkedRoleARN: `arn:aws:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    MaxInstanceLifetime: group.MaxInstanceLifetime,
    CapacityRebalance: group.CapacityRebalance,
    DefaultInstanceWarmup: group.DefaultInstanceWarmup,
    TrafficSources: group.TargetGroupARNs.map((arn) => ({ Identifier: arn })),
  };
}
