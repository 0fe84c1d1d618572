/**
 * Fleet steps (one Auto Scaling group per slot, names <prefix><name>-blue and -green):
 *   1. ensureFleet(slot)   (needs the fleets' subnets: the private ones, or the public ones in
 *                          the "public" network mode; ensureLoadBalancer.loadBalancerArn and
 *                          targetGroupArns, ensureLaunchTemplate.launchTemplateId/Version)
 *                          the live slot (blue at provisioning) gets the spec's capacity, the
 *                          other 0; ELB health checks with the grace period; target tracking;
 *                          group metrics every minute.
 *   2. waitFleetHealthy(slot)  (bounded poll) fails at once when an instance's log says its user
 *                          data failed (instance-log.ts), instead of watching ELB replace it forever.
 * And the rollout moves: setFleetCapacity(slot) (optionally with a new launch template
 * version), fleetHealth(slot).
 *
 * Versions: changing a group's launch template version never replaces its running instances
 * (on AWS as here). A slot that still holds warm instances of an older version (the previous
 * fleet kept for one-click rollback) would otherwise "fill" with the old version, so
 * setFleetCapacity with a launch template version also terminates every instance on another
 * version (Auto Scaling launches replacements from the new version), and waitFleetHealthy
 * counts only healthy targets on the wanted version.
 */
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeTargetHealthCommand,
  EnableMetricsCollectionCommand,
  PutScalingPolicyCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingGroup,
} from "../aws/sdk.ts";
import { visibleAfterCreate } from "../aws/consistency.ts";
import { isAlreadyExists } from "../aws/errors.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { ServiceError } from "../errors.ts";
import { defineRead, defineStep, tagsOf, type Poll, type Slot, type StepContext, type StepInput } from "./context.ts";
import { bootstrapFailure } from "./instance-log.ts";
import { findTargetGroup } from "./load-balancer.ts";
import { checkOwner } from "./ownership.ts";

export interface Capacity {
  min: number;
  desired: number;
  max: number;
}

export async function findFleet(ctx: StepContext, slot: Slot): Promise<AutoScalingGroup | undefined> {
  const out = await ctx.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [ctx.names.asg(slot)] }));
  const group = out.AutoScalingGroups?.find((g) => g.Status !== "Delete in progress");
  if (group) checkOwner(ctx, "An Auto Scaling group", ctx.names.asg(slot), group.Tags);
  return group;
}

/** `app/<lb>/<id>/targetgroup/<tg>/<id>`: the label ALBRequestCountPerTarget needs. */
export function resourceLabelOf(loadBalancerArn: string, targetGroupArn: string): string {
  return `${loadBalancerArn.split(":loadbalancer/")[1]}/${targetGroupArn.split(":").slice(5).join(":")}`;
}

export function scalingConfigOf(spec: EnvironmentSpec, loadBalancerArn: string, targetGroupArn: string) {
  return spec.scaling.metric === "cpu"
    ? { PredefinedMetricSpecification: { PredefinedMetricType: "ASGAverageCPUUtilization" as const }, TargetValue: spec.scaling.target }
    : {
        PredefinedMetricSpecification: {
          PredefinedMetricType: "ALBRequestCountPerTarget" as const,
          ResourceLabel: resourceLabelOf(loadBalancerArn, targetGroupArn),
        },
        TargetValue: spec.scaling.target,
      };
}

export interface EnsureFleetInput extends StepInput {
  slot: Slot;
  /** Where the fleet's instances launch: the private subnets, or the public ones (network mode "public"). */
  subnetIds: string[];
  loadBalancerArn: string;
  targetGroupArns: Record<Slot, string>;
  launchTemplateId: string;
  launchTemplateVersion: number;
  /** The slot taking traffic, which gets the spec's capacity (default blue). */
  liveSlot?: Slot;
}

export const ensureFleet = defineStep(
  "create the Auto Scaling group",
  async (input: EnsureFleetInput, ctx): Promise<{ autoScalingGroupName: string; capacity: Capacity }> => {
    const { aws, names, touch, region } = ctx;
    const { slot, spec } = input;
    const name = names.asg(slot);
    const arn = (g: AutoScalingGroup) => g.AutoScalingGroupARN ?? `arn:aws:autoscaling:${region}:group/${name}`;
    let group = await findFleet(ctx, slot);
    const capacity: Capacity = slot === (input.liveSlot ?? "blue") ? { ...spec.capacity } : { min: 0, desired: 0, max: 0 };
    if (group) touch("autoscaling:group", arn(group), "found");
    else {
      try {
        await aws.autoscaling.send(
          new CreateAutoScalingGroupCommand({
            AutoScalingGroupName: name,
            LaunchTemplate: { LaunchTemplateId: input.launchTemplateId, Version: String(input.launchTemplateVersion) },
            MinSize: capacity.min,
            DesiredCapacity: capacity.desired,
            MaxSize: capacity.max,
            VPCZoneIdentifier: input.subnetIds.join(","),
            TargetGroupARNs: [input.targetGroupArns[slot]],
            HealthCheckType: "ELB",
            HealthCheckGracePeriod: spec.healthCheck.gracePeriodSeconds,
            Tags: tagsOf(input, slot, { Name: name }).map((t) => ({
              ...t,
              PropagateAtLaunch: true,
              ResourceId: name,
              ResourceType: "auto-scaling-group",
            })),
          }),
        );
      } catch (err) {
        if (!isAlreadyExists(err)) throw err; // a retried create: the group is there
      }
      // Describe may lag a create (AWS is eventually consistent): wait, bounded, for it to show.
      group = await visibleAfterCreate(() => findFleet(ctx, slot), `Auto Scaling group ${name}`);
      touch("autoscaling:group", arn(group), "created");
    }
    if (!group.EnabledMetrics?.length)
      await aws.autoscaling.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: "1Minute" }));

    const wanted = scalingConfigOf(spec, input.loadBalancerArn, input.targetGroupArns[slot]);
    const policies =
      (await aws.autoscaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: name, PolicyNames: [names.scalingPolicy(slot)] })))
        .ScalingPolicies ?? [];
    const current = policies[0]?.TargetTrackingConfiguration;
    const same =
      current?.TargetValue === wanted.TargetValue &&
      current?.PredefinedMetricSpecification?.PredefinedMetricType === wanted.PredefinedMetricSpecification.PredefinedMetricType &&
      (current?.PredefinedMetricSpecification?.ResourceLabel ?? undefined) ===
        ("ResourceLabel" in wanted.PredefinedMetricSpecification ? wanted.PredefinedMetricSpecification.ResourceLabel : undefined);
    if (!same) {
      const put = await aws.autoscaling.send(
        new PutScalingPolicyCommand({
          AutoScalingGroupName: name,
          PolicyName: names.scalingPolicy(slot),
          PolicyType: "TargetTrackingScaling",
          TargetTrackingConfiguration: wanted,
        }),
      );
      touch("autoscaling:policy", put.PolicyARN ?? names.scalingPolicy(slot), policies.length ? "updated" : "created");
    }
    return {
      autoScalingGroupName: name,
      capacity: {
        min: group.MinSize ?? capacity.min,
        desired: group.DesiredCapacity ?? capacity.desired,
        max: group.MaxSize ?? capacity.max,
      },
    };
  },
);

export interface SetFleetCapacityInput extends StepInput {
  slot: Slot;
  capacity: Capacity;
  /**
   * Also point the group at this launch template version (a rollout filling the idle slot)
   * and replace every instance that runs another version.
   */
  launchTemplateVersion?: number;
}

/** An instance that was running another launch template version and is being replaced. */
export interface ReplacedInstance {
  instanceId: string;
  launchTemplateVersion: number | null;
}

const ACTIVE_STATES = new Set(["Pending", "Pending:Wait", "Pending:Proceed", "InService", "Standby", "Warmed:Pending", "Warmed:Running"]);

/** The instance's launch template version as a number (AWS reports it as a string), or null. */
function versionOf(i: { LaunchTemplate?: { Version?: string } }): number | null {
  const v = Number(i.LaunchTemplate?.Version ?? NaN);
  return Number.isFinite(v) ? v : null;
}

export const setFleetCapacity = defineStep(
  "change the fleet's capacity",
  async (
    input: SetFleetCapacityInput,
    ctx,
  ): Promise<{ previous: Capacity; capacity: Capacity; launchTemplateVersion: number | null; replaced: ReplacedInstance[] }> => {
    const { min, desired, max } = input.capacity;
    if (!(min <= desired && desired <= max)) throw new Error(`Capacity must satisfy min <= desired <= max, got ${min}/${desired}/${max}`);
    const group = await findFleet(ctx, input.slot);
    if (!group) throw new Error(`Auto Scaling group ${ctx.names.asg(input.slot)} does not exist: provision the environment first`);
    const previous = { min: group.MinSize ?? 0, desired: group.DesiredCapacity ?? 0, max: group.MaxSize ?? 0 };
    const currentVersion = Number(group.LaunchTemplate?.Version ?? NaN);
    const newVersion =
      input.launchTemplateVersion !== undefined && input.launchTemplateVersion !== currentVersion ? input.launchTemplateVersion : undefined;
    const sameCapacity = previous.min === min && previous.desired === desired && previous.max === max;
    const arn = group.AutoScalingGroupARN ?? ctx.names.asg(input.slot);
    if (!sameCapacity || newVersion !== undefined) {
      await ctx.aws.autoscaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: ctx.names.asg(input.slot),
          MinSize: min,
          DesiredCapacity: desired,
          MaxSize: max,
          ...(newVersion !== undefined
            ? { LaunchTemplate: { LaunchTemplateName: ctx.names.launchTemplateOf(input.slot), Version: String(newVersion) } }
            : {}),
        }),
      );
      ctx.touch("autoscaling:group", arn, "updated");
    } else ctx.touch("autoscaling:group", arn, "found");

    // Instances on another version: terminate them without lowering the desired capacity, so
    // the group launches their replacements from the wanted version. Terminating ones are
    // already on their way out (a retried step finds them so and moves on).
    const replaced: ReplacedInstance[] = [];
    if (input.launchTemplateVersion !== undefined && desired > 0) {
      const stale = (group.Instances ?? []).filter(
        (i) => ACTIVE_STATES.has(i.LifecycleState ?? "") && versionOf(i) !== input.launchTemplateVersion,
      );
      for (const i of stale) {
        try {
          await ctx.aws.autoscaling.send(
            new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: i.InstanceId, ShouldDecrementDesiredCapacity: false }),
          );
        } catch (err) {
          // Gone between the read and the call (scaled in, or a retry): nothing left to replace.
          if (!/not found|No managed instance/i.test(String((err as Error).message))) throw err;
        }
        replaced.push({ instanceId: i.InstanceId ?? "", launchTemplateVersion: versionOf(i) });
        ctx.touch("ec2:instance", i.InstanceId ?? "", "deleted");
      }
    }
    return {
      previous,
      capacity: input.capacity,
      launchTemplateVersion: newVersion ?? (Number.isFinite(currentVersion) ? currentVersion : null),
      replaced,
    };
  },
);

export interface FleetHealth {
  slot: Slot;
  desired: number;
  inService: number;
  healthyTargets: number;
  totalTargets: number;
  launchTemplateVersion: number | null;
  /** The version the caller waits for (a rollout's new version), or the group's own. */
  wantedVersion: number | null;
  /** In-service instances on the wanted version, and of those, the ones that are healthy targets. */
  onVersion: number;
  onVersionHealthy: number;
  /** Instances still running another launch template version (in service, or healthy in the target group). */
  otherVersions: Array<{ instanceId: string; launchTemplateVersion: number | null; lifecycleState: string }>;
  /** In words, for the timeline: "4 of 4 on launch template version 7 healthy". */
  summary: string;
  unhealthy: Array<{ instanceId: string; state: string; reason: string | null; description: string | null }>;
  /** The latest failed or cancelled scaling activity's message (e.g. an instance type AWS cannot launch). */
  lastFailure: string | null;
  /** An instance whose user data failed, with the lines of its log that say why. */
  bootstrapFailure: { instanceId: string; lines: string[] } | null;
}

async function readFleetHealth(ctx: StepContext, slot: Slot, wanted?: number): Promise<FleetHealth> {
  const [group, tg] = await Promise.all([findFleet(ctx, slot), findTargetGroup(ctx, slot)]);
  const activities = group
    ? ((await ctx.aws.autoscaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: ctx.names.asg(slot), MaxRecords: 10 })))
        .Activities ?? [])
    : [];
  const latest = activities.find((a) => a.StatusCode === "Successful" || a.StatusCode === "Failed" || a.StatusCode === "Cancelled");
  const failed = latest && latest.StatusCode !== "Successful" ? latest : undefined;
  const targets = tg?.TargetGroupArn
    ? ((await ctx.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions ?? [])
    : [];
  const instances = group?.Instances ?? [];
  const inService = instances.filter((i) => i.LifecycleState === "InService");
  const healthy = targets.filter((t) => t.TargetHealth?.State === "healthy");
  const healthyIds = new Set(healthy.map((t) => t.Target?.Id));
  const groupVersion = Number(group?.LaunchTemplate?.Version ?? NaN);
  const wantedVersion = wanted ?? (Number.isFinite(groupVersion) ? groupVersion : null);
  const onVersion = inService.filter((i) => versionOf(i) === wantedVersion);
  const onVersionIds = new Set(onVersion.map((i) => i.InstanceId));
  const versionById = new Map(instances.map((i) => [i.InstanceId, i]));
  // Another version counts while it is in service or still a healthy (routable) target.
  const otherIds = new Set([
    ...inService.filter((i) => !onVersionIds.has(i.InstanceId)).map((i) => i.InstanceId),
    ...[...healthyIds].filter((id) => !onVersionIds.has(id)),
  ]);
  const otherVersions = [...otherIds].map((id) => {
    const i = versionById.get(id);
    return {
      instanceId: id ?? "",
      launchTemplateVersion: i ? versionOf(i) : null,
      lifecycleState: i?.LifecycleState ?? "not in the group",
    };
  });
  const onVersionHealthy = onVersion.filter((i) => healthyIds.has(i.InstanceId)).length;
  const desired = group?.DesiredCapacity ?? 0;
  const summary =
    `${onVersionHealthy} of ${desired} healthy on launch template version ${wantedVersion ?? "?"}` +
    (otherVersions.length
      ? `; ${otherVersions.length} still on ${[...new Set(otherVersions.map((o) => `version ${o.launchTemplateVersion ?? "?"}`))].join(", ")}`
      : "");
  return {
    slot,
    desired,
    inService: inService.length,
    healthyTargets: healthy.length,
    totalTargets: targets.length,
    launchTemplateVersion: Number.isFinite(groupVersion) ? groupVersion : null,
    wantedVersion,
    onVersion: onVersion.length,
    onVersionHealthy,
    otherVersions,
    summary,
    unhealthy: targets
      .filter((t) => t.TargetHealth?.State !== "healthy")
      .map((t) => ({
        instanceId: t.Target?.Id ?? "",
        state: t.TargetHealth?.State ?? "unknown",
        reason: t.TargetHealth?.Reason ?? null,
        description: t.TargetHealth?.Description ?? null,
      })),
    lastFailure: failed ? (failed.StatusMessage ?? failed.Description ?? "failed") : null,
    bootstrapFailure: await bootstrapFailure(
      ctx,
      inService.filter((i) => !healthyIds.has(i.InstanceId) && versionOf(i) === wantedVersion).map((i) => i.InstanceId!),
    ),
  };
}

export const fleetHealth = defineRead("read the fleet's health", (input: StepInput & { slot: Slot; launchTemplateVersion?: number }, ctx) =>
  readFleetHealth(ctx, input.slot, input.launchTemplateVersion),
);

/**
 * Done when the group has its desired capacity in service on the wanted launch template
 * version (the group's own when not given), every one of those instances is a healthy target,
 * and no instance on another version is still in service or routable. Traffic may then move.
 */
export const waitFleetHealthy = defineRead(
  "wait for the fleet to be healthy",
  async (input: StepInput & { slot: Slot; launchTemplateVersion?: number }, ctx): Promise<Poll<FleetHealth>> => {
    const health = await readFleetHealth(ctx, input.slot, input.launchTemplateVersion);
    if (health.bootstrapFailure) {
      const { instanceId, lines } = health.bootstrapFailure;
      // It will not heal by waiting: ELB health checks would replace the instances forever.
      throw new ServiceError(
        "PRECONDITION_FAILED",
        `The instances cannot start the app: the user data failed on ${instanceId}: ${lines.join(" / ")} (the instance log is on the environment page).`,
      );
    }
    const done =
      health.desired === 0 ||
      (health.onVersion >= health.desired && health.onVersionHealthy >= health.desired && health.otherVersions.length === 0);
    return { done, detail: health };
  },
);
