/**
 * Where the listeners send traffic, and who may reach them.
 *
 * Without CloudFront a listener's default action is the weighted forward to the blue and green
 * target groups. With CloudFront the load balancer answers only CloudFront: the default action
 * is a fixed 403, and one rule (priority ORIGIN_RULE_PRIORITY, the last possible) forwards by
 * the weights when the request carries the secret origin header that CloudFront adds
 * (OriginCustomHeaders). Switchyard's own probe rules (probe.ts) take the lowest free
 * priorities, so they still sort first and reach the idle fleet directly.
 * Weight changes go to wherever the forward lives (the rule, else the default action), on every
 * forwarding listener (80, and 443 when the spec has a certificate): one call per listener.
 */
import { randomBytes } from "node:crypto";
import {
  CreateRuleCommand,
  DescribeListenersCommand,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type ElbAction,
  type ElbRule,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { SLOTS, TAG_ENV, type Slot, type StepContext } from "./context.ts";
import { paginateDescribeRules } from "../aws/sdk.ts";

export const ORIGIN_HEADER = "X-Switchyard-Origin";
export const ORIGIN_RULE_PRIORITY = 50_000;
export const FORBIDDEN: ElbAction[] = [
  {
    Type: "fixed-response",
    FixedResponseConfig: {
      StatusCode: "403",
      ContentType: "text/plain",
      MessageBody: "This load balancer only answers its CloudFront distribution.",
    },
  },
];

/**
 * The forward action with these weights (0-999 each), and target group stickiness for
 * `stickySeconds` when given (a canary step); without, stickiness is off and every request
 * follows the weights.
 */
export function forwardTo(targetGroupArns: Record<Slot, string>, weights: Record<Slot, number>, stickySeconds?: number): ElbAction[] {
  return [
    {
      Type: "forward",
      ForwardConfig: {
        TargetGroups: SLOTS.map((slot) => ({ TargetGroupArn: targetGroupArns[slot], Weight: weights[slot] })),
        ...(stickySeconds ? { TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: stickySeconds } } : {}),
      },
    },
  ];
}

export async function listRules(ctx: StepContext, listenerArn: string): Promise<ElbRule[]> {
  // A listener created a moment ago may not be found yet: the whole read is retried.
  return afterCreate(async () => {
    const rules: ElbRule[] = [];
    for await (const page of paginateDescribeRules({ client: ctx.aws.elbv2 }, { ListenerArn: listenerArn, PageSize: 100 })) {
      rules.push(...(page.Rules ?? []));
    }
    return rules;
  });
}

const originCondition = (r: ElbRule) =>
  r.Conditions?.find((c) => c.Field === "http-header" && c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === ORIGIN_HEADER.toLowerCase());

/** The CloudFront-only rule of a listener, with its secret. */
export function originRuleOf(rules: ElbRule[]): { rule: ElbRule; secret: string } | undefined {
  const rule = rules.find((r) => String(r.Priority) === String(ORIGIN_RULE_PRIORITY) && originCondition(r));
  const secret = rule && originCondition(rule)?.HttpHeaderConfig?.Values?.[0];
  return rule && secret ? { rule, secret } : undefined;
}

/** Weights of a forward action (target group ARN -> slot), or null. */
export function weightsOf(
  actions: ElbAction[] | undefined,
  targetGroupArns: Partial<Record<Slot, string | undefined>>,
): Record<Slot, number> | null {
  const forward = actions?.find((a) => a.Type === "forward");
  const groups =
    forward?.ForwardConfig?.TargetGroups ?? (forward?.TargetGroupArn ? [{ TargetGroupArn: forward.TargetGroupArn, Weight: 1 }] : null);
  if (!groups) return null;
  const weight = (slot: Slot) => {
    const hit = groups.find((t) => t.TargetGroupArn === targetGroupArns[slot]);
    return hit ? (hit.Weight ?? 1) : 0;
  };
  return { blue: weight("blue"), green: weight("green") };
}

/**
 * Makes one listener route as the spec says: CloudFront only (403 by default, the origin rule
 * forwarding) or open (the default action forwarding). Keeps the current weights when
 * converting, and an existing secret. Returns the secret (null without CloudFront).
 */
export async function ensureRouting(
  ctx: StepContext,
  input: { envId: string; cloudfront: boolean; secret?: string | null },
  listener: { ListenerArn?: string; DefaultActions?: ElbAction[] },
  targetGroupArns: Record<Slot, string>,
): Promise<string | null> {
  const listenerArn = listener.ListenerArn!;
  const rules = await listRules(ctx, listenerArn);
  const origin = originRuleOf(rules);
  const weights = weightsOf(origin?.rule.Actions, targetGroupArns) ??
    weightsOf(listener.DefaultActions, targetGroupArns) ?? { blue: 100, green: 0 };
  if (!input.cloudfront) {
    if (origin) {
      // CloudFront turned off: open the listener again (the stale rule then never matters).
      await ctx.aws.elbv2.send(
        new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forwardTo(targetGroupArns, weights) }),
      );
      ctx.touch("elbv2:listener", listenerArn, "updated");
    }
    return null;
  }
  let secret = origin?.secret;
  if (!secret) {
    secret = input.secret ?? randomBytes(24).toString("hex");
    const out = await ctx.aws.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: ORIGIN_RULE_PRIORITY,
        Conditions: [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: ORIGIN_HEADER, Values: [secret] } }],
        Actions: forwardTo(targetGroupArns, weights),
        Tags: [
          { Key: TAG_ENV, Value: input.envId },
          { Key: "switchyard:purpose", Value: "cloudfront-origin" },
        ],
      }),
    );
    ctx.touch("elbv2:rule", out.Rules?.[0]?.RuleArn ?? `${listenerArn} priority ${ORIGIN_RULE_PRIORITY}`, "created");
  }
  if (listener.DefaultActions?.[0]?.Type !== "fixed-response") {
    await ctx.aws.elbv2.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: FORBIDDEN }));
    ctx.touch("elbv2:listener", listenerArn, "updated");
  }
  return secret;
}

/** The load balancer's ARN from one of its listeners' ARNs. */
export const loadBalancerArnOf = (listenerArn: string) =>
  listenerArn.replace(":listener/", ":loadbalancer/").split("/").slice(0, -1).join("/");

/** Sets the weights on every forwarding listener of the listener's load balancer. */
export async function applyWeights(
  ctx: StepContext,
  listenerArn: string,
  targetGroupArns: Record<Slot, string>,
  weights: Record<Slot, number>,
  stickySeconds?: number,
): Promise<void> {
  const listeners =
    (await ctx.aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArnOf(listenerArn) }))).Listeners ?? [];
  const targets = listeners.length ? listeners : [{ ListenerArn: listenerArn }];
  for (const listener of targets) {
    const origin = originRuleOf(await listRules(ctx, listener.ListenerArn!));
    if (origin) {
      await ctx.aws.elbv2.send(
        new ModifyRuleCommand({ RuleArn: origin.rule.RuleArn, Actions: forwardTo(targetGroupArns, weights, stickySeconds) }),
      );
      ctx.touch("elbv2:rule", origin.rule.RuleArn!, "updated");
    } else {
      await ctx.aws.elbv2.send(
        new ModifyListenerCommand({
          ListenerArn: listener.ListenerArn,
          DefaultActions: forwardTo(targetGroupArns, weights, stickySeconds),
        }),
      );
      ctx.touch("elbv2:listener", listener.ListenerArn!, "updated");
    }
  }
}
