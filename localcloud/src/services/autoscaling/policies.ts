/**
 * Scaling policies. Target tracking creates the two CloudWatch alarms AWS creates
 * (TargetTracking-<group>-AlarmHigh/-AlarmLow-<uuid>) whose action is the policy ARN.
 */
import { randomUUID } from "node:crypto";
import type { CloudApi, RequestContext, ModelDocument } from "../../core/types.ts";
import { deleteAlarms, putAlarm } from "./integrations.ts";
import { pageOf } from "../../core/paging.ts";
import { asgPages, asgState, findGroup, validationError, type GroupRecord, type PolicyRecord } from "./state.ts";

const POLICY_TYPES = ["SimpleScaling", "StepScaling", "TargetTrackingScaling", "PredictiveScaling"];
const ADJUSTMENT_TYPES = ["ChangeInCapacity", "ExactCapacity", "PercentChangeInCapacity"];

/** Predefined metric -> namespace, metric name and statistic of its alarms. */
const PREDEFINED: Record<string, { namespace: string; metric: string; statistic: string }> = {
  ASGAverageCPUUtilization: { namespace: "AWS/EC2", metric: "CPUUtilization", statistic: "Average" },
  ASGAverageNetworkIn: { namespace: "AWS/EC2", metric: "NetworkIn", statistic: "Average" },
  ASGAverageNetworkOut: { namespace: "AWS/EC2", metric: "NetworkOut", statistic: "Average" },
  ALBRequestCountPerTarget: { namespace: "AWS/ApplicationELB", metric: "RequestCountPerTarget", statistic: "Sum" },
};

interface PolicyInput {
  AutoScalingGroupName?: string;
  PolicyName?: string;
  PolicyType?: string;
  AdjustmentType?: string;
  ScalingAdjustment?: number;
  MinAdjustmentMagnitude?: number;
  Cooldown?: number;
  MetricAggregationType?: string;
  StepAdjustments?: PolicyRecord["StepAdjustments"];
  EstimatedInstanceWarmup?: number;
  TargetTrackingConfiguration?: ModelDocument;
  Enabled?: boolean;
}

function policyArn(ctx: RequestContext, group: string, name: string): string {
  return `arn:aws:autoscaling:${ctx.region}:${ctx.accountId}:scalingPolicy:${randomUUID()}:autoScalingGroupName/${group}:policyName/${name}`;
}

function alarmArn(ctx: RequestContext, name: string): string {
  return `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`;
}

/** The metric the target-tracking alarms watch: predefined (by group or target group) or customized. */
function trackedMetric(group: GroupRecord, config: ModelDocument) {
  const predefined = config.PredefinedMetricSpecification;
  if (predefined) {
    const type = predefined.PredefinedMetricType;
    const known = PREDEFINED[type];
    if (!known) throw validationError(`Unsupported predefined metric type ${type}.`);
    if (type === "ALBRequestCountPerTarget") {
      // ResourceLabel: app/<lb-name>/<lb-id>/targetgroup/<tg-name>/<tg-id>
      const label: string = predefined.ResourceLabel ?? "";
      const match = /^app\/[^/]+\/[^/]+\/(targetgroup\/[^/]+\/[^/]+)$/.exec(label);
      if (!match)
        throw validationError(
          "ResourceLabel is required for ALBRequestCountPerTarget and must be app/<load-balancer-name>/<id>/targetgroup/<target-group-name>/<id>.",
        );
      return {
        Namespace: known.namespace,
        MetricName: known.metric,
        Statistic: known.statistic,
        Dimensions: [{ Name: "TargetGroup", Value: match[1] }],
      };
    }
    if (predefined.ResourceLabel) throw validationError(`ResourceLabel is not allowed for predefined metric type ${type}.`);
    return {
      Namespace: known.namespace,
      MetricName: known.metric,
      Statistic: known.statistic,
      Dimensions: [{ Name: "AutoScalingGroupName", Value: group.AutoScalingGroupName }],
    };
  }
  const custom = config.CustomizedMetricSpecification;
  if (custom?.MetricName && custom?.Namespace) {
    return {
      Namespace: custom.Namespace,
      MetricName: custom.MetricName,
      Statistic: custom.Statistic ?? "Average",
      Dimensions: custom.Dimensions ?? [],
    };
  }
  throw validationError("TargetTrackingConfiguration must contain a PredefinedMetricSpecification or a CustomizedMetricSpecification.");
}

function createTargetTrackingAlarms(ctx: RequestContext, group: GroupRecord, arn: string, config: ModelDocument) {
  const metric = trackedMetric(group, config);
  const target = Number(config.TargetValue);
  const description = `DO NOT EDIT OR DELETE. For TargetTrackingScaling policy ${arn}.`;
  const high = `TargetTracking-${group.AutoScalingGroupName}-AlarmHigh-${randomUUID()}`;
  const alarms = [{ AlarmName: high, AlarmARN: alarmArn(ctx, high) }];
  putAlarm(ctx.cloud, ctx.region, {
    AlarmName: high,
    AlarmDescription: description,
    AlarmActions: [arn],
    ...metric,
    Period: 60,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 3,
    Threshold: target,
    ComparisonOperator: "GreaterThanThreshold",
  });
  if (!config.DisableScaleIn) {
    const low = `TargetTracking-${group.AutoScalingGroupName}-AlarmLow-${randomUUID()}`;
    alarms.push({ AlarmName: low, AlarmARN: alarmArn(ctx, low) });
    putAlarm(ctx.cloud, ctx.region, {
      AlarmName: low,
      AlarmDescription: description,
      AlarmActions: [arn],
      ...metric,
      Period: 60,
      EvaluationPeriods: 15,
      DatapointsToAlarm: 15,
      Threshold: target * 0.9,
      ComparisonOperator: "LessThanThreshold",
    });
  }
  return alarms;
}

function checkPolicy(input: PolicyInput, type: string): void {
  if (!POLICY_TYPES.includes(type)) throw validationError(`Invalid policy type ${type}. Valid values: ${POLICY_TYPES.join(", ")}.`);
  if (input.AdjustmentType !== undefined && !ADJUSTMENT_TYPES.includes(input.AdjustmentType)) {
    throw validationError(`Invalid adjustment type ${input.AdjustmentType}.`);
  }
  if (type === "SimpleScaling" && input.ScalingAdjustment === undefined)
    throw validationError("ScalingAdjustment is required for SimpleScaling policies.");
  if (type === "StepScaling" && !input.StepAdjustments?.length)
    throw validationError("StepAdjustments is required for StepScaling policies.");
  if (type === "TargetTrackingScaling") {
    if (!input.TargetTrackingConfiguration)
      throw validationError("TargetTrackingConfiguration is required for TargetTrackingScaling policies.");
    if (typeof input.TargetTrackingConfiguration.TargetValue !== "number") throw validationError("TargetValue is required.");
  }
}

export function putScalingPolicy(input: PolicyInput, ctx: RequestContext) {
  const state = asgState(ctx.cloud);
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const name = input.PolicyName ?? "";
  if (!name) throw validationError("PolicyName is required.");
  const type = input.PolicyType ?? "SimpleScaling";
  checkPolicy(input, type);
  const existing = Object.values(state.policies).find(
    (p) => p.region === ctx.region && p.AutoScalingGroupName === group.AutoScalingGroupName && p.PolicyName === name,
  );
  // Updating a policy keeps its ARN and replaces its alarms.
  const arn = existing?.PolicyARN ?? policyArn(ctx, group.AutoScalingGroupName, name);
  if (existing)
    deleteAlarms(
      ctx.cloud,
      ctx.region,
      existing.Alarms.map((a) => a.AlarmName),
    );
  const policy: PolicyRecord = {
    PolicyARN: arn,
    PolicyName: name,
    AutoScalingGroupName: group.AutoScalingGroupName,
    region: ctx.region,
    PolicyType: type,
    AdjustmentType: input.AdjustmentType ?? (type === "TargetTrackingScaling" ? undefined : "ChangeInCapacity"),
    ScalingAdjustment: input.ScalingAdjustment,
    MinAdjustmentMagnitude: input.MinAdjustmentMagnitude,
    Cooldown: input.Cooldown,
    MetricAggregationType: input.MetricAggregationType ?? (type === "StepScaling" ? "Average" : undefined),
    StepAdjustments: input.StepAdjustments,
    EstimatedInstanceWarmup: input.EstimatedInstanceWarmup,
    TargetTrackingConfiguration:
      type === "TargetTrackingScaling" ? { DisableScaleIn: false, ...input.TargetTrackingConfiguration } : undefined,
    Enabled: input.Enabled ?? true,
    Alarms: [],
  };
  if (type === "TargetTrackingScaling") policy.Alarms = createTargetTrackingAlarms(ctx, group, arn, policy.TargetTrackingConfiguration!);
  state.policies[arn] = policy;
  ctx.cloud.markDirty();
  return { PolicyARN: arn, Alarms: policy.Alarms };
}

/**
 * The ScalingPolicy shape, field by field: the record also carries the simulation's bookkeeping
 * (region, lastScaleOutAt, lastScaleInAt, nextCheckAt), which must never reach a response.
 */
function policyOut(p: PolicyRecord) {
  return {
    AutoScalingGroupName: p.AutoScalingGroupName,
    PolicyName: p.PolicyName,
    PolicyARN: p.PolicyARN,
    PolicyType: p.PolicyType,
    AdjustmentType: p.AdjustmentType,
    MinAdjustmentMagnitude: p.MinAdjustmentMagnitude,
    ScalingAdjustment: p.ScalingAdjustment,
    Cooldown: p.Cooldown,
    StepAdjustments: p.StepAdjustments,
    MetricAggregationType: p.MetricAggregationType,
    EstimatedInstanceWarmup: p.EstimatedInstanceWarmup,
    Alarms: p.Alarms,
    TargetTrackingConfiguration: p.TargetTrackingConfiguration,
    Enabled: p.Enabled,
  };
}

export function describePolicies(
  input: { AutoScalingGroupName?: string; PolicyNames?: string[]; PolicyTypes?: string[]; MaxRecords?: number; NextToken?: string },
  ctx: RequestContext,
) {
  let policies = Object.values(asgState(ctx.cloud).policies).filter((p) => p.region === ctx.region);
  if (input.AutoScalingGroupName) policies = policies.filter((p) => p.AutoScalingGroupName === input.AutoScalingGroupName);
  if (input.PolicyNames?.length)
    policies = policies.filter((p) => input.PolicyNames!.includes(p.PolicyName) || input.PolicyNames!.includes(p.PolicyARN));
  if (input.PolicyTypes?.length) policies = policies.filter((p) => input.PolicyTypes!.includes(p.PolicyType));
  policies.sort((a, b) => a.AutoScalingGroupName.localeCompare(b.AutoScalingGroupName) || a.PolicyName.localeCompare(b.PolicyName));
  const { items: page, next: NextToken } = pageOf(policies, input.NextToken, input.MaxRecords, asgPages("DescribePolicies"));
  return { ScalingPolicies: page.map(policyOut), NextToken };
}

export function deletePolicy(input: { AutoScalingGroupName?: string; PolicyName?: string }, ctx: RequestContext) {
  const state = asgState(ctx.cloud);
  const wanted = input.PolicyName ?? "";
  const policy = Object.values(state.policies).find(
    (p) =>
      p.region === ctx.region &&
      (p.PolicyARN === wanted ||
        (p.PolicyName === wanted && (!input.AutoScalingGroupName || p.AutoScalingGroupName === input.AutoScalingGroupName))),
  );
  if (!policy)
    throw validationError(`Policy ${wanted} not found${input.AutoScalingGroupName ? ` for group ${input.AutoScalingGroupName}` : ""}.`);
  deleteAlarms(
    ctx.cloud,
    ctx.region,
    policy.Alarms.map((a) => a.AlarmName),
  );
  delete state.policies[policy.PolicyARN];
  ctx.cloud.markDirty();
  return {};
}

/** A deleted group takes its policies and their alarms with it. */
export function deleteGroupPolicies(cloud: CloudApi, group: GroupRecord): void {
  const state = asgState(cloud);
  for (const policy of Object.values(state.policies)) {
    if (policy.region !== group.region || policy.AutoScalingGroupName !== group.AutoScalingGroupName) continue;
    deleteAlarms(
      cloud,
      group.region,
      policy.Alarms.map((a) => a.AlarmName),
    );
    delete state.policies[policy.PolicyARN];
  }
}
