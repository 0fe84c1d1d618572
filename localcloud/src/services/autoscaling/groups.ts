/** Create/Update/Delete/DescribeAutoScalingGroups and SetDesiredCapacity. The tick does the launching and terminating. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { applyFilters } from "../ec2/filters.ts";
import { causes } from "./activities.ts";
import {
  checkHealthCheckType,
  checkLaunchTemplate,
  checkSizes,
  checkSubnets,
  checkTargetGroups,
  checkTerminationPolicies,
  type LaunchTemplateInput,
} from "./group-config.ts";
import { groupOut } from "./group-view.ts";
import { deleteGroupPolicies } from "./policies.ts";
import { checkHookSpecifications, deleteGroupHooks, putInitialHooks, type HookInput } from "./lifecycle-hooks.ts";
import { pageOf } from "../../core/paging.ts";
import { validateGroupTags } from "./tags.ts";
import { asgPages, asgState, findGroup, groupArn, groupKey, regionGroups, validationError, type GroupRecord } from "./state.ts";

interface GroupInput {
  AutoScalingGroupName?: string;
  LaunchTemplate?: LaunchTemplateInput;
  MixedInstancesPolicy?: { LaunchTemplate?: { LaunchTemplateSpecification?: LaunchTemplateInput } };
  LaunchConfigurationName?: string;
  InstanceId?: string;
  MinSize?: number;
  MaxSize?: number;
  DesiredCapacity?: number;
  DefaultCooldown?: number;
  AvailabilityZones?: string[];
  VPCZoneIdentifier?: string;
  TargetGroupARNs?: string[];
  HealthCheckType?: string;
  HealthCheckGracePeriod?: number;
  TerminationPolicies?: string[];
  NewInstancesProtectedFromScaleIn?: boolean;
  CapacityRebalance?: boolean;
  MaxInstanceLifetime?: number;
  DefaultInstanceWarmup?: number;
  Tags?: Array<{ Key?: string; Value?: string; PropagateAtLaunch?: boolean; ResourceId?: string; ResourceType?: string }>;
  LifecycleHookSpecificationList?: HookInput[];
}

function templateInput(input: GroupInput): LaunchTemplateInput | undefined {
  return input.LaunchTemplate ?? input.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
}

function subnetsFor(ctx: RequestContext, input: GroupInput) {
  if (input.VPCZoneIdentifier) return checkSubnets(ctx.cloud, ctx.region, input.VPCZoneIdentifier);
  // Zones alone mean the default VPC's default subnets, which this account does not have.
  if (input.AvailabilityZones?.length) throw validationError(`No default subnet for availability zone: '${input.AvailabilityZones[0]}'.`);
  throw validationError("At least one Availability Zone or VPC Subnet is required.");
}

export function createAutoScalingGroup(input: GroupInput, ctx: RequestContext) {
  const state = asgState(ctx.cloud);
  const name = input.AutoScalingGroupName ?? "";
  if (!name || name.length > 255) throw validationError("AutoScalingGroupName must be between 1 and 255 characters.");
  const existing = state.groups[groupKey(ctx.region, name)];
  if (existing && !existing.deleted) {
    throw new AwsError("AlreadyExists", `AutoScalingGroup by this name already exists - A group with the name ${name} already exists`);
  }
  const template = templateInput(input);
  if (!template) {
    if (input.LaunchConfigurationName)
      throw validationError(`Launch configuration name not found - Launch configuration ${input.LaunchConfigurationName} not found`);
    throw validationError(
      "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId or MixedInstancesPolicy parameter.",
    );
  }
  const launchTemplate = checkLaunchTemplate(ctx.cloud, ctx.region, template);
  const min = input.MinSize ?? 0;
  const max = input.MaxSize ?? 0;
  const desired = input.DesiredCapacity ?? min;
  checkSizes(min, max, desired);
  const { subnetIds, zones } = subnetsFor(ctx, input);
  checkHealthCheckType(input.HealthCheckType);
  checkTerminationPolicies(input.TerminationPolicies);
  checkTargetGroups(ctx.cloud, input.TargetGroupARNs);
  checkHookSpecifications(name, input.LifecycleHookSpecificationList);
  const now = ctx.cloud.now();
  const group: GroupRecord = {
    AutoScalingGroupName: name,
    AutoScalingGroupARN: groupArn(ctx.region, ctx.accountId, name),
    region: ctx.region,
    LaunchTemplate: launchTemplate,
    MinSize: min,
    MaxSize: max,
    DesiredCapacity: desired,
    DefaultCooldown: input.DefaultCooldown ?? 300,
    SubnetIds: subnetIds,
    AvailabilityZones: zones,
    HealthCheckType: input.HealthCheckType ?? "EC2",
    HealthCheckGracePeriod: input.HealthCheckGracePeriod ?? 0,
    TargetGroupARNs: [...new Set(input.TargetGroupARNs ?? [])],
    Tags: validateGroupTags(input.Tags ?? [], name),
    TerminationPolicies: input.TerminationPolicies?.length ? input.TerminationPolicies : ["Default"],
    NewInstancesProtectedFromScaleIn: input.NewInstancesProtectedFromScaleIn ?? false,
    CapacityRebalance: input.CapacityRebalance ?? false,
    MaxInstanceLifetime: input.MaxInstanceLifetime,
    DefaultInstanceWarmup: input.DefaultInstanceWarmup,
    CreatedTime: now,
    EnabledMetrics: [],
    Instances: [],
    pendingCause: desired > 0 ? causes.created(now, 0, desired) : undefined,
    launchFailures: 0,
  };
  state.groups[groupKey(ctx.region, name)] = group;
  putInitialHooks(ctx.cloud, group, input.LifecycleHookSpecificationList);
  ctx.cloud.markDirty();
  return {};
}

export function updateAutoScalingGroup(input: GroupInput, ctx: RequestContext) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  if (group.Status) throw new AwsError("ScalingActivityInProgress", "The group is being deleted.");
  const template = templateInput(input);
  const launchTemplate = template ? checkLaunchTemplate(ctx.cloud, ctx.region, template) : undefined;
  const min = input.MinSize ?? group.MinSize;
  const max = input.MaxSize ?? group.MaxSize;
  let desired = input.DesiredCapacity ?? group.DesiredCapacity;
  if (input.DesiredCapacity === undefined) {
    // Moving a bound past the current desired capacity drags it along, as AWS does.
    if (input.MinSize !== undefined && desired < min) desired = min;
    if (input.MaxSize !== undefined && desired > max) desired = max;
  }
  checkSizes(min, max, desired);
  const subnets = input.VPCZoneIdentifier ? checkSubnets(ctx.cloud, ctx.region, input.VPCZoneIdentifier) : undefined;
  checkHealthCheckType(input.HealthCheckType);
  checkTerminationPolicies(input.TerminationPolicies);

  const previousDesired = group.DesiredCapacity;
  if (launchTemplate) group.LaunchTemplate = launchTemplate;
  group.MinSize = min;
  group.MaxSize = max;
  group.DesiredCapacity = desired;
  if (subnets) {
    group.SubnetIds = subnets.subnetIds;
    group.AvailabilityZones = subnets.zones;
  }
  if (input.DefaultCooldown !== undefined) group.DefaultCooldown = input.DefaultCooldown;
  if (input.HealthCheckType !== undefined) group.HealthCheckType = input.HealthCheckType;
  if (input.HealthCheckGracePeriod !== undefined) group.HealthCheckGracePeriod = input.HealthCheckGracePeriod;
  if (input.TerminationPolicies?.length) group.TerminationPolicies = input.TerminationPolicies;
  if (input.NewInstancesProtectedFromScaleIn !== undefined) group.NewInstancesProtectedFromScaleIn = input.NewInstancesProtectedFromScaleIn;
  if (input.CapacityRebalance !== undefined) group.CapacityRebalance = input.CapacityRebalance;
  if (input.MaxInstanceLifetime !== undefined) group.MaxInstanceLifetime = input.MaxInstanceLifetime;
  if (input.DefaultInstanceWarmup !== undefined) group.DefaultInstanceWarmup = input.DefaultInstanceWarmup;
  if (desired !== previousDesired) group.pendingCause = causes.updated(ctx.cloud.now(), group, previousDesired);
  group.launchRetryAt = undefined;
  ctx.cloud.markDirty();
  return {};
}

export function setDesiredCapacity(
  input: { AutoScalingGroupName?: string; DesiredCapacity?: number; HonorCooldown?: boolean },
  ctx: RequestContext,
) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const desired = input.DesiredCapacity ?? group.DesiredCapacity;
  if (desired > group.MaxSize) {
    throw validationError(`New SetDesiredCapacity value ${desired} is above max value ${group.MaxSize} for the AutoScalingGroup.`);
  }
  if (desired < group.MinSize) {
    throw validationError(`New SetDesiredCapacity value ${desired} is below min value ${group.MinSize} for the AutoScalingGroup.`);
  }
  if (desired !== group.DesiredCapacity) {
    group.pendingCause = causes.setDesired(ctx.cloud.now(), group.DesiredCapacity, desired);
    group.DesiredCapacity = desired;
    group.launchRetryAt = undefined;
    ctx.cloud.markDirty();
  }
  return {};
}

export function deleteAutoScalingGroup(input: { AutoScalingGroupName?: string; ForceDelete?: boolean }, ctx: RequestContext) {
  const state = asgState(ctx.cloud);
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const members = group.Instances.filter((m) => m.LifecycleState !== "Terminated");
  if (!input.ForceDelete) {
    if (members.some((m) => m.LifecycleState === "Pending" || m.LifecycleState === "Terminating")) {
      throw new AwsError(
        "ScalingActivityInProgress",
        "You cannot delete an AutoScalingGroup while there are scaling activities in progress for that group.",
      );
    }
    if (members.length > 0) {
      throw new AwsError(
        "ResourceInUse",
        "You cannot delete an AutoScalingGroup while there are instances or pending Spot instance request(s) still in the group.",
      );
    }
  }
  deleteGroupPolicies(ctx.cloud, group);
  deleteGroupHooks(ctx.cloud, group);
  for (const [id, refresh] of Object.entries(state.refreshes)) {
    if (refresh.region === group.region && refresh.AutoScalingGroupName === group.AutoScalingGroupName) delete state.refreshes[id];
  }
  if (members.length === 0) {
    // Activities of a deleted group stay visible with IncludeDeletedGroups.
    delete state.groups[groupKey(group.region, group.AutoScalingGroupName)];
  } else {
    group.pendingCause = group.DesiredCapacity > 0 ? causes.deleted(ctx.cloud.now(), group.DesiredCapacity) : undefined;
    group.Status = "Delete in progress";
    group.MinSize = 0;
    group.DesiredCapacity = 0;
  }
  ctx.cloud.markDirty();
  return {};
}

export function describeAutoScalingGroups(
  input: {
    AutoScalingGroupNames?: string[];
    Filters?: Array<{ Name?: string; Values?: string[] }>;
    MaxRecords?: number;
    NextToken?: string;
  },
  ctx: RequestContext,
) {
  let groups = regionGroups(ctx.cloud, ctx.region);
  if (input.AutoScalingGroupNames?.length) groups = groups.filter((g) => input.AutoScalingGroupNames!.includes(g.AutoScalingGroupName));
  for (const filter of input.Filters ?? []) {
    const name = filter.Name ?? "";
    if (!name.startsWith("tag:") && name !== "tag-key" && name !== "tag-value") {
      throw validationError(`Filter name '${name}' is not valid. Valid names are tag:<key>, tag-key and tag-value.`);
    }
  }
  groups = applyFilters(groups, input.Filters, {});
  groups.sort((a, b) => a.AutoScalingGroupName.localeCompare(b.AutoScalingGroupName));
  const { items: page, next: NextToken } = pageOf(groups, input.NextToken, input.MaxRecords, asgPages("DescribeAutoScalingGroups"));
  return { AutoScalingGroups: page.map((g) => groupOut(g, ctx.accountId)), NextToken };
}
