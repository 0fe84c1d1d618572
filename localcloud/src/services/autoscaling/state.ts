/** Auto Scaling's persisted state: groups (with their members), activities, policies and instance refreshes. */
import { randomUUID } from "node:crypto";
import type { PageRules } from "../../core/paging.ts";
import type { TagRules } from "../../core/tags.ts";
import { AwsError, type CloudApi, type ModelDocument } from "../../core/types.ts";

export interface LaunchTemplateSpec {
  LaunchTemplateId: string;
  LaunchTemplateName: string;
  /** As the caller gave it ("$Latest", "$Default" or a number); launches resolve it each time. */
  Version: string;
}

export type LifecycleState = "Pending" | "InService" | "Terminating" | "Terminated";

export interface MemberRecord {
  InstanceId: string;
  InstanceType: string;
  AvailabilityZone: string;
  SubnetId: string;
  LifecycleState: LifecycleState;
  HealthStatus: "Healthy" | "Unhealthy";
  /** The template and the version number the instance was launched from. */
  LaunchTemplate: LaunchTemplateSpec;
  ProtectedFromScaleIn: boolean;
  launchedAt: number;
  inServiceAt?: number;
  launchActivityId?: string;
  terminateActivityId?: string;
  /** Target groups the instance is registered with (registered once it is InService). */
  registeredTargetGroups: string[];
  /** Set while connections drain from its target groups before the EC2 instance is terminated. */
  drainingSince?: number;
  /** Why it is leaving, for the activity cause when termination starts later in the tick. */
  replaceReason?: string;
}

export interface GroupTag {
  Key: string;
  Value: string;
  PropagateAtLaunch: boolean;
}

export interface GroupRecord {
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  region: string;
  LaunchTemplate: LaunchTemplateSpec;
  MinSize: number;
  MaxSize: number;
  DesiredCapacity: number;
  DefaultCooldown: number;
  SubnetIds: string[];
  AvailabilityZones: string[];
  HealthCheckType: string;
  HealthCheckGracePeriod: number;
  TargetGroupARNs: string[];
  Tags: GroupTag[];
  TerminationPolicies: string[];
  NewInstancesProtectedFromScaleIn: boolean;
  CapacityRebalance: boolean;
  MaxInstanceLifetime?: number;
  DefaultInstanceWarmup?: number;
  CreatedTime: number;
  EnabledMetrics: Array<{ Metric: string; Granularity: string }>;
  Instances: MemberRecord[];
  /** "Delete in progress" after a forced delete, until the last instance is gone. */
  Status?: string;
  /** The user-visible reason for the latest desired-capacity change, quoted in the next activity causes. */
  pendingCause?: string;
  launchFailures: number;
  launchRetryAt?: number;
  lastMetricsAt?: number;
  /** When a simple scaling policy last changed the desired capacity (its cooldown starts then). */
  lastScalingAt?: number;
  deleted?: boolean;
}

export interface ActivityRecord {
  ActivityId: string;
  AutoScalingGroupName: string;
  AutoScalingGroupARN: string;
  region: string;
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime?: number;
  StatusCode: string;
  StatusMessage?: string;
  Progress: number;
  Details: string;
}

export interface PolicyRecord {
  PolicyARN: string;
  PolicyName: string;
  AutoScalingGroupName: string;
  region: string;
  PolicyType: string;
  AdjustmentType?: string;
  ScalingAdjustment?: number;
  MinAdjustmentMagnitude?: number;
  Cooldown?: number;
  MetricAggregationType?: string;
  StepAdjustments?: Array<{ MetricIntervalLowerBound?: number; MetricIntervalUpperBound?: number; ScalingAdjustment: number }>;
  EstimatedInstanceWarmup?: number;
  TargetTrackingConfiguration?: ModelDocument;
  Enabled: boolean;
  Alarms: Array<{ AlarmName: string; AlarmARN: string }>;
  /** Target tracking: when it last scaled out / in, and when it next re-checks an alarm still in ALARM. */
  lastScaleOutAt?: number;
  lastScaleInAt?: number;
  nextCheckAt?: number;
}

export interface RefreshRecord {
  InstanceRefreshId: string;
  AutoScalingGroupName: string;
  region: string;
  Status: "Pending" | "InProgress" | "Successful" | "Failed" | "Cancelling" | "Cancelled";
  StatusReason?: string;
  StartTime: number;
  EndTime?: number;
  Preferences: {
    MinHealthyPercentage: number;
    InstanceWarmup?: number;
    SkipMatching: boolean;
    CheckpointPercentages?: number[];
    CheckpointDelay?: number;
  };
  DesiredConfiguration?: { LaunchTemplate?: LaunchTemplateSpec };
  /** Instances still to replace, in order. */
  remaining: string[];
  total: number;
}

export interface LifecycleHookRecord {
  LifecycleHookName: string;
  AutoScalingGroupName: string;
  LifecycleTransition: string;
  NotificationTargetARN?: string;
  RoleARN?: string;
  NotificationMetadata?: string;
  HeartbeatTimeout: number;
  GlobalTimeout: number;
  DefaultResult: string;
}

export interface AsgState {
  /** Keyed by `${region}/${name}`. */
  groups: Record<string, GroupRecord>;
  activities: ActivityRecord[];
  policies: Record<string, PolicyRecord>;
  refreshes: Record<string, RefreshRecord>;
  /** Lifecycle hooks by group ARN (absent in state written before hooks existed). */
  lifecycleHooks?: Record<string, LifecycleHookRecord[]>;
}

export function initialAsgState(): AsgState {
  return { groups: {}, activities: [], policies: {}, refreshes: {} };
}

export function asgState(cloud: CloudApi): AsgState {
  return cloud.state<AsgState>("autoscaling");
}

export const groupKey = (region: string, name: string) => `${region}/${name}`;

export function validationError(message: string): AwsError {
  return new AwsError("ValidationError", message);
}

/** Auto Scaling's page limits for `operation`: MaxRecords 1-100 (`fallback` when not given), InvalidNextToken for a token not ours. */
export function asgPages(operation: string, fallback = 50): PageRules {
  return {
    scope: operation,
    min: 1,
    max: 100,
    fallback,
    badSize: (_size, min, max) => validationError(`MaxRecords must be between ${min} and ${max}.`),
    badToken: () => new AwsError("InvalidNextToken", "The token provided is not valid."),
  };
}

/** Group tags: ValidationError for a bad tag, LimitExceeded past 50. */
export const asgTagRules: TagRules = {
  invalid: validationError,
  tooMany: (max) => new AwsError("LimitExceeded", `The number of tags exceeds the limit of ${max}.`),
};

export function findGroup(cloud: CloudApi, region: string, name: string | undefined): GroupRecord {
  const group = name ? asgState(cloud).groups[groupKey(region, name)] : undefined;
  if (!group || group.deleted) throw validationError(`AutoScalingGroup name not found - AutoScalingGroup ${name ?? "null"} not found`);
  return group;
}

export function regionGroups(cloud: CloudApi, region: string): GroupRecord[] {
  return Object.values(asgState(cloud).groups).filter((g) => g.region === region && !g.deleted);
}

export function groupArn(region: string, accountId: string, name: string): string {
  return `arn:aws:autoscaling:${region}:${accountId}:autoScalingGroup:${randomUUID()}:autoScalingGroupName/${name}`;
}

/** "2026-11-27T10:00:00Z", the timestamp format inside activity causes. */
export function causeTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}
