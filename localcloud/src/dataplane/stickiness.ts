/**
 * Target group stickiness of a weighted forward (ForwardConfig.TargetGroupStickinessConfig),
 * as an ALB does it: with stickiness enabled, the ALB answers with an `AWSALBTG` cookie (and
 * `AWSALBTGCORS`, SameSite=None; Secure, for cross-origin requests) naming the target group it
 * chose, and a request that brings a valid, unexpired cookie goes to that target group again,
 * whatever the weights now are, as long as the group is still in the forward action. With
 * stickiness disabled the cookie is ignored. The value is opaque to clients (AWS encrypts its
 * own); here it is the group's ARN and the expiry, base64url-encoded.
 * Durations are wall seconds, like the browser's cookie expiry.
 */
import type { IncomingMessage } from "node:http";
import type { ActionRecord } from "../services/elbv2/state.ts";

export const STICKY_COOKIE = "AWSALBTG";
const CORS_COOKIE = "AWSALBTGCORS";

/** The forward action's stickiness duration in seconds, or null when disabled. */
export function stickinessOf(action: ActionRecord): number | null {
  const c = action.ForwardConfig?.TargetGroupStickinessConfig as { Enabled?: boolean; DurationSeconds?: number } | undefined;
  return c?.Enabled && c.DurationSeconds ? c.DurationSeconds : null;
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return v.join("=");
  }
  return undefined;
}

/** The target group a request is stuck to: from a valid, unexpired cookie naming a group of the action. */
export function stuckGroup(action: ActionRecord, req: IncomingMessage, now = Date.now()): string | null {
  const raw = cookieValue(req, STICKY_COOKIE) ?? cookieValue(req, CORS_COOKIE);
  if (!raw) return null;
  const [arn, expires] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  if (!arn || !(Number(expires) > now)) return null;
  const groups: Array<{ TargetGroupArn: string }> = action.ForwardConfig?.TargetGroups ?? [];
  return groups.some((g) => g.TargetGroupArn === arn) ? arn : null;
}

/** The Set-Cookie values that stick the client to `tgArn` for `seconds`. */
export function stickyCookies(tgArn: string, seconds: number, now = Date.now()): string[] {
  const expires = now + seconds * 1000;
  const value = Buffer.from(`${tgArn}|${expires}`, "utf8").toString("base64url");
  const at = new Date(expires).toUTCString();
  return [`${STICKY_COOKIE}=${value}; Expires=${at}; Path=/`, `${CORS_COOKIE}=${value}; Expires=${at}; Path=/; SameSite=None; Secure`];
}
