/** CreateTargetGroup / DescribeTargetGroups / ModifyTargetGroup / DeleteTargetGroup. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { arnPrefix, elbState, hex, type ElbState, type HealthCheckSettings, type Tag, type TargetGroupRecord } from "./state.ts";
import { elbPages, elbTagRules, invalidConfiguration, resourceInUse, targetGroupNotFound, validationError } from "./errors.ts";
import { validateResourceName } from "./names.ts";
import { checkTags } from "../../core/tags.ts";
import { pageOf } from "../../core/paging.ts";
import { requireLoadBalancer } from "./load-balancers.ts";
import { defaultTargetGroupAttributes } from "./target-group-attributes.ts";
import { targetGroupArnsOfActions } from "./actions.ts";
import { vpcExists, VPC_ID } from "./ec2-lookup.ts";

interface HealthCheckInput {
  HealthCheckProtocol?: string;
  HealthCheckPort?: string;
  HealthCheckEnabled?: boolean;
  HealthCheckPath?: string;
  HealthCheckIntervalSeconds?: number;
  HealthCheckTimeoutSeconds?: number;
  HealthyThresholdCount?: number;
  UnhealthyThresholdCount?: number;
  Matcher?: { HttpCode?: string; GrpcCode?: string };
}

interface CreateInput extends HealthCheckInput {
  Name?: string;
  Protocol?: string;
  ProtocolVersion?: string;
  Port?: number;
  VpcId?: string;
  TargetType?: string;
  Tags?: Tag[];
  IpAddressType?: string;
}

function inRange(field: string, v: number | undefined, min: number, max: number) {
  if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) {
    throw validationError(
      `1 validation error detected: Value '${v}' at '${field}' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
}

/** "200", "200,202", "200-299", each code within 200-499 (HTTP target groups). */
function validMatcher(code: string): boolean {
  return code.split(",").every((part) => {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(part.trim());
    if (!m) return false;
    const lo = Number(m[1]);
    const hi = m[2] ? Number(m[2]) : lo;
    return lo >= 200 && hi <= 499 && lo <= hi;
  });
}

/** Apply health check fields over `base` with AWS's ranges and cross-field rules. */
function healthCheckFrom(input: HealthCheckInput, base: HealthCheckSettings, trafficProtocol: string): HealthCheckSettings {
  inRange("healthCheckIntervalSeconds", input.HealthCheckIntervalSeconds, 5, 300);
  inRange("healthCheckTimeoutSeconds", input.HealthCheckTimeoutSeconds, 2, 120);
  inRange("healthyThresholdCount", input.HealthyThresholdCount, 2, 10);
  inRange("unhealthyThresholdCount", input.UnhealthyThresholdCount, 2, 10);
  const hc: HealthCheckSettings = {
    protocol: input.HealthCheckProtocol ?? base.protocol,
    port: input.HealthCheckPort ?? base.port,
    enabled: input.HealthCheckEnabled ?? base.enabled,
    path: input.HealthCheckPath ?? base.path,
    intervalSeconds: input.HealthCheckIntervalSeconds ?? base.intervalSeconds,
    timeoutSeconds: input.HealthCheckTimeoutSeconds ?? base.timeoutSeconds,
    healthyThreshold: input.HealthyThresholdCount ?? base.healthyThreshold,
    unhealthyThreshold: input.UnhealthyThresholdCount ?? base.unhealthyThreshold,
    matcher: input.Matcher ? { ...input.Matcher } : base.matcher,
  };
  if ((trafficProtocol === "HTTP" || trafficProtocol === "HTTPS") && !["HTTP", "HTTPS"].includes(hc.protocol)) {
    throw invalidConfiguration(
      `Health check protocol '${hc.protocol}' is not supported for target groups with the ${trafficProtocol} protocol`,
    );
  }
  if (hc.port !== "traffic-port" && !(/^\d+$/.test(hc.port) && Number(hc.port) >= 1 && Number(hc.port) <= 65535)) {
    throw validationError(`Health check port '${hc.port}' must be 'traffic-port' or a number between 1 and 65535`);
  }
  if (!hc.path.startsWith("/") || hc.path.length > 1024)
    throw validationError(`Health check path '${hc.path}' must begin with a '/' character and can be at most 1024 characters`);
  if (hc.timeoutSeconds >= hc.intervalSeconds) {
    throw invalidConfiguration(`Health check timeout '${hc.timeoutSeconds}' must be smaller than the interval '${hc.intervalSeconds}'`);
  }
  if (hc.matcher.HttpCode !== undefined && !validMatcher(hc.matcher.HttpCode)) {
    throw invalidConfiguration(`Health check matcher HTTP code '${hc.matcher.HttpCode}' must be a value between 200 and 499`);
  }
  if (!hc.enabled) throw invalidConfiguration("Health checks cannot be disabled for target groups with target type 'instance'");
  return hc;
}

export function createTargetGroup(input: CreateInput, ctx: RequestContext) {
  const s = elbState(ctx.cloud);
  const name = validateResourceName("Target group", input.Name);
  const targetType = input.TargetType ?? "instance";
  if (!["instance", "ip"].includes(targetType)) throw validationError(`Target type '${targetType}' is not supported by this local cloud`);
  if (!input.Protocol) throw validationError("A protocol must be specified");
  if (!["HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP"].includes(input.Protocol))
    throw validationError(`Protocol '${input.Protocol}' is not valid`);
  if (input.Port === undefined) throw validationError("A port must be specified");
  inRange("port", input.Port, 1, 65535);
  if (!input.VpcId) throw validationError("A VPC ID must be specified");
  if (!VPC_ID.test(input.VpcId) || vpcExists(ctx.cloud, ctx.region, input.VpcId) === false)
    throw validationError(`The VPC ID '${input.VpcId}' is not found`);
  const http = input.Protocol === "HTTP" || input.Protocol === "HTTPS";
  const defaults: HealthCheckSettings = {
    protocol: http ? input.Protocol : "TCP",
    port: "traffic-port",
    enabled: true,
    path: "/",
    intervalSeconds: 30,
    timeoutSeconds: http ? 5 : 10,
    healthyThreshold: 5,
    unhealthyThreshold: 2,
    matcher: { HttpCode: "200" },
  };
  const healthCheck = healthCheckFrom(input, defaults, input.Protocol);
  const tags = checkTags(input.Tags, elbTagRules);

  const existing = Object.values(s.targetGroups).find((tg) => tg.region === ctx.region && tg.name === name);
  if (existing) {
    // CreateTargetGroup is idempotent: the same settings return the existing group.
    const same =
      existing.protocol === input.Protocol &&
      existing.port === input.Port &&
      existing.vpcId === input.VpcId &&
      existing.targetType === targetType &&
      JSON.stringify(existing.healthCheck) === JSON.stringify(healthCheck);
    if (same) return { TargetGroups: [toTargetGroup(s, existing)] };
    throw new AwsError("DuplicateTargetGroupName", "A target group with the same name exists, but with different settings", 400);
  }
  const tg: TargetGroupRecord = {
    arn: `${arnPrefix(ctx.region, ctx.accountId)}targetgroup/${name}/${hex(16)}`,
    name,
    region: ctx.region,
    protocol: input.Protocol,
    protocolVersion: http ? (input.ProtocolVersion ?? "HTTP1") : "",
    port: input.Port,
    vpcId: input.VpcId,
    targetType,
    ipAddressType: input.IpAddressType ?? "ipv4",
    healthCheck,
    attributes: defaultTargetGroupAttributes(),
    tags,
    targets: [],
    createdAt: ctx.cloud.now(),
  };
  s.targetGroups[tg.arn] = tg;
  ctx.cloud.markDirty();
  return { TargetGroups: [toTargetGroup(s, tg)] };
}

/**
 * ARNs of the load balancers whose listeners forward to the group, by their default actions or
 * by any rule: a group only a rule forwards to is in use too (health checks run, it cannot be
 * deleted, it cannot join another load balancer).
 */
export function loadBalancersUsing(s: ElbState, tgArn: string): string[] {
  const lbs = new Set<string>();
  for (const l of Object.values(s.listeners)) {
    if (
      targetGroupArnsOfActions(l.defaultActions).includes(tgArn) ||
      (l.rules ?? []).some((r) => targetGroupArnsOfActions(r.actions).includes(tgArn))
    ) {
      lbs.add(l.loadBalancerArn);
    }
  }
  return [...lbs];
}

/** The load balancers using each target group, in one pass over the listeners (describing many groups costs one scan, not one per group). */
function targetGroupUsage(s: ElbState): Map<string, string[]> {
  const usage = new Map<string, Set<string>>();
  for (const l of Object.values(s.listeners)) {
    for (const arn of [
      ...targetGroupArnsOfActions(l.defaultActions),
      ...(l.rules ?? []).flatMap((r) => targetGroupArnsOfActions(r.actions)),
    ]) {
      let lbs = usage.get(arn);
      if (!lbs) usage.set(arn, (lbs = new Set()));
      lbs.add(l.loadBalancerArn);
    }
  }
  return new Map([...usage].map(([arn, lbs]) => [arn, [...lbs]]));
}

export function toTargetGroup(s: ElbState, tg: TargetGroupRecord, usage?: Map<string, string[]>) {
  const hc = tg.healthCheck;
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: hc.protocol,
    HealthCheckPort: hc.port,
    HealthCheckEnabled: hc.enabled,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
    HealthCheckPath: tg.protocol === "HTTP" || tg.protocol === "HTTPS" ? hc.path : undefined,
    Matcher: tg.protocol === "HTTP" || tg.protocol === "HTTPS" ? hc.matcher : undefined,
    LoadBalancerArns: usage ? (usage.get(tg.arn) ?? []) : loadBalancersUsing(s, tg.arn),
    TargetType: tg.targetType,
    ProtocolVersion: tg.protocolVersion || undefined,
    IpAddressType: tg.ipAddressType,
  };
}

/** A target group of the caller's region by ARN, or TargetGroupNotFound. */
export function requireTargetGroup(ctx: RequestContext, arn: string | undefined): TargetGroupRecord {
  const tg = arn ? elbState(ctx.cloud).targetGroups[arn] : undefined;
  if (!tg || tg.region !== ctx.region) throw targetGroupNotFound(arn ? `Target groups '${arn}' not found` : undefined);
  return tg;
}

export function describeTargetGroups(
  input: { LoadBalancerArn?: string; TargetGroupArns?: string[]; Names?: string[]; Marker?: string; PageSize?: number },
  ctx: RequestContext,
) {
  const s = elbState(ctx.cloud);
  const given = [input.LoadBalancerArn, input.TargetGroupArns?.length, input.Names?.length].filter(Boolean).length;
  if (given > 1) throw validationError("Only one of LoadBalancerArn, TargetGroupArns or Names can be specified");
  const all = Object.values(s.targetGroups).filter((tg) => tg.region === ctx.region);
  const usage = targetGroupUsage(s);
  let selected = all;
  if (input.LoadBalancerArn) {
    const lb = requireLoadBalancer(ctx, input.LoadBalancerArn);
    selected = all.filter((tg) => (usage.get(tg.arn) ?? []).includes(lb.arn));
  } else if (input.TargetGroupArns?.length) {
    selected = input.TargetGroupArns.map((arn) => requireTargetGroup(ctx, arn));
  } else if (input.Names?.length) {
    selected = input.Names.map((n) => {
      const tg = all.find((x) => x.name === n);
      if (!tg) throw targetGroupNotFound(`Target groups '[${n}]' not found`);
      return tg;
    });
  }
  const { items, next: nextMarker } = pageOf(selected, input.Marker, input.PageSize, elbPages("DescribeTargetGroups"));
  return { TargetGroups: items.map((tg) => toTargetGroup(s, tg, usage)), NextMarker: nextMarker };
}

export function modifyTargetGroup(input: HealthCheckInput & { TargetGroupArn?: string }, ctx: RequestContext) {
  const s = elbState(ctx.cloud);
  const tg = requireTargetGroup(ctx, input.TargetGroupArn);
  tg.healthCheck = healthCheckFrom(input, tg.healthCheck, tg.protocol);
  ctx.cloud.markDirty();
  return { TargetGroups: [toTargetGroup(s, tg)] };
}

export function deleteTargetGroup(input: { TargetGroupArn?: string }, ctx: RequestContext) {
  const s = elbState(ctx.cloud);
  if (!input.TargetGroupArn) throw validationError("TargetGroupArn is required");
  const tg = s.targetGroups[input.TargetGroupArn];
  if (!tg || tg.region !== ctx.region) return {};
  if (loadBalancersUsing(s, tg.arn).length > 0) {
    throw resourceInUse(`Target group '${tg.arn}' is currently in use by a listener or a rule`);
  }
  delete s.targetGroups[tg.arn];
  ctx.cloud.markDirty();
  return {};
}
