/**
 * Which target a request goes to. Read from the live ELBv2 state on EVERY request, so a
 * ModifyListener weight change or a rule change applies to the very next request.
 *
 * 0. Actions: the first listener rule whose conditions all match, else the default actions
 *    (rule-match.ts).
 * 1. Target group: weighted random over the forward action's groups (weight 0 never chosen),
 *    unless the forward has target group stickiness and the request a valid cookie for one of
 *    its groups (stickiness.ts): then that group, whatever its weight; the answer (re)sets it.
 * 2. Target: the group's `healthy` targets, by its load_balancing.algorithm.type
 *    (round_robin, the AWS default, or least_outstanding_requests). Draining, initial and
 *    unused targets get no new requests; their in-flight requests simply finish.
 *    Fail-open, as AWS does: when a group has NO healthy target but some `unhealthy` ones,
 *    requests go to all unhealthy targets (AWS prefers serving possibly-broken targets to
 *    serving nothing). A group with no healthy and no unhealthy target (empty, all initial,
 *    all draining) has nothing to route to: the ELB answers 503.
 */
import type { ActionRecord, ListenerRecord, TargetGroupRecord, TargetRecord } from "../services/elbv2/state.ts";
import type { elbState } from "../services/elbv2/state.ts";
import type { IncomingMessage } from "node:http";
import type { DataPlane } from "./plane.ts";
import { actionsFor } from "./rule-match.ts";
import { stickinessOf, stickyCookies, stuckGroup } from "./stickiness.ts";

export type RouteDecision =
  | { kind: "forward"; targetGroup: TargetGroupRecord; target: TargetRecord; setCookies?: string[] }
  | { kind: "no-target"; targetGroupArn: string | null }
  | { kind: "fixed-response"; action: ActionRecord }
  | { kind: "redirect"; action: ActionRecord };

export const targetKey = (tgArn: string, t: TargetRecord) => `${tgArn}|${t.id}|${t.port}`;

function pickGroup(action: ActionRecord): string | null {
  const groups: Array<{ TargetGroupArn: string; Weight?: number }> =
    action.ForwardConfig?.TargetGroups ?? (action.TargetGroupArn ? [{ TargetGroupArn: action.TargetGroupArn, Weight: 1 }] : []);
  const total = groups.reduce((n, g) => n + (g.Weight ?? 1), 0);
  if (total <= 0) return groups[0]?.TargetGroupArn ?? null;
  let r = Math.random() * total;
  for (const g of groups) {
    r -= g.Weight ?? 1;
    if (r < 0) return g.TargetGroupArn;
  }
  return groups[groups.length - 1].TargetGroupArn;
}

function pickTarget(plane: DataPlane, tg: TargetGroupRecord): TargetRecord | undefined {
  let candidates = tg.targets.filter((t) => t.state === "healthy");
  if (candidates.length === 0) candidates = tg.targets.filter((t) => t.state === "unhealthy");
  if (candidates.length === 0) return undefined;
  if (tg.attributes?.["load_balancing.algorithm.type"] === "least_outstanding_requests") {
    let best = candidates[0];
    let bestN = Infinity;
    const start = plane.cursors.get(tg.arn) ?? 0;
    plane.cursors.set(tg.arn, start + 1);
    for (let i = 0; i < candidates.length; i++) {
      const t = candidates[(start + i) % candidates.length]; // rotate so ties spread evenly
      const n = plane.outstanding.get(targetKey(tg.arn, t)) ?? 0;
      if (n < bestN) {
        best = t;
        bestN = n;
      }
    }
    return best;
  }
  const cursor = plane.cursors.get(tg.arn) ?? 0;
  plane.cursors.set(tg.arn, cursor + 1);
  return candidates[cursor % candidates.length];
}

export function route(plane: DataPlane, listener: ListenerRecord, elb: ReturnType<typeof elbState>, req: IncomingMessage): RouteDecision {
  const action = actionsFor(listener, req).find((a) => a.Type === "forward" || a.Type === "fixed-response" || a.Type === "redirect");
  if (!action) return { kind: "no-target", targetGroupArn: null };
  if (action.Type === "fixed-response") return { kind: "fixed-response", action };
  if (action.Type === "redirect") return { kind: "redirect", action };
  const sticky = stickinessOf(action);
  const tgArn = (sticky !== null ? stuckGroup(action, req) : null) ?? pickGroup(action);
  const tg = tgArn ? elb.targetGroups[tgArn] : undefined;
  if (!tg) return { kind: "no-target", targetGroupArn: tgArn };
  const target = pickTarget(plane, tg);
  if (!target) return { kind: "no-target", targetGroupArn: tg.arn };
  return { kind: "forward", targetGroup: tg, target, ...(sticky !== null ? { setCookies: stickyCookies(tg.arn, sticky) } : {}) };
}
