/**
 * Fleet steps (one Auto Scaling group per slot, names <name>-blue and <name>-green):
 *   1. ensureFleet(slot)   (needs ensureNetwork.privateSubnetIds, ensureLoadBalancer.loadBalancerArn
 *                          and targetGroupArns, ensureLaunchTemplate.launchTemplateId/Version)
 *                          the live slot (blue at provisioning) gets the spec's capacity, the
 *                          other 0; ELB health checks with the grace period; target tracking;
 *                          group metrics every minute.
 *   2. waitFleetHealthy(slot)  (bounded poll)
 * And the rollout moves: setFleetCapacity(slot) (optionally with a new launch template
 * version), fleetHealth(slot).
 */
import {
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeTargetHealthCommand,
  EnableMetricsCollectionCommand,
  PutScalingPolicyCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingGroup,
} from "../aws/sdk.ts";
import { isAlreadyExists } from "../aws/errors.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { defineRead, defineStep, tagsOf, type Poll, type Slot, type StepContext, type StepInput } from "./context.ts";
import { findTargetGroup } from "./load-balancer.ts";

export interface Capacity {
  min: number;
  desired: number;
  max: number;
}

export async function findFleet(ctx: StepContext, slot: Slot): Promise<AutoScalingGroup | undefined> {
  const out = await ctx.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [ctx.names.asg(slot)] }));
  return out.AutoScalingGroups?.find((g) => g.Status !== "Delete in progress");
}

/** `app/<lb>/<id>/targetgroup/<tg>/<id>`: the label ALBRequestCountPerTarget needs. */
export function resourceLabelOf(loadBalancerArn: string, targetGroupArn: string): string {
  return `${loadBalancerArn.split(":loadbalancer/")[1]}/${targetGroupArn.split(":").slice(5).join(":")}`;
}

export function scalingConfigOf(spec: EnvironmentSpec, loadBalancerArn: string, targetGroupArn: string) {
  return spec.scaling.metric === "cpu"
    ? { PredefinedMetricSpecification: { PredefinedMetricType: "ASGAverageCPUUtilization" as const }, TargetValue: spec.scaling.target }
    : {
        PredefinedMetricSpecification: { PredefinedMetricType: "ALBRequestCountPerTarget" as const, ResourceLabel: resourceLabelOf(loadBalancerArn, targetGroupArn) },
        TargetValue: spec.scaling.target,
      };
}

export interface EnsureFleetInput extends StepInput {
  slot: Slot;
  privateSubnetIds: string[];
  loadBalancerArn: string;
  targetGroupArns: Record<Slot, string>;
  launchTemplateId: string;
  launchTemplateVersion: number;
  /** The slot taking traffic, which gets the spec's capacity (default blue). */
  liveSlot?: Slot;
}

export const ensureFleet = defineStep("create the Auto Scaling group", async (input: EnsureFleetInput, ctx): Promise<{ autoScalingGroupName: string; capacity: Capacity }> => {
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
          VPCZoneIdentifier: input.privateSubnetIds.join(","),
          TargetGroupARNs: [input.targetGroupArns[slot]],
          HealthCheckType: "ELB",
          HealthCheckGracePeriod: spec.healthCheck.gracePeriodSeconds,
          Tags: tagsOf(input, slot, { Name: name }).map((t) => ({ ...t, PropagateAtLaunch: true, ResourceId: name, ResourceType: "auto-scaling-group" })),
        }),
      );
    } catch (err) {
      if (!isAlreadyExists(err)) throw err; // a retried create: the group is there
    }
    group = await findFleet(ctx, slot);
    if (!group) throw new Error(`Auto Scaling group ${name} is not visible after creation`);
    touch("autoscaling:group", arn(group), "created");
  }
  if (!group.EnabledMetrics?.length) await aws.autoscaling.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: name, Granularity: "1Minute" }));

  const wanted = scalingConfigOf(spec, input.loadBalancerArn, input.targetGroupArns[slot]);
  const policies = (await aws.autoscaling.send(new DescribePoliciesCommand({ AutoScalingGroupName: name, PolicyNames: [names.scalingPolicy(slot)] }))).ScalingPolicies ?? [];
  const current = policies[0]?.TargetTrackingConfiguration;
  const same =
    current?.TargetValue === wanted.TargetValue &&
    current?.PredefinedMetricSpecification?.PredefinedMetricType === wanted.PredefinedMetricSpecification.PredefinedMetricType &&
    (current?.PredefinedMetricSpecification?.ResourceLabel ?? undefined) === ("ResourceLabel" in wanted.PredefinedMetricSpecification ? wanted.PredefinedMetricSpecification.ResourceLabel : undefined);
  if (!same) {
    const put = await aws.autoscaling.send(
      new PutScalingPolicyCommand({ AutoScalingGroupName: name, PolicyName: names.scalingPolicy(slot), PolicyType: "TargetTrackingScaling", TargetTrackingConfiguration: wanted }),
    );
    touch("autoscaling:policy", put.PolicyARN ?? names.scalingPolicy(slot), policies.length ? "updated" : "created");
  }
  return {
    autoScalingGroupName: name,
    capacity: { min: group.MinSize ?? capacity.min, desired: group.DesiredCapacity ?? capacity.desired, max: group.MaxSize ?? capacity.max },
  };
});

export interface SetFleetCapacityInput extends StepInput {
  slot: Slot;
  capacity: Capacity;
  /** Also point the group at this launch template version (a rollout filling the idle slot). */
  launchTemplateVersion?: number;
}

export const setFleetCapacity = defineStep(
  "change the fleet's capacity",
  async (input: SetFleetCapacityInput, ctx): Promise<{ previous: Capacity; capacity: Capacity; launchTemplateVersion: number | null }> => {
    const { min, desired, max } = input.capacity;
    if (!(min <= desired && desired <= max)) throw new Error(`Capacity must satisfy min <= desired <= max, got ${min}/${desired}/${max}`);
    const group = await findFleet(ctx, input.slot);
    if (!group) throw new Error(`Auto Scaling group ${ctx.names.asg(input.slot)} does not exist: provision the environment first`);
    const previous = { min: group.MinSize ?? 0, desired: group.DesiredCapacity ?? 0, max: group.MaxSize ?? 0 };
    const currentVersion = Number(group.LaunchTemplate?.Version ?? NaN);
    const newVersion = input.launchTemplateVersion !== undefined && input.launchTemplateVersion !== currentVersion ? input.launchTemplateVersion : undefined;
    const sameCapacity = previous.min === min && previous.desired === desired && previous.max === max;
    if (!sameCapacity || newVersion !== undefined) {
      await ctx.aws.autoscaling.send(
        new UpdateAutoScalingGroupCommand({
          AutoScalingGroupName: ctx.names.asg(input.slot),
          MinSize: min,
          DesiredCapacity: desired,
          MaxSize: max,
          ...(newVersion !== undefined ? { LaunchTemplate: { LaunchTemplateName: ctx.names.launchTemplate, Version: String(newVersion) } } : {}),
        }),
      );
      ctx.touch("autoscaling:group", group.AutoScalingGroupARN ?? ctx.names.asg(input.slot), "updated");
    } else ctx.touch("autoscaling:group", group.AutoScalingGroupARN ?? ctx.names.asg(input.slot), "found");
    return { previous, capacity: input.capacity, launchTemplateVersion: newVersion ?? (Number.isFinite(currentVersion) ? currentVersion : null) };
  },
);

export interface FleetHealth {
  slot: Slot;
  desired: number;
  inService: number;
  healthyTargets: number;
  totalTargets: number;
  launchTemplateVersion: number | null;
  unhealthy: Array<{ instanceId: string; state: string; reason: string | null; description: string | null }>;
  /** The latest failed or cancelled scaling activity's message (e.g. an instance type AWS cannot launch). */
  lastFailure: string | null;
}

async function readFleetHealth(ctx: StepContext, slot: Slot): Promise<FleetHealth> {
  const [group, tg] = await Promise.all([findFleet(ctx, slot), findTargetGroup(ctx, slot)]);
  const activities = group
    ? ((await ctx.aws.autoscaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: ctx.names.asg(slot), MaxRecords: 10 }))).Activities ?? [])
    : [];
  const latest = activities.find((a) => a.StatusCode === "Successful" || a.StatusCode === "Failed" || a.StatusCode === "Cancelled");
  const failed = latest && latest.StatusCode !== "Successful" ? latest : undefined;
  const targets = tg?.TargetGroupArn ? ((await ctx.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn }))).TargetHealthDescriptions ?? []) : [];
  const inService = (group?.Instances ?? []).filter((i) => i.LifecycleState === "InService");
  const healthy = targets.filter((t) => t.TargetHealth?.State === "healthy");
  const version = Number(group?.LaunchTemplate?.Version ?? NaN);
  return {
    slot,
    desired: group?.DesiredCapacity ?? 0,
    inService: inService.length,
    healthyTargets: healthy.length,
    totalTargets: targets.length,
    launchTemplateVersion: Number.isFinite(version) ? version : null,
    unhealthy: targets
      .filter((t) => t.TargetHealth?.State !== "healthy")
      .map((t) => ({ instanceId: t.Target?.Id ?? "", state: t.TargetHealth?.State ?? "unknown", reason: t.TargetHealth?.Reason ?? null, description: t.TargetHealth?.Description ?? null })),
    lastFailure: failed ? (failed.StatusMessage ?? failed.Description ?? "failed") : null,
  };
}

export const fleetHealth = defineRead("read the fleet's health", (input: StepInput & { slot: Slot }, ctx) => readFleetHealth(ctx, input.slot));

/** Done when the group has its desired capacity in service and every in-service instance is a healthy target. */
export const waitFleetHealthy = defineRead("wait for the fleet to be healthy", async (input: StepInput & { slot: Slot }, ctx): Promise<Poll<FleetHealth>> => {
  const health = await readFleetHealth(ctx, input.slot);
  const done = health.desired === 0 || (health.inService >= health.desired && health.healthyTargets >= health.desired);
  return { done, detail: health };
});
