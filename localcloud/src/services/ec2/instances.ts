/** RunInstances, DescribeInstances, DescribeInstanceStatus, Terminate/Stop/StartInstances, DescribeInstanceAttribute. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { checkIdShape, invalidParameterValue, required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { launch } from "./instance-launch.ts";
import { beginStop, beginTermination, startPending, stateOut, STATE_CODES } from "./instance-lifecycle.ts";
import { instanceFilterFields, instanceOut } from "./instance-view.ts";
import type { LaunchTemplateRef } from "./launch-template-store.ts";
import { findAll, regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { ec2State, type Ec2State, type InstanceRecord } from "./state.ts";
import { tagsFromSpecifications, type TagSpecification } from "./tagging.ts";

/** How long status checks report "initializing" after an instance starts running (AWS: a few minutes). */
const STATUS_CHECK_INIT_MS = 120_000;

function reservationsOut(state: Ec2State, instances: InstanceRecord[], ownerId: string) {
  const reservations = new Map<string, InstanceRecord[]>();
  for (const instance of instances) {
    const list = reservations.get(instance.ReservationId) ?? [];
    list.push(instance);
    reservations.set(instance.ReservationId, list);
  }
  return [...reservations].map(([ReservationId, members]) => ({
    ReservationId,
    OwnerId: ownerId,
    Groups: [],
    Instances: members.map((i) => instanceOut(state, i, ownerId)),
  }));
}

function instancesById(ctx: RequestContext, ids: string[]): InstanceRecord[] {
  for (const id of ids) checkIdShape(id, "i", "InvalidInstanceID.Malformed");
  return findAll(ec2State(ctx.cloud).instances, ctx.region, ids, "InvalidInstanceID.NotFound", "instance");
}

export function runInstances(
  input: {
    ImageId?: string;
    InstanceType?: string;
    MinCount?: number;
    MaxCount?: number;
    SubnetId?: string;
    SecurityGroupIds?: string[];
    SecurityGroups?: string[];
    KeyName?: string;
    UserData?: string;
    Placement?: { AvailabilityZone?: string };
    NetworkInterfaces?: Array<{ DeviceIndex?: number; SubnetId?: string; Groups?: string[]; AssociatePublicIpAddress?: boolean }>;
    PrivateIpAddress?: string;
    Monitoring?: { Enabled?: boolean };
    LaunchTemplate?: LaunchTemplateRef;
    TagSpecifications?: TagSpecification[];
    ClientToken?: string;
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  const tokenKey = input.ClientToken ? `${ctx.region}/RunInstances/${input.ClientToken}` : undefined;
  const earlier = tokenKey ? state.clientTokens[tokenKey] : undefined;
  if (earlier) {
    const instances = earlier.ids.map((id) => state.instances[id]).filter(Boolean);
    if (instances.length > 0) return { ...reservationsOut(state, instances, ctx.accountId)[0] };
  }
  const nic = (input.NetworkInterfaces ?? []).find((n) => (n.DeviceIndex ?? 0) === 0);
  const { reservationId, instances } = launch(ctx.cloud, {
    region: ctx.region,
    minCount: required(input.MinCount, "MinCount"),
    maxCount: required(input.MaxCount, "MaxCount"),
    ImageId: input.ImageId,
    InstanceType: input.InstanceType,
    SubnetId: input.SubnetId ?? nic?.SubnetId,
    SecurityGroupIds: [...(input.SecurityGroupIds ?? []), ...(nic?.Groups ?? [])],
    SecurityGroups: input.SecurityGroups,
    KeyName: input.KeyName,
    UserData: input.UserData,
    AvailabilityZone: input.Placement?.AvailabilityZone,
    AssociatePublicIpAddress: nic?.AssociatePublicIpAddress,
    PrivateIpAddress: input.PrivateIpAddress,
    MonitoringEnabled: input.Monitoring?.Enabled,
    LaunchTemplate: input.LaunchTemplate,
    tags: tagsFromSpecifications(input.TagSpecifications, "instance", [
      "volume",
      "network-interface",
      "spot-instances-request",
      "elastic-gpu",
    ]),
    ClientToken: input.ClientToken,
  });
  if (tokenKey) state.clientTokens[tokenKey] = { kind: "RunInstances", ids: instances.map((i) => i.InstanceId), at: ctx.cloud.now() };
  return {
    ReservationId: reservationId,
    OwnerId: ctx.accountId,
    Groups: [],
    Instances: instances.map((i) => instanceOut(state, i, ctx.accountId)),
  };
}

export function describeInstances(
  input: { InstanceIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  if (input.InstanceIds?.length && input.MaxResults !== undefined) {
    throw new AwsError("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
  }
  let instances = input.InstanceIds?.length ? instancesById(ctx, input.InstanceIds) : regionRecords(state.instances, ctx.region);
  instances = applyFilters(instances, input.Filters, instanceFilterFields(state));
  instances = [...instances].sort((a, b) => a.LaunchTime - b.LaunchTime || a.AmiLaunchIndex - b.AmiLaunchIndex);
  const { items: page, next: NextToken } = pageOf(instances, input.NextToken, input.MaxResults, ec2Pages("DescribeInstances"));
  return { Reservations: reservationsOut(state, page, ctx.accountId), NextToken };
}

function statusSummary(instance: InstanceRecord, now: number) {
  if (instance.State !== "running") return { Status: "not-applicable", Details: [{ Name: "reachability", Status: "not-applicable" }] };
  const ready = now - (instance.RunningSince ?? now) >= STATUS_CHECK_INIT_MS;
  return ready
    ? { Status: "ok", Details: [{ Name: "reachability", Status: "passed" }] }
    : { Status: "initializing", Details: [{ Name: "reachability", Status: "initializing" }] };
}

export function describeInstanceStatus(
  input: { InstanceIds?: string[]; Filters?: Filter[]; IncludeAllInstances?: boolean; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  if (input.InstanceIds?.length && input.MaxResults !== undefined) {
    throw new AwsError("InvalidParameterCombination", "The parameter instancesSet cannot be used with the parameter maxResults");
  }
  const now = ctx.cloud.now();
  let instances = input.InstanceIds?.length ? instancesById(ctx, input.InstanceIds) : regionRecords(state.instances, ctx.region);
  if (!input.IncludeAllInstances) instances = instances.filter((i) => i.State === "running");
  instances = applyFilters(instances, input.Filters, {
    "availability-zone": (i) => i.AvailabilityZone,
    "instance-state-name": (i) => i.State,
    "instance-state-code": (i) => STATE_CODES[i.State],
    "instance-status.status": (i) => statusSummary(i, now).Status,
    "instance-status.reachability": (i) => statusSummary(i, now).Details[0].Status,
    "system-status.status": (i) => statusSummary(i, now).Status,
    "system-status.reachability": (i) => statusSummary(i, now).Details[0].Status,
  });
  instances = [...instances].sort((a, b) => a.LaunchTime - b.LaunchTime || a.AmiLaunchIndex - b.AmiLaunchIndex);
  const { items: page, next: NextToken } = pageOf(instances, input.NextToken, input.MaxResults, ec2Pages("DescribeInstanceStatus"));
  return {
    InstanceStatuses: page.map((i) => ({
      InstanceId: i.InstanceId,
      AvailabilityZone: i.AvailabilityZone,
      InstanceState: stateOut(i.State),
      InstanceStatus: statusSummary(i, now),
      SystemStatus: statusSummary(i, now),
      Events: [],
    })),
    NextToken,
  };
}

export function terminateInstances(input: { InstanceIds?: string[] }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const instances = instancesById(ctx, required(input.InstanceIds, "InstanceId"));
  const now = ctx.cloud.now();
  const changes = instances.map((instance) => {
    const previous = stateOut(instance.State);
    beginTermination(state, instance, now);
    return { InstanceId: instance.InstanceId, PreviousState: previous, CurrentState: stateOut(instance.State) };
  });
  ctx.cloud.markDirty();
  return { TerminatingInstances: changes };
}

export function stopInstances(input: { InstanceIds?: string[] }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const instances = instancesById(ctx, required(input.InstanceIds, "InstanceId"));
  for (const instance of instances) {
    if (!["pending", "running", "stopping", "stopped"].includes(instance.State)) {
      throw new AwsError(
        "IncorrectInstanceState",
        `This instance '${instance.InstanceId}' is not in a state from which it can be stopped.`,
      );
    }
  }
  const now = ctx.cloud.now();
  const changes = instances.map((instance) => {
    const previous = stateOut(instance.State);
    if (instance.State === "pending" || instance.State === "running") beginStop(state, instance, now);
    return { InstanceId: instance.InstanceId, PreviousState: previous, CurrentState: stateOut(instance.State) };
  });
  ctx.cloud.markDirty();
  return { StoppingInstances: changes };
}

export function startInstances(input: { InstanceIds?: string[] }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const instances = instancesById(ctx, required(input.InstanceIds, "InstanceId"));
  for (const instance of instances) {
    if (!["pending", "running", "stopped"].includes(instance.State)) {
      throw new AwsError("IncorrectInstanceState", `The instance '${instance.InstanceId}' is not in a state from which it can be started.`);
    }
  }
  const now = ctx.cloud.now();
  const changes = instances.map((instance) => {
    const previous = stateOut(instance.State);
    if (instance.State === "stopped") {
      instance.StateTransitionReason = "";
      startPending(state, instance, now);
    }
    return { InstanceId: instance.InstanceId, PreviousState: previous, CurrentState: stateOut(instance.State) };
  });
  ctx.cloud.markDirty();
  return { StartingInstances: changes };
}

export function describeInstanceAttribute(input: { InstanceId?: string; Attribute?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const [instance] = instancesById(ctx, [required(input.InstanceId, "InstanceId")]);
  const base = { InstanceId: instance.InstanceId };
  switch (input.Attribute) {
    case "instanceType":
      return { ...base, InstanceType: { Value: instance.InstanceType } };
    case "userData":
      return { ...base, UserData: instance.UserData === undefined ? {} : { Value: instance.UserData } };
    case "groupSet":
      return { ...base, Groups: instance.SecurityGroupIds.map((id) => ({ GroupId: id, GroupName: state.securityGroups[id]?.GroupName })) };
    case "disableApiTermination":
      return { ...base, DisableApiTermination: { Value: false } };
    case "disableApiStop":
      return { ...base, DisableApiStop: { Value: false } };
    case "instanceInitiatedShutdownBehavior":
      return { ...base, InstanceInitiatedShutdownBehavior: { Value: "stop" } };
    case "rootDeviceName":
      return { ...base, RootDeviceName: { Value: "/dev/xvda" } };
    case "ebsOptimized":
      return { ...base, EbsOptimized: { Value: false } };
    case "enaSupport":
      return { ...base, EnaSupport: { Value: true } };
    case "sourceDestCheck":
      return { ...base, SourceDestCheck: { Value: true } };
    default:
      throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
}
