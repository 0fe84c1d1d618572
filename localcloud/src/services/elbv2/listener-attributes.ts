/**
 * DescribeListenerAttributes / ModifyListenerAttributes (newer than awscli 2.9's model; SDK v3,
 * boto3 and Terraform's AWS provider call them). Keys per listener, as AWS documents them:
 * Application Load Balancer listeners have the Server header switch and the response headers to
 * add, HTTPS ones also the renamable mTLS/TLS request headers; TCP listeners of Network Load
 * Balancers (and Gateway Load Balancers) have tcp.idle_timeout.seconds. Values are stored and
 * validated; the data plane does not apply them.
 */
import type { RequestContext } from "../../core/types.ts";
import { invalidConfiguration, validationError } from "./errors.ts";
import { requireListener } from "./listeners.ts";
import { elbState, type ListenerRecord } from "./state.ts";

type Rule = (v: string) => boolean;

const BOOL: Rule = (v) => v === "true" || v === "false";
/** Empty removes the header; otherwise printable text. */
const TEXT: Rule = (v) => v.length <= 1024 && /^[\x20-\x7e]*$/.test(v);
const HEADER_NAME: Rule = (v) => v === "" || /^[A-Za-z0-9-]{1,40}$/.test(v);
const METHODS = ["GET", "HEAD", "POST", "DELETE", "PATCH", "PUT", "OPTIONS"];

const RESPONSE_HEADERS: Array<[string, Rule]> = [
  ["strict_transport_security", (v) => v === "" || /(^|;)\s*max-age=\d+\s*(;|$)/i.test(v)],
  ["access_control_allow_origin", TEXT],
  ["access_control_allow_methods", (v) => v === "" || v === "*" || v.split(",").every((m) => METHODS.includes(m.trim()))],
  ["access_control_allow_headers", TEXT],
  ["access_control_allow_credentials", (v) => v === "" || v === "true"],
  ["access_control_expose_headers", TEXT],
  ["access_control_max_age", (v) => v === "" || (/^\d+$/.test(v) && Number(v) <= 86400)],
  ["content_security_policy", TEXT],
  ["x_content_type_options", (v) => v === "" || v === "nosniff"],
  ["x_frame_options", (v) => v === "" || /^(DENY|SAMEORIGIN|ALLOW-FROM \S+)$/.test(v)],
];

const TLS_REQUEST_HEADERS = [
  "x_amzn_mtls_clientcert_serial_number",
  "x_amzn_mtls_clientcert_issuer",
  "x_amzn_mtls_clientcert_subject",
  "x_amzn_mtls_clientcert_validity",
  "x_amzn_mtls_clientcert_leaf",
  "x_amzn_mtls_clientcert",
  "x_amzn_tls_version",
  "x_amzn_tls_cipher_suite",
];

/** [key, default, rule] for a listener of a load balancer of type `lbType`. */
function keysFor(lbType: string, listener: ListenerRecord): Array<[string, string, Rule]> {
  if (lbType === "application") {
    return [
      ...(listener.protocol === "HTTPS"
        ? TLS_REQUEST_HEADERS.map((h): [string, string, Rule] => [`routing.http.request.${h}.header_name`, "", HEADER_NAME])
        : []),
      ["routing.http.response.server.enabled", "true", BOOL],
      ...RESPONSE_HEADERS.map(([h, rule]): [string, string, Rule] => [`routing.http.response.${h}.header_value`, "", rule]),
    ];
  }
  if (lbType === "gateway" || listener.protocol === "TCP") {
    return [["tcp.idle_timeout.seconds", "350", (v) => /^\d+$/.test(v) && Number(v) >= 60 && Number(v) <= 6000]];
  }
  return [];
}

function lbTypeOf(ctx: RequestContext, listener: ListenerRecord): string {
  return elbState(ctx.cloud).loadBalancers[listener.loadBalancerArn]?.type ?? "application";
}

function attributesOf(lbType: string, listener: ListenerRecord): Array<{ Key: string; Value: string }> {
  return keysFor(lbType, listener).map(([Key, fallback]) => ({ Key, Value: listener.attributes?.[Key] ?? fallback }));
}

export function describeListenerAttributes(input: { ListenerArn?: string }, ctx: RequestContext) {
  const listener = requireListener(ctx, input.ListenerArn);
  return { Attributes: attributesOf(lbTypeOf(ctx, listener), listener) };
}

export function modifyListenerAttributes(
  input: { ListenerArn?: string; Attributes?: Array<{ Key?: string; Value?: string }> },
  ctx: RequestContext,
) {
  const listener = requireListener(ctx, input.ListenerArn);
  const lbType = lbTypeOf(ctx, listener);
  const changes = input.Attributes ?? [];
  if (changes.length === 0) throw validationError("At least one attribute must be specified");
  const rules = new Map(keysFor(lbType, listener).map(([key, , rule]) => [key, rule]));
  // Validate everything first: AWS applies all changes or none.
  for (const { Key, Value } of changes) {
    const rule = Key ? rules.get(Key) : undefined;
    if (!Key || !rule)
      throw validationError(
        `Listener attribute key '${Key}' is not recognized for a ${listener.protocol} listener of a load balancer of type '${lbType}'`,
      );
    if (!rule(Value ?? "")) throw invalidConfiguration(`Listener attribute value '${Value ?? ""}' is not valid for key '${Key}'`);
  }
  listener.attributes ??= {};
  for (const { Key, Value } of changes) listener.attributes[Key!] = Value ?? "";
  ctx.cloud.markDirty();
  return { Attributes: attributesOf(lbType, listener) };
}
