/** DescribeLoadBalancerAttributes / ModifyLoadBalancerAttributes with AWS's defaults and value rules. */
import type { RequestContext } from "../../core/types.ts";
import { invalidConfiguration, validationError } from "./errors.ts";
import { requireLoadBalancer } from "./load-balancers.ts";

const BOOL = /^(true|false)$/;

/** Allowed values per key for an Application Load Balancer; a function validates ranges. */
const ALB_RULES: Record<string, RegExp | ((v: string) => boolean)> = {
  "access_logs.s3.enabled": BOOL,
  "access_logs.s3.bucket": /^.*$/,
  "access_logs.s3.prefix": /^.*$/,
  "deletion_protection.enabled": BOOL,
  "idle_timeout.timeout_seconds": (v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 4000,
  "client_keep_alive.seconds": (v) => /^\d+$/.test(v) && Number(v) >= 60 && Number(v) <= 604800,
  "routing.http.desync_mitigation_mode": /^(monitor|defensive|strictest)$/,
  "routing.http.drop_invalid_header_fields.enabled": BOOL,
  "routing.http.preserve_host_header.enabled": BOOL,
  "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": BOOL,
  "routing.http.xff_client_port.enabled": BOOL,
  "routing.http.xff_header_processing.mode": /^(append|preserve|remove)$/,
  "routing.http2.enabled": BOOL,
  "waf.fail_open.enabled": BOOL,
  "load_balancing.cross_zone.enabled": /^true$/,
  "ipv6.deny_all_igw_traffic": BOOL,
};

export function defaultLoadBalancerAttributes(type: string, scheme: string): Record<string, string> {
  if (type !== "application") {
    return {
      "access_logs.s3.enabled": "false",
      "access_logs.s3.bucket": "",
      "access_logs.s3.prefix": "",
      "deletion_protection.enabled": "false",
      "load_balancing.cross_zone.enabled": "false",
      "ipv6.deny_all_igw_traffic": String(scheme === "internal"),
    };
  }
  return {
    "access_logs.s3.enabled": "false",
    "access_logs.s3.bucket": "",
    "access_logs.s3.prefix": "",
    "deletion_protection.enabled": "false",
    "idle_timeout.timeout_seconds": "60",
    "client_keep_alive.seconds": "3600",
    "routing.http.desync_mitigation_mode": "defensive",
    "routing.http.drop_invalid_header_fields.enabled": "false",
    "routing.http.preserve_host_header.enabled": "false",
    "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
    "routing.http.xff_client_port.enabled": "false",
    "routing.http.xff_header_processing.mode": "append",
    "routing.http2.enabled": "true",
    "waf.fail_open.enabled": "false",
    "load_balancing.cross_zone.enabled": "true",
    "ipv6.deny_all_igw_traffic": String(scheme === "internal"),
  };
}

const asList = (attrs: Record<string, string>) => Object.entries(attrs).map(([Key, Value]) => ({ Key, Value }));

export function describeLoadBalancerAttributes(input: { LoadBalancerArn?: string }, ctx: RequestContext) {
  const lb = requireLoadBalancer(ctx, input.LoadBalancerArn);
  return { Attributes: asList(lb.attributes) };
}

export function modifyLoadBalancerAttributes(input: { LoadBalancerArn?: string; Attributes?: Array<{ Key?: string; Value?: string }> }, ctx: RequestContext) {
  const lb = requireLoadBalancer(ctx, input.LoadBalancerArn);
  const changes = input.Attributes ?? [];
  if (changes.length === 0) throw validationError("At least one attribute must be specified");
  for (const { Key, Value } of changes) {
    if (!Key || !(Key in lb.attributes)) throw validationError(`Load balancer attribute key '${Key}' is not recognized`);
    const rule = ALB_RULES[Key];
    const value = Value ?? "";
    const ok = !rule || (typeof rule === "function" ? rule(value) : rule.test(value));
    if (!ok) throw invalidConfiguration(`Load balancer attribute value '${value}' is not valid for key '${Key}'`);
  }
  if (changes.some((c) => c.Key === "access_logs.s3.enabled" && c.Value === "true")) {
    const bucket = changes.find((c) => c.Key === "access_logs.s3.bucket")?.Value ?? lb.attributes["access_logs.s3.bucket"];
    if (!bucket) throw invalidConfiguration("The value of 'access_logs.s3.bucket' cannot be empty when access logs are enabled");
  }
  for (const { Key, Value } of changes) lb.attributes[Key!] = Value ?? "";
  ctx.cloud.markDirty();
  return { Attributes: asList(lb.attributes) };
}
