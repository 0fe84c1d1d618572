/**
 * The scaling panel: both fleets' instances (id, AZ, lifecycle, target health, version,
 * launch time), their recent scaling activities with AWS's causes, capacity and the
 * target-tracking target; and `updateScaling`, which edits the LIVE fleet.
 *
 * Reads are shared per 10-second window like the metrics; a write (or a drill) drops the
 * environment's cached answers so the next poll shows the change.
 */
import { z } from "zod";
import { recordAuditAlone } from "../audit/record.ts";
import { requireRole, type Actor } from "../auth/actor.ts";
import { awsClients } from "../aws/clients.ts";
import { awsError, isNotFound } from "../aws/errors.ts";
import {
  DescribeAutoScalingGroupsCommand,
  DescribeInstancesCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeTargetHealthCommand,
  PutScalingPolicyCommand,
  UpdateAutoScalingGroupCommand,
} from "../aws/sdk.ts";
import { strictNumber } from "../environments/spec.ts";
import { ServiceError, validationError } from "../errors.ts";
import { accountOf } from "../accounts/account-ref.ts";
import { namesOf } from "../provisioning/context.ts";
import { WindowCache } from "../dashboards/cache.ts";
import { invalidateDashboard } from "../dashboards/metrics.ts";
import { REFRESH_MS } from "../dashboards/ranges.ts";
import { loadDashboardEnv, type DashboardEnv } from "../dashboards/target.ts";
import { statusOfError } from "../dashboards/topology.ts";
import { SLOTS } from "../dashboards/query.ts";
import type { PanelStatus, Slot } from "../dashboards/types.ts";

export interface InstanceRow {
  id: string;
  slot: Slot;
  availabilityZone: string | null;
  lifecycleState: string;
  targetHealth: string | null;
  version: string | null;
  launchTemplateVersion: string | null;
  launchTime: string | null;
}

export interface ActivityRow {
  id: string;
  slot: Slot;
  status: string;
  description: string;
  cause: string;
  startTime: string | null;
  endTime: string | null;
}

export interface FleetScaling {
  slot: Slot;
  name: string;
  min: number;
  desired: number;
  max: number;
  policy: { metric: "cpu" | "requests_per_target" | string; target: number } | null;
}

export interface ScalingView {
  name: string;
  liveSlot: Slot;
  busy: boolean;
  provisioned: boolean;
  /** The stack has an ElastiCache cache (the cache failover drill). */
  hasCache?: boolean;
  fetchedAt: number;
  fleets: FleetScaling[];
  instances: InstanceRow[];
  activities: ActivityRow[];
  status: PanelStatus;
}

const cache = new WindowCache<ScalingView>({ windowMs: REFRESH_MS });

export function invalidateScaling(name: string) {
  cache.invalidate((k) => k.startsWith(`${name}|`));
  invalidateDashboard(name);
}

export async function scalingPanel({ actor, input }: { actor: Actor; input: { name: string } }): Promise<ScalingView> {
  requireRole(actor, "viewer");
  const env = await loadDashboardEnv(input.name);
  // Keyed by the live slot too: after a rollback the panel offers the new live fleet at once.
  return (await cache.get(`${env.name}|${env.id}|${env.liveSlot}|${env.busy ? 1 : 0}`, (previous) => readScaling(env, previous))).value;
}

const metricName = (t: string | undefined) =>
  t === "ASGAverageCPUUtilization" ? "cpu" : t === "ALBRequestCountPerTarget" ? "requests_per_target" : (t ?? "unknown");

async function readScaling(env: DashboardEnv, previous: ScalingView | undefined): Promise<ScalingView> {
  const base = {
    name: env.name,
    liveSlot: env.liveSlot,
    busy: env.busy,
    provisioned: !!env.stack?.loadBalancer,
    hasCache: !!env.stack?.cache,
    fetchedAt: Date.now(),
  };
  if (!base.provisioned) return { ...base, fleets: [], instances: [], activities: [], status: { kind: "ok" } };
  try {
    const aws = awsClients(await accountOf(env.accountId), env.region);
    const names = namesOf(env);
    const [groups, policies, activities, health] = await Promise.all([
      aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: SLOTS.map(names.asg) })),
      Promise.all(
        SLOTS.map((s) =>
          aws.autoscaling
            .send(new DescribePoliciesCommand({ AutoScalingGroupName: names.asg(s), PolicyNames: [names.scalingPolicy(s)] }))
            .catch(() => null),
        ),
      ),
      Promise.all(
        SLOTS.map((s) =>
          aws.autoscaling
            .send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: names.asg(s), MaxRecords: 15 }))
            .catch(() => null),
        ),
      ),
      Promise.all(
        SLOTS.map((s) => {
          const arn = env.stack?.targetGroups?.[s]?.arn;
          return arn
            ? aws.elbv2
                .send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))
                .catch((e) => (isNotFound(e) ? null : Promise.reject(e)))
            : null;
        }),
      ),
    ]);
    const members = SLOTS.flatMap((slot) =>
      (groups.AutoScalingGroups?.find((g) => g.AutoScalingGroupName === names.asg(slot))?.Instances ?? []).map((i) => ({ slot, i })),
    );
    const ids = members.map((m) => m.i.InstanceId!).filter(Boolean);
    const ec2 = ids.length
      ? ((await aws.ec2.send(new DescribeInstancesCommand({ InstanceIds: ids })).catch(() => null))?.Reservations ?? []).flatMap(
          (r) => r.Instances ?? [],
        )
      : [];
    const targetState = new Map<string, string>();
    health.forEach((h) =>
      h?.TargetHealthDescriptions?.forEach((d) => d.Target?.Id && targetState.set(d.Target.Id, d.TargetHealth?.State ?? "unknown")),
    );
    const instances: InstanceRow[] = members.map(({ slot, i }) => {
      const e = ec2.find((x) => x.InstanceId === i.InstanceId);
      return {
        id: i.InstanceId ?? "",
        slot,
        availabilityZone: i.AvailabilityZone ?? e?.Placement?.AvailabilityZone ?? null,
        lifecycleState: i.LifecycleState ?? "unknown",
        targetHealth: targetState.get(i.InstanceId ?? "") ?? null,
        version: e?.Tags?.find((t) => t.Key === "switchyard:version")?.Value ?? null,
        launchTemplateVersion: i.LaunchTemplate?.Version ?? null,
        launchTime: e?.LaunchTime ? new Date(e.LaunchTime).toISOString() : null,
      };
    });
    const fleets: FleetScaling[] = SLOTS.flatMap((slot, k) => {
      const g = groups.AutoScalingGroups?.find((x) => x.AutoScalingGroupName === names.asg(slot));
      if (!g) return [];
      const tt = policies[k]?.ScalingPolicies?.[0]?.TargetTrackingConfiguration;
      return [
        {
          slot,
          name: g.AutoScalingGroupName!,
          min: g.MinSize ?? 0,
          desired: g.DesiredCapacity ?? 0,
          max: g.MaxSize ?? 0,
          policy: tt ? { metric: metricName(tt.PredefinedMetricSpecification?.PredefinedMetricType), target: tt.TargetValue ?? 0 } : null,
        },
      ];
    });
    const acts: ActivityRow[] = SLOTS.flatMap((slot, k) =>
      (activities[k]?.Activities ?? []).map((a) => ({
        id: a.ActivityId ?? "",
        slot,
        status: a.StatusCode ?? "unknown",
        description: a.Description ?? "",
        cause: a.Cause ?? "",
        startTime: a.StartTime ? new Date(a.StartTime).toISOString() : null,
        endTime: a.EndTime ? new Date(a.EndTime).toISOString() : null,
      })),
    ).sort((a, b) => (b.startTime ?? "").localeCompare(a.startTime ?? ""));
    return { ...base, fleets, instances, activities: acts.slice(0, 20), status: { kind: "ok" } };
  } catch (err) {
    return {
      ...base,
      fleets: previous?.fleets ?? [],
      instances: previous?.instances ?? [],
      activities: previous?.activities ?? [],
      status: statusOfError(err),
    };
  }
}

/**
 * The edit rules, the spec's own: whole numbers 0..100, max at least 1, min <= desired <= max;
 * a CPU target is a percentage (1..100), a requests-per-target target 1..100,000. The edit
 * applies to the live fleet in AWS now; the spec is unchanged, so a later rollout sizes the new
 * fleet from the spec again (edit the spec to make it lasting).
 */
const count = (label: string, min: number) =>
  strictNumber(
    z
      .number({ message: `${label} must be a number` })
      .int(`${label} must be a whole number`)
      .min(min, `${label} must be at least ${min}`)
      .max(100, `${label} must be at most 100`),
  );

export const scalingInput = z
  .object({
    min: count("Minimum", 0),
    desired: count("Desired", 0),
    max: count("Maximum", 1),
    target: strictNumber(
      z.number({ message: "Target must be a number" }).min(1, "Target must be at least 1").max(100_000, "Target must be at most 100000"),
    ).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.min > s.max) ctx.addIssue({ code: "custom", path: ["min"], message: `Minimum (${s.min}) is greater than maximum (${s.max})` });
    if (s.desired < s.min)
      ctx.addIssue({ code: "custom", path: ["desired"], message: `Desired (${s.desired}) is below minimum (${s.min})` });
    if (s.desired > s.max)
      ctx.addIssue({ code: "custom", path: ["desired"], message: `Desired (${s.desired}) is above maximum (${s.max})` });
  });
export type ScalingInput = z.input<typeof scalingInput>;

export async function updateScaling({ actor, input }: { actor: Actor; input: { name: string; values: unknown } }) {
  requireRole(actor, "deployer");
  try {
    return await applyScaling(actor, input);
  } catch (err) {
    throw awsError(err, { action: `change the scaling of ${input.name}` });
  }
}

async function applyScaling(actor: Actor, input: { name: string; values: unknown }) {
  const parsed = scalingInput.safeParse(input.values ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues);
  const v = parsed.data;
  const env = await loadDashboardEnv(input.name);
  if (!env.stack?.loadBalancer)
    throw new ServiceError("PRECONDITION_FAILED", `${env.name} is not provisioned: there is no fleet to scale.`);
  if (env.busy) throw new ServiceError("CONFLICT", `${env.name} is busy with an operation; change scaling when it has finished.`);
  const aws = awsClients(await accountOf(env.accountId), env.region);
  const names = namesOf(env);
  const slot = env.liveSlot;
  const group = (await aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [names.asg(slot)] })))
    .AutoScalingGroups?.[0];
  if (!group) throw new ServiceError("NOT_FOUND", `Auto Scaling group ${names.asg(slot)} does not exist.`);
  const policy = (
    await aws.autoscaling.send(
      new DescribePoliciesCommand({ AutoScalingGroupName: names.asg(slot), PolicyNames: [names.scalingPolicy(slot)] }),
    )
  ).ScalingPolicies?.[0];
  const tt = policy?.TargetTrackingConfiguration;
  if (v.target !== undefined && !tt)
    throw new ServiceError("PRECONDITION_FAILED", `${names.asg(slot)} has no target-tracking policy to edit.`, {
      target: ["No target-tracking policy on the live fleet"],
    });
  if (v.target !== undefined && tt?.PredefinedMetricSpecification?.PredefinedMetricType === "ASGAverageCPUUtilization" && v.target > 100) {
    throw new ServiceError("VALIDATION_FAILED", "target: A CPU target is a percentage: at most 100", {
      target: ["A CPU target is a percentage: at most 100"],
    });
  }
  const before = { min: group.MinSize ?? 0, desired: group.DesiredCapacity ?? 0, max: group.MaxSize ?? 0, target: tt?.TargetValue ?? null };
  const after = { min: v.min, desired: v.desired, max: v.max, target: v.target ?? before.target };
  if (before.min !== after.min || before.desired !== after.desired || before.max !== after.max) {
    await aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: names.asg(slot),
        MinSize: v.min,
        DesiredCapacity: v.desired,
        MaxSize: v.max,
      }),
    );
  }
  if (tt && v.target !== undefined && v.target !== tt.TargetValue) {
    await aws.autoscaling.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: names.asg(slot),
        PolicyName: names.scalingPolicy(slot),
        PolicyType: "TargetTrackingScaling",
        TargetTrackingConfiguration: { ...tt, TargetValue: v.target },
      }),
    );
  }
  await recordAuditAlone(
    actor,
    "environment.scaling.update",
    { type: "environment", id: env.id, label: env.name },
    { before: { slot, ...before }, after: { slot, ...after } },
  );
  invalidateScaling(env.name);
  return { slot, before, after };
}
