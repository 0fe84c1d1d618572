/**
 * DescribeLoadBalancerAttributes / ModifyLoadBalancerAttributes with AWS's keys per load
 * balancer type, defaults and value rules. A change is validated as a whole before any key is
 * set (AWS applies all or nothing). Only idle_timeout.timeout_seconds changes the data plane.
 */
import type { RequestContext } from "../../core/types.ts";
import { invalidConfiguration, validationError } from "./errors.ts";
import { requireLoadBalancer } from "./load-balancers.ts";
import type { LoadBalancerRecord } from "./state.ts";

type Rule = RegExp | ((v: string) => boolean);

const BOOL = /^(true|false)$/;
const _ANY = /^.*$/;
const intIn = (min: number, max: number) => (v: string) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max;
/** S3 bucket names (empty allowed: logging off); AWS also checks the bucket policy, which is not modelled. */
const BUCKET = (v: string) => v === "" || /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(v);
/** AWS reserves "AWSLogs" in log prefixes and a prefix may not start or end with a slash. */
const PREFIX = (v: string) => !v.includes("AWSLogs") && !v.startsWith("/") && !v.endsWith("/");

/** S3 log destinations: <kind>.s3.enabled / .bucket / .prefix. */
const logKeys = (kind: string): Array<[string, string, Rule]> => [
  [`${kind}.s3.enabled`, "false", BOOL],
  [`${kind}.s3.bucket`, "", BUCKET],
  [`${kind}.s3.prefix`, "", PREFIX],
];

/** [key, default, rule] per load balancer type, in the order AWS lists them. */
function keysFor(type: string, scheme: string): Array<[string, string, Rule]> {
  const igw = String(scheme === "internal");
  if (type === "application") {
    return [
      ...logKeys("access_logs"),
      ...logKeys("connection_logs"),
      ...logKeys("health_check_logs"),
      ["deletion_protection.enabled", "false", BOOL],
      ["idle_timeout.timeout_seconds", "60", intIn(1, 4000)],
      ["client_keep_alive.seconds", "3600", intIn(60, 604800)],
      ["routing.http.desync_mitigation_mode", "defensive", /^(monitor|defensive|strictest)$/],
      ["routing.http.drop_invalid_header_fields.enabled", "false", BOOL],
      ["routing.http.preserve_host_header.enabled", "false", BOOL],
      ["routing.http.x_amzn_tls_version_and_cipher_suite.enabled", "false", BOOL],
      ["routing.http.xff_client_port.enabled", "false", BOOL],
      ["routing.http.xff_header_processing.mode", "append", /^(append|preserve|remove)$/],
      ["routing.http2.enabled", "true", BOOL],
      ["waf.fail_open.enabled", "false", BOOL],
      // Always on for Application Load Balancers: AWS refuses "false".
      ["load_balancing.cross_zone.enabled", "true", /^true$/],
      ["zonal_shift.config.enabled", "false", BOOL],
      ["ipv6.deny_all_igw_traffic", igw, BOOL],
    ];
  }
  if (type === "gateway") {
    return [
      ["deletion_protection.enabled", "false", BOOL],
      ["load_balancing.cross_zone.enabled", "false", BOOL],
    ];
  }
  return [
    ...logKeys("access_logs"),
    ["deletion_protection.enabled", "false", BOOL],
    ["load_balancing.cross_zone.enabled", "false", BOOL],
    [
      "dns_record.client_routing_policy",
      "any_availability_zone",
      /^(availability_zone_affinity|partial_availability_zone_affinity|any_availability_zone)$/,
    ],
    ["zonal_shift.config.enabled", "false", BOOL],
    ["secondary_ips.auto_assigned.per_subnet", "0", intIn(0, 7)],
    ["ipv6.deny_all_igw_traffic", igw, BOOL],
  ];
}

export function defaultLoadBalancerAttributes(type: string, scheme: string): Record<string, string> {
  return Object.fromEntries(keysFor(type, scheme).map(([key, value]) => [key, value]));
}

/** Every key of the type, in AWS's order: stored values over defaults (records older than a key get its default). */
function attributesOf(lb: LoadBalancerRecord): Array<{ Key: string; Value: string }> {
  return keysFor(lb.type, lb.scheme).map(([Key, fallback]) => ({ Key, Value: lb.attributes[Key] ?? fallback }));
}

export function describeLoadBalancerAttributes(input: { LoadBalancerArn?: string }, ctx: RequestContext) {
  const lb = requireLoadBalancer(ctx, input.LoadBalancerArn);
  return { Attributes: attributesOf(lb) };
}

export function modifyLoadBalancerAttributes(
  input: { LoadBalancerArn?: string; Attributes?: Array<{ Key?: string; Value?: string }> },
  ctx: RequestContext,
) {
  const lb = requireLoadBalancer(ctx, input.LoadBalancerArn);
  const changes = input.Attributes ?? [];
  if (changes.length === 0) throw validationError("At least one attribute must be specified");
  if (changes.length > 20) throw validationError("At most 20 attributes can be modified at once");
  const rules = new Map(keysFor(lb.type, lb.scheme).map(([key, , rule]) => [key, rule]));
  for (const { Key, Value } of changes) {
    const rule = Key ? rules.get(Key) : undefined;
    if (!Key || !rule) throw validationError(`Load balancer attribute key '${Key}' is not recognized`);
    const value = Value ?? "";
    const ok = typeof rule === "function" ? rule(value) : rule.test(value);
    if (!ok) throw invalidConfiguration(`Load balancer attribute value '${value}' is not valid for key '${Key}'`);
  }
  const next: Record<string, string> = Object.fromEntries(attributesOf(lb).map((a) => [a.Key, a.Value]));
  for (const { Key, Value } of changes) next[Key!] = Value ?? "";
  for (const kind of ["access_logs", "connection_logs", "health_check_logs"]) {
    if (next[`${kind}.s3.enabled`] === "true" && !next[`${kind}.s3.bucket`]) {
      throw invalidConfiguration(`The value of '${kind}.s3.bucket' cannot be empty when '${kind}.s3.enabled' is true`);
    }
  }
  lb.attributes = next;
  ctx.cloud.markDirty();
  return { Attributes: attributesOf(lb) };
}
