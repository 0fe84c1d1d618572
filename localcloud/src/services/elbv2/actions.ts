/**
 * Listener actions: validation and the normalised form AWS returns (a forward action always
 * carries ForwardConfig with weights; a single-group forward also carries TargetGroupArn).
 */
import { AwsError, type ModelDocument } from "../../core/types.ts";
import type { ActionRecord } from "./state.ts";
import { validationError } from "./errors.ts";

const TERMINAL = new Set(["forward", "redirect", "fixed-response"]);
const CONTENT_TYPES = new Set(["text/plain", "text/css", "text/html", "application/javascript", "application/json"]);
export const MAX_WEIGHT = 999;
const MAX_FORWARD_GROUPS = 5;

function normaliseForward(a: ModelDocument): ActionRecord {
  const fromConfig: Array<{ TargetGroupArn?: string; Weight?: number }> = a.ForwardConfig?.TargetGroups ?? [];
  if (a.TargetGroupArn && fromConfig.length > 0) {
    if (fromConfig.length !== 1 || fromConfig[0].TargetGroupArn !== a.TargetGroupArn) {
      throw validationError("You cannot specify both a target group ARN and a forward config with different target groups");
    }
  }
  const groups = fromConfig.length > 0 ? fromConfig : a.TargetGroupArn ? [{ TargetGroupArn: a.TargetGroupArn, Weight: 1 }] : [];
  if (groups.length === 0) throw validationError("A target group ARN must be specified for a forward action");
  if (groups.length > MAX_FORWARD_GROUPS)
    throw validationError(`You can specify up to ${MAX_FORWARD_GROUPS} target groups in a forward action`);
  const seen = new Set<string>();
  const tuples = groups.map((g) => {
    if (!g.TargetGroupArn) throw validationError("A target group ARN must be specified for each target group of a forward action");
    if (seen.has(g.TargetGroupArn))
      throw validationError(`Target group '${g.TargetGroupArn}' is specified more than once in the forward action`);
    seen.add(g.TargetGroupArn);
    const weight = g.Weight ?? 1;
    if (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
      throw validationError(
        `1 validation error detected: Value '${weight}' at 'weight' failed to satisfy constraint: Member must have value between 0 and ${MAX_WEIGHT}`,
      );
    }
    return { TargetGroupArn: g.TargetGroupArn, Weight: weight };
  });
  const sticky = a.ForwardConfig?.TargetGroupStickinessConfig;
  const stickiness: { Enabled: boolean; DurationSeconds?: number } = { Enabled: sticky?.Enabled ?? false };
  if (stickiness.Enabled) {
    const d = sticky?.DurationSeconds;
    if (d === undefined || !Number.isInteger(d) || d < 1 || d > 604800)
      throw validationError("Target group stickiness duration must be between 1 and 604800 seconds");
    stickiness.DurationSeconds = d;
  }
  const out: ActionRecord = { Type: "forward", ForwardConfig: { TargetGroups: tuples, TargetGroupStickinessConfig: stickiness } };
  if (tuples.length === 1) out.TargetGroupArn = tuples[0].TargetGroupArn;
  return out;
}

function normaliseFixedResponse(a: ModelDocument): ActionRecord {
  const c = a.FixedResponseConfig;
  if (!c?.StatusCode || !/^[245]\d\d$/.test(c.StatusCode))
    throw validationError(`Fixed response status code '${c?.StatusCode}' must be a 2XX, 4XX or 5XX code`);
  if (c.ContentType !== undefined && !CONTENT_TYPES.has(c.ContentType))
    throw validationError(`Fixed response content type '${c.ContentType}' is not valid`);
  if ((c.MessageBody ?? "").length > 1024) throw validationError("Fixed response message body cannot be longer than 1024 characters");
  return {
    Type: "fixed-response",
    FixedResponseConfig: { StatusCode: c.StatusCode, ContentType: c.ContentType, MessageBody: c.MessageBody },
  };
}

function normaliseRedirect(a: ModelDocument): ActionRecord {
  const c = a.RedirectConfig;
  if (!c || !["HTTP_301", "HTTP_302"].includes(c.StatusCode)) throw validationError("Redirect status code must be HTTP_301 or HTTP_302");
  return {
    Type: "redirect",
    RedirectConfig: {
      Protocol: c.Protocol ?? "#{protocol}",
      Port: c.Port ?? "#{port}",
      Host: c.Host ?? "#{host}",
      Path: c.Path ?? "/#{path}",
      Query: c.Query ?? "#{query}",
      StatusCode: c.StatusCode,
    },
  };
}

/**
 * Validate a listener's default actions (or, with `owner` "rule", a rule's actions: same rules,
 * AWS only words the errors differently) and return them as AWS describes them.
 */
export function normaliseActions(actions: Array<ModelDocument> | undefined, owner: "listener" | "rule" = "listener"): ActionRecord[] {
  const list = actions ?? [];
  const what = owner === "listener" ? "The listener's default actions" : "A rule's actions";
  if (list.length === 0)
    throw validationError(owner === "listener" ? "At least one default action must be specified" : "At least one action must be specified");
  const terminal = list.filter((a) => TERMINAL.has(a.Type));
  if (terminal.length !== 1)
    throw new AwsError("InvalidLoadBalancerAction", `${what} must contain exactly one forward, redirect or fixed-response action`, 400);
  return list.map((a) => {
    let out: ActionRecord;
    if (a.Type === "forward") out = normaliseForward(a);
    else if (a.Type === "fixed-response") out = normaliseFixedResponse(a);
    else if (a.Type === "redirect") out = normaliseRedirect(a);
    else throw new AwsError("InvalidLoadBalancerAction", `Action type '${a.Type}' is not supported for HTTP listeners`, 400);
    if (a.Order !== undefined) out.Order = a.Order;
    return out;
  });
}

/** The target groups a list of actions forwards to (weight 0 included: the group is still associated). */
export function targetGroupArnsOfActions(actions: ActionRecord[]): string[] {
  const arns: string[] = [];
  for (const a of actions) {
    if (a.Type !== "forward") continue;
    for (const g of a.ForwardConfig?.TargetGroups ?? []) arns.push(g.TargetGroupArn);
  }
  return arns;
}
