/**
 * ELBv2 state: plain JSON persisted by the store. Records keep what the API returns plus
 * the simulation bookkeeping (times in simulated ms).
 */
import { randomBytes, randomInt } from "node:crypto";
import type { CloudApi, ModelDocument } from "../../core/types.ts";

export interface Tag {
  Key: string;
  Value?: string;
}

export interface LoadBalancerRecord {
  arn: string;
  name: string;
  region: string;
  type: "application" | "network" | "gateway";
  scheme: "internet-facing" | "internal";
  ipAddressType: string;
  dnsName: string;
  vpcId: string;
  /** False when EC2 could not resolve the subnets and vpcId is a stand-in (skip VPC checks). */
  vpcKnown: boolean;
  securityGroups: string[];
  availabilityZones: Array<{ ZoneName: string; SubnetId: string }>;
  createdAt: number;
  state: "provisioning" | "active";
  /** When provisioning ends (simulated ms). */
  activeAt: number;
  attributes: Record<string, string>;
  tags: Tag[];
}

export type TargetState = "initial" | "healthy" | "unhealthy" | "unused" | "draining" | "unavailable";

export interface TargetRecord {
  id: string;
  port: number;
  state: TargetState;
  reason?: string;
  description?: string;
  registeredAt: number;
  /** End of the current timed phase: registration in progress, or draining. */
  phaseEndsAt?: number;
  /** Next health check (only while the target group is in use and the target not draining). */
  nextCheckAt?: number;
  okStreak: number;
  failStreak: number;
}

export interface HealthCheckSettings {
  protocol: string;
  port: string;
  enabled: boolean;
  path: string;
  intervalSeconds: number;
  timeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  matcher: { HttpCode?: string; GrpcCode?: string };
}

export interface TargetGroupRecord {
  arn: string;
  name: string;
  region: string;
  protocol: string;
  protocolVersion: string;
  port: number;
  vpcId: string;
  targetType: string;
  ipAddressType: string;
  healthCheck: HealthCheckSettings;
  attributes: Record<string, string>;
  tags: Tag[];
  targets: TargetRecord[];
  createdAt: number;
}

/** A model-shaped Action (Type, TargetGroupArn, ForwardConfig, FixedResponseConfig, ...). */
export type ActionRecord = ModelDocument & { Type: string };

/**
 * A rule condition as AWS describes it. host-header and path-pattern carry both `Values` and their
 * `*Config`, as DescribeRules returns them whichever form the caller used; the other fields only
 * their `*Config`.
 */
export interface ConditionRecord {
  Field: string;
  Values?: string[];
  HostHeaderConfig?: { Values: string[] };
  PathPatternConfig?: { Values: string[] };
  HttpHeaderConfig?: { HttpHeaderName: string; Values: string[] };
  QueryStringConfig?: { Values: Array<{ Key?: string; Value: string }> };
  HttpRequestMethodConfig?: { Values: string[] };
  SourceIpConfig?: { Values: string[] };
}

/** A non-default listener rule (the default rule is the listener's defaultActions). */
export interface RuleRecord {
  arn: string;
  priority: number;
  conditions: ConditionRecord[];
  actions: ActionRecord[];
  tags: Tag[];
}

export interface ListenerRecord {
  arn: string;
  loadBalancerArn: string;
  region: string;
  port: number;
  protocol: string;
  sslPolicy?: string;
  certificates?: Array<{ CertificateArn?: string; IsDefault?: boolean }>;
  alpnPolicy?: string[];
  defaultActions: ActionRecord[];
  defaultRuleArn: string;
  tags: Tag[];
  /** Tags of the default rule. */
  ruleTags: Tag[];
  /**
   * Non-default rules, kept SORTED by priority so the data plane evaluates them in order without
   * sorting per request. Optional: states persisted before rules existed have none.
   */
  rules?: RuleRecord[];
  /** The data plane's local port for this listener, kept so its URL survives a restart (not part of the API). */
  localPort?: number;
  /** ModifyListenerAttributes values; keys left out read as their defaults (listener-attributes.ts). */
  attributes?: Record<string, string>;
}

export interface ElbState {
  loadBalancers: Record<string, LoadBalancerRecord>;
  targetGroups: Record<string, TargetGroupRecord>;
  listeners: Record<string, ListenerRecord>;
}

export const SERVICE = "elasticloadbalancing" as const;

export function initialElbState(): ElbState {
  return { loadBalancers: {}, targetGroups: {}, listeners: {} };
}

export function elbState(cloud: CloudApi): ElbState {
  const s = cloud.state<ElbState>(SERVICE);
  // Tolerate a state persisted by an older placeholder module ({}).
  s.loadBalancers ??= {};
  s.targetGroups ??= {};
  s.listeners ??= {};
  return s;
}

export function hex(n: number): string {
  return randomBytes(Math.ceil(n / 2))
    .toString("hex")
    .slice(0, n);
}

export function digits(n: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < n) out += String(randomInt(0, 10));
  return out;
}

export function arnPrefix(region: string, accountId: string): string {
  return `arn:aws:elasticloadbalancing:${region}:${accountId}:`;
}

/** "app/<name>/<hex>" from a load balancer ARN: the CloudWatch dimension value too. */
export function loadBalancerSuffix(lbArn: string): string {
  return lbArn.slice(lbArn.indexOf(":loadbalancer/") + ":loadbalancer/".length);
}

/** "targetgroup/<name>/<hex>" from a target group ARN: the CloudWatch dimension value. */
export function targetGroupSuffix(tgArn: string): string {
  return tgArn.slice(tgArn.lastIndexOf(":") + 1);
}

/** The region an ELBv2 ARN lives in, or undefined when it is not an ELBv2 ARN. */
export function regionOfArn(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn" && parts[2] === "elasticloadbalancing" ? parts[3] : undefined;
}

/** The listener and (for a non-default rule) the rule a listener-rule ARN names in `region`, or undefined. */
export function findRule(s: ElbState, arn: string, region: string): { listener: ListenerRecord; rule?: RuleRecord } | undefined {
  for (const listener of Object.values(s.listeners)) {
    if (listener.region !== region) continue;
    if (listener.defaultRuleArn === arn) return { listener };
    const rule = listener.rules?.find((r) => r.arn === arn);
    if (rule) return { listener, rule };
  }
  return undefined;
}

/** Bookkeeping for tick(): the earliest simulated time something is due, per cloud (not persisted). */
const nextDue = new WeakMap<CloudApi, number>();

/** Ask tick() to look again on its next call (after a mutation that schedules something). */
export function wake(cloud: CloudApi): void {
  nextDue.set(cloud, 0);
}

export function dueAt(cloud: CloudApi): number {
  return nextDue.get(cloud) ?? 0;
}

export function setDueAt(cloud: CloudApi, at: number): void {
  nextDue.set(cloud, at);
}
