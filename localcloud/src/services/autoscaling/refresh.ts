/**
 * Instance refresh (Rolling): replaces instances in batches so that at least
 * MinHealthyPercentage of the desired capacity stays InService and warmed up;
 * Pending -> InProgress -> Successful (or Cancelling -> Cancelled).
 */
import { randomUUID } from "node:crypto";
import { AwsError, type CloudApi, type RequestContext } from "../../core/types.ts";
import { findLaunchTemplate, resolveVersion } from "../ec2/launch-template-store.ts";
import { causes } from "./activities.ts";
import { checkLaunchTemplate, type LaunchTemplateInput } from "./group-config.ts";
import { beginMemberTermination, isActive } from "./members.ts";
import { pageOf } from "../../core/paging.ts";
import {
  asgPages,
  asgState,
  findGroup,
  validationError,
  type GroupRecord,
  type LaunchTemplateSpec,
  type MemberRecord,
  type RefreshRecord,
} from "./state.ts";

const ACTIVE = ["Pending", "InProgress", "Cancelling"];

export function activeRefresh(cloud: CloudApi, group: GroupRecord): RefreshRecord | undefined {
  return Object.values(asgState(cloud).refreshes).find(
    (r) => r.region === group.region && r.AutoScalingGroupName === group.AutoScalingGroupName && ACTIVE.includes(r.Status),
  );
}

/** The template new instances get: the refresh's desired configuration while one runs. */
export function launchTemplateFor(cloud: CloudApi, group: GroupRecord): LaunchTemplateSpec {
  const refresh = activeRefresh(cloud, group);
  return refresh?.Status === "InProgress" && refresh.DesiredConfiguration?.LaunchTemplate
    ? refresh.DesiredConfiguration.LaunchTemplate
    : group.LaunchTemplate;
}

function matches(cloud: CloudApi, group: GroupRecord, member: MemberRecord, target: LaunchTemplateSpec): boolean {
  try {
    const version = resolveVersion(findLaunchTemplate(cloud, group.region, target), target.Version).VersionNumber;
    return member.LaunchTemplate.LaunchTemplateId === target.LaunchTemplateId && Number(member.LaunchTemplate.Version) === version;
  } catch {
    return false;
  }
}

export function startInstanceRefresh(
  input: {
    AutoScalingGroupName?: string;
    Strategy?: string;
    DesiredConfiguration?: { LaunchTemplate?: LaunchTemplateInput };
    Preferences?: {
      MinHealthyPercentage?: number;
      InstanceWarmup?: number;
      SkipMatching?: boolean;
      CheckpointPercentages?: number[];
      CheckpointDelay?: number;
    };
  },
  ctx: RequestContext,
) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  if ((input.Strategy ?? "Rolling") !== "Rolling") throw validationError(`Strategy ${input.Strategy} is not supported; use Rolling.`);
  if (activeRefresh(ctx.cloud, group)) {
    throw new AwsError(
      "InstanceRefreshInProgress",
      "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.",
    );
  }
  const minHealthy = input.Preferences?.MinHealthyPercentage ?? 90;
  if (minHealthy < 0 || minHealthy > 100) throw validationError("MinHealthyPercentage must be between 0 and 100.");
  const desiredTemplate = input.DesiredConfiguration?.LaunchTemplate
    ? checkLaunchTemplate(ctx.cloud, ctx.region, input.DesiredConfiguration.LaunchTemplate)
    : undefined;
  const skipMatching = input.Preferences?.SkipMatching ?? false;
  const target = desiredTemplate ?? group.LaunchTemplate;
  const toReplace = group.Instances.filter(isActive).filter((m) => !(skipMatching && matches(ctx.cloud, group, m, target)));
  const refresh: RefreshRecord = {
    InstanceRefreshId: randomUUID(),
    AutoScalingGroupName: group.AutoScalingGroupName,
    region: ctx.region,
    Status: "Pending",
    StartTime: ctx.cloud.now(),
    Preferences: {
      MinHealthyPercentage: minHealthy,
      InstanceWarmup: input.Preferences?.InstanceWarmup,
      SkipMatching: skipMatching,
      CheckpointPercentages: input.Preferences?.CheckpointPercentages,
      CheckpointDelay: input.Preferences?.CheckpointDelay,
    },
    DesiredConfiguration: desiredTemplate ? { LaunchTemplate: desiredTemplate } : undefined,
    remaining: toReplace.map((m) => m.InstanceId),
    total: toReplace.length,
  };
  asgState(ctx.cloud).refreshes[refresh.InstanceRefreshId] = refresh;
  ctx.cloud.markDirty();
  return { InstanceRefreshId: refresh.InstanceRefreshId };
}

function progress(_cloud: CloudApi, group: GroupRecord, refresh: RefreshRecord, now: number) {
  const warmupMs = (refresh.Preferences.InstanceWarmup ?? group.DefaultInstanceWarmup ?? group.HealthCheckGracePeriod) * 1000;
  const members = new Map(group.Instances.map((m) => [m.InstanceId, m]));
  const remaining = refresh.remaining.filter((id) => {
    const m = members.get(id);
    return m !== undefined && isActive(m);
  });
  const warmed = (m: MemberRecord) => isActive(m) && m.LifecycleState === "InService" && now - (m.inServiceAt ?? now) >= warmupMs;
  const active = group.Instances.filter(isActive);
  const replacements = active.filter((m) => !refresh.remaining.includes(m.InstanceId));
  const notWarmed = replacements.filter((m) => !warmed(m)).length;
  const done = Math.max(0, refresh.total - remaining.length - notWarmed);
  return {
    remaining,
    warmed: active.filter(warmed),
    active,
    notWarmed,
    percentage: refresh.total === 0 ? 100 : Math.floor((100 * done) / refresh.total),
  };
}

/** One step of the refresh state machine, run from the group's tick before capacity is reconciled. */
export function stepRefresh(cloud: CloudApi, group: GroupRecord, now: number): void {
  const refresh = activeRefresh(cloud, group);
  if (!refresh) return;
  if (refresh.Status === "Cancelling") {
    Object.assign(refresh, { Status: "Cancelled", EndTime: now, StatusReason: "Instance refresh was cancelled by a user request." });
    cloud.markDirty();
    return;
  }
  if (refresh.Status === "Pending") {
    refresh.Status = "InProgress";
    cloud.markDirty();
  }
  const p = progress(cloud, group, refresh, now);
  refresh.remaining = p.remaining;
  const desired = group.DesiredCapacity;
  if (p.remaining.length === 0) {
    if (p.warmed.length >= desired) {
      if (refresh.DesiredConfiguration?.LaunchTemplate) group.LaunchTemplate = refresh.DesiredConfiguration.LaunchTemplate;
      Object.assign(refresh, { Status: "Successful", EndTime: now, StatusReason: undefined });
      cloud.markDirty();
    }
    return;
  }
  // Next batch only once earlier replacements are in service and warmed up.
  if (p.notWarmed > 0 || p.active.length < desired) {
    refresh.StatusReason = "Waiting for instances to warm up before continuing.";
    return;
  }
  const minHealthy = Math.ceil((desired * refresh.Preferences.MinHealthyPercentage) / 100);
  const batch = Math.min(p.remaining.length, Math.max(1, p.warmed.length - minHealthy));
  const byId = new Map(group.Instances.map((m) => [m.InstanceId, m]));
  for (const id of p.remaining.slice(0, batch)) beginMemberTermination(cloud, group, byId.get(id)!, causes.refresh(now));
  refresh.remaining = p.remaining.slice(batch);
  refresh.StatusReason = undefined;
  cloud.markDirty();
}

function refreshOut(cloud: CloudApi, refresh: RefreshRecord) {
  const group = asgState(cloud).groups[`${refresh.region}/${refresh.AutoScalingGroupName}`];
  const live = group && ACTIVE.includes(refresh.Status) ? progress(cloud, group, refresh, cloud.now()) : undefined;
  const percentage = refresh.Status === "Successful" ? 100 : (live?.percentage ?? 0);
  const toUpdate = refresh.Status === "Successful" ? 0 : live ? live.remaining.length + live.notWarmed : refresh.remaining.length;
  return {
    InstanceRefreshId: refresh.InstanceRefreshId,
    AutoScalingGroupName: refresh.AutoScalingGroupName,
    Status: refresh.Status,
    StatusReason: refresh.StatusReason,
    StartTime: new Date(refresh.StartTime),
    EndTime: refresh.EndTime === undefined ? undefined : new Date(refresh.EndTime),
    PercentageComplete: percentage,
    InstancesToUpdate: toUpdate,
    ProgressDetails: { LivePoolProgress: { PercentageComplete: percentage, InstancesToUpdate: toUpdate } },
    Preferences: refresh.Preferences,
    DesiredConfiguration: refresh.DesiredConfiguration,
  };
}

export function describeInstanceRefreshes(
  input: { AutoScalingGroupName?: string; InstanceRefreshIds?: string[]; MaxRecords?: number; NextToken?: string },
  ctx: RequestContext,
) {
  let refreshes = Object.values(asgState(ctx.cloud).refreshes).filter(
    (r) => r.region === ctx.region && r.AutoScalingGroupName === input.AutoScalingGroupName,
  );
  if (input.InstanceRefreshIds?.length) refreshes = refreshes.filter((r) => input.InstanceRefreshIds!.includes(r.InstanceRefreshId));
  refreshes.sort((a, b) => b.StartTime - a.StartTime);
  const { items: page, next: NextToken } = pageOf(refreshes, input.NextToken, input.MaxRecords, asgPages("DescribeInstanceRefreshes"));
  return { InstanceRefreshes: page.map((r) => refreshOut(ctx.cloud, r)), NextToken };
}

export function cancelInstanceRefresh(input: { AutoScalingGroupName?: string }, ctx: RequestContext) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const refresh = activeRefresh(ctx.cloud, group);
  if (!refresh || refresh.Status === "Cancelling") {
    throw new AwsError(
      "ActiveInstanceRefreshNotFound",
      `No in progress or pending Instance Refresh found for Auto Scaling group ${group.AutoScalingGroupName}`,
    );
  }
  refresh.Status = "Cancelling";
  ctx.cloud.markDirty();
  return { InstanceRefreshId: refresh.InstanceRefreshId };
}
