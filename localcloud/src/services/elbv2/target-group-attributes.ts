/** DescribeTargetGroupAttributes / ModifyTargetGroupAttributes with AWS's defaults and value rules. */
import type { RequestContext } from "../../core/types.ts";
import { invalidConfiguration, validationError } from "./errors.ts";
import { requireTargetGroup } from "./target-groups.ts";

const int = (min: number, max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
const oneOf =
  (...values: string[]) =>
  (v: string) =>
    values.includes(v);
const offOrInt = (min: number, max: number) => (v: string) => v === "off" || int(min, max)(v);

const RULES: Record<string, (v: string) => boolean> = {
  "deregistration_delay.timeout_seconds": int(0, 3600),
  "stickiness.enabled": oneOf("true", "false"),
  "stickiness.type": oneOf("lb_cookie", "app_cookie"),
  "stickiness.lb_cookie.duration_seconds": int(1, 604800),
  "stickiness.app_cookie.cookie_name": (v) => !/^AWSALB/i.test(v),
  "stickiness.app_cookie.duration_seconds": int(1, 604800),
  "load_balancing.algorithm.type": oneOf("round_robin", "least_outstanding_requests", "weighted_random"),
  "load_balancing.algorithm.anomaly_mitigation": oneOf("on", "off"),
  "load_balancing.cross_zone.enabled": oneOf("true", "false", "use_load_balancer_configuration"),
  // 0 disables slow start; otherwise 30-900 seconds.
  "slow_start.duration_seconds": (v) => v === "0" || int(30, 900)(v),
  "target_group_health.dns_failover.minimum_healthy_targets.count": offOrInt(1, 1_000_000),
  "target_group_health.dns_failover.minimum_healthy_targets.percentage": offOrInt(1, 100),
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": int(1, 1_000_000),
  "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": offOrInt(1, 100),
};

export function defaultTargetGroupAttributes(): Record<string, string> {
  return {
    "deregistration_delay.timeout_seconds": "300",
    "stickiness.enabled": "false",
    "stickiness.type": "lb_cookie",
    "stickiness.lb_cookie.duration_seconds": "86400",
    "stickiness.app_cookie.cookie_name": "",
    "stickiness.app_cookie.duration_seconds": "86400",
    "load_balancing.algorithm.type": "round_robin",
    "load_balancing.algorithm.anomaly_mitigation": "off",
    "load_balancing.cross_zone.enabled": "use_load_balancer_configuration",
    "slow_start.duration_seconds": "0",
    "target_group_health.dns_failover.minimum_healthy_targets.count": "1",
    "target_group_health.dns_failover.minimum_healthy_targets.percentage": "off",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.count": "1",
    "target_group_health.unhealthy_state_routing.minimum_healthy_targets.percentage": "off",
  };
}

const asList = (attrs: Record<string, string>) => Object.entries(attrs).map(([Key, Value]) => ({ Key, Value }));

export function describeTargetGroupAttributes(input: { TargetGroupArn?: string }, ctx: RequestContext) {
  return { Attributes: asList(requireTargetGroup(ctx, input.TargetGroupArn).attributes) };
}

export function modifyTargetGroupAttributes(
  input: { TargetGroupArn?: string; Attributes?: Array<{ Key?: string; Value?: string }> },
  ctx: RequestContext,
) {
  const tg = requireTargetGroup(ctx, input.TargetGroupArn);
  const changes = input.Attributes ?? [];
  if (changes.length === 0) throw validationError("At least one attribute must be specified");
  for (const { Key, Value } of changes) {
    const rule = Key ? RULES[Key] : undefined;
    if (!rule) throw validationError(`Target group attribute key '${Key}' is not recognized`);
    if (!rule(Value ?? "")) throw invalidConfiguration(`Target group attribute value '${Value ?? ""}' is not valid for key '${Key}'`);
  }
  const next = { ...tg.attributes };
  for (const { Key, Value } of changes) next[Key!] = Value ?? "";
  if (next["stickiness.type"] === "app_cookie" && next["stickiness.enabled"] === "true" && !next["stickiness.app_cookie.cookie_name"]) {
    throw invalidConfiguration("An application cookie name must be specified for app_cookie stickiness");
  }
  tg.attributes = next;
  ctx.cloud.markDirty();
  return { Attributes: asList(tg.attributes) };
}
