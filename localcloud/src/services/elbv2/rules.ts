/**
 * Listener rules: CreateRule / DescribeRules / ModifyRule / SetRulePriorities / DeleteRule.
 *
 * The default rule is the listener's defaultActions (changed through ModifyListener only, as on
 * AWS: ModifyRule, SetRulePriorities and DeleteRule refuse it with OperationNotPermitted). Other
 * rules live on their listener, sorted by priority, so deleting a listener or load balancer
 * deletes them too and the data plane reads them in evaluation order on every request.
 */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { elbState, findRule, hex, type ListenerRecord, type RuleRecord, type Tag } from "./state.ts";
import { elbPages, elbTagRules, operationNotPermitted, ruleNotFound, validationError } from "./errors.ts";
import { normaliseActions } from "./actions.ts";
import { normaliseConditions, type ConditionInput } from "./conditions.ts";
import { checkForwardTargets, requireListener } from "./listeners.ts";
import { requireLoadBalancer } from "./load-balancers.ts";
import { refreshTargetGroupUsage } from "./health.ts";
import { checkTags } from "../../core/tags.ts";
import { pageOf } from "../../core/paging.ts";

/** AWS's quota: 100 rules per Application Load Balancer, default rules not counted. */
export const MAX_RULES_PER_LOAD_BALANCER = 100;
const MIN_PRIORITY = 1;
const MAX_PRIORITY = 50000;

type ActionInput = Record<string, unknown> & { Type: string };

const rulesOf = (l: ListenerRecord): RuleRecord[] => l.rules ?? [];

function sortRules(l: ListenerRecord) {
  l.rules = rulesOf(l).sort((a, b) => a.priority - b.priority);
}

function checkPriority(p: number | undefined): number {
  if (p === undefined) throw validationError("A rule priority must be specified");
  if (!Number.isInteger(p) || p < MIN_PRIORITY || p > MAX_PRIORITY) {
    throw validationError(
      `1 validation error detected: Value '${p}' at 'priority' failed to satisfy constraint: Member must have value between ${MIN_PRIORITY} and ${MAX_PRIORITY}`,
    );
  }
  return p;
}

const priorityInUse = (p: number) => new AwsError("PriorityInUse", `Priority '${p}' is currently in use`, 400);

function toRule(r: RuleRecord) {
  return { RuleArn: r.arn, Priority: String(r.priority), Conditions: r.conditions, Actions: r.actions, IsDefault: false };
}

function toDefaultRule(l: ListenerRecord) {
  return { RuleArn: l.defaultRuleArn, Priority: "default", Conditions: [], Actions: l.defaultActions, IsDefault: true };
}

/** A non-default rule by ARN; the default rule is refused with OperationNotPermitted (`what` names the operation). */
function requireRule(ctx: RequestContext, arn: string | undefined, what: string): { listener: ListenerRecord; rule: RuleRecord } {
  const found = arn ? findRule(elbState(ctx.cloud), arn, ctx.region) : undefined;
  if (!found) throw ruleNotFound(arn ? `Rule '${arn}' not found` : undefined);
  if (!found.rule)
    throw operationNotPermitted(`You cannot ${what} the default rule of a listener; use ModifyListener to change its actions`);
  return { listener: found.listener, rule: found.rule };
}

/** Validate actions for a rule of `listener`, with the same target group checks as listener default actions. */
function ruleActions(ctx: RequestContext, listener: ListenerRecord, actions: ActionInput[] | undefined) {
  const normalised = normaliseActions(actions, "rule");
  checkForwardTargets(ctx, requireLoadBalancer(ctx, listener.loadBalancerArn), normalised);
  return normalised;
}

export function createRule(
  input: { ListenerArn?: string; Conditions?: ConditionInput[]; Priority?: number; Actions?: ActionInput[]; Tags?: Tag[] },
  ctx: RequestContext,
) {
  const s = elbState(ctx.cloud);
  const listener = requireListener(ctx, input.ListenerArn);
  const priority = checkPriority(input.Priority);
  const conditions = normaliseConditions(input.Conditions);
  const tags = checkTags(input.Tags, elbTagRules);
  const actions = ruleActions(ctx, listener, input.Actions);
  if (rulesOf(listener).some((r) => r.priority === priority)) throw priorityInUse(priority);
  const onLoadBalancer = Object.values(s.listeners)
    .filter((l) => l.loadBalancerArn === listener.loadBalancerArn)
    .reduce((n, l) => n + rulesOf(l).length, 0);
  if (onLoadBalancer >= MAX_RULES_PER_LOAD_BALANCER)
    throw new AwsError("TooManyRules", `You've reached the limit of ${MAX_RULES_PER_LOAD_BALANCER} rules per load balancer`, 400);
  // listener-rule/app/<lb>/<lb id>/<listener id>/<rule id>: the listener's path plus a rule id.
  const arn = `${listener.arn.replace(":listener/", ":listener-rule/")}/${hex(16)}`;
  const rule: RuleRecord = { arn, priority, conditions, actions, tags };
  listener.rules = [...rulesOf(listener), rule];
  sortRules(listener);
  refreshTargetGroupUsage(ctx.cloud);
  ctx.cloud.markDirty();
  return { Rules: [toRule(rule)] };
}

export function describeRules(
  input: { ListenerArn?: string; RuleArns?: string[]; Marker?: string; PageSize?: number },
  ctx: RequestContext,
) {
  const s = elbState(ctx.cloud);
  if (input.ListenerArn && input.RuleArns?.length) throw validationError("Listener ARN and rule ARNs cannot be specified at the same time");
  let rules: Array<ReturnType<typeof toRule> | ReturnType<typeof toDefaultRule>>;
  if (input.RuleArns?.length) {
    rules = input.RuleArns.map((arn) => {
      const found = findRule(s, arn, ctx.region);
      if (!found) throw ruleNotFound(`Rule '${arn}' not found`);
      return found.rule ? toRule(found.rule) : toDefaultRule(found.listener);
    });
  } else if (input.ListenerArn) {
    // Evaluation order: by priority, the default rule last.
    const listener = requireListener(ctx, input.ListenerArn);
    rules = [...rulesOf(listener).map(toRule), toDefaultRule(listener)];
  } else throw validationError("You must specify either listener ARN or rule ARNs");
  const { items, next: nextMarker } = pageOf(rules, input.Marker, input.PageSize, elbPages("DescribeRules"));
  return { Rules: items, NextMarker: nextMarker };
}

export function modifyRule(input: { RuleArn?: string; Conditions?: ConditionInput[]; Actions?: ActionInput[] }, ctx: RequestContext) {
  const { listener, rule } = requireRule(ctx, input.RuleArn, "modify");
  if (input.Conditions === undefined && input.Actions === undefined)
    throw validationError("Either conditions or actions must be specified");
  // Validate everything before changing anything.
  const conditions = input.Conditions !== undefined ? normaliseConditions(input.Conditions) : rule.conditions;
  const actions = input.Actions !== undefined ? ruleActions(ctx, listener, input.Actions) : rule.actions;
  rule.conditions = conditions;
  rule.actions = actions;
  refreshTargetGroupUsage(ctx.cloud);
  ctx.cloud.markDirty();
  return { Rules: [toRule(rule)] };
}

export function setRulePriorities(input: { RulePriorities?: Array<{ RuleArn?: string; Priority?: number }> }, ctx: RequestContext) {
  const pairs = input.RulePriorities ?? [];
  if (pairs.length === 0) throw validationError("At least one rule priority must be specified");
  const seenArns = new Set<string>();
  const changes = pairs.map((p) => {
    const { listener, rule } = requireRule(ctx, p.RuleArn, "set the priority of");
    if (seenArns.has(rule.arn)) throw validationError(`Rule '${rule.arn}' was provided multiple times`);
    seenArns.add(rule.arn);
    return { listener, rule, priority: checkPriority(p.Priority) };
  });
  // The new priorities must be unique per listener, among themselves and against the rules left as they are.
  const byListener = new Map<ListenerRecord, Set<number>>();
  for (const c of changes) {
    const taken = byListener.get(c.listener) ?? new Set<number>();
    byListener.set(c.listener, taken);
    if (taken.has(c.priority)) throw validationError(`Priority '${c.priority}' was provided multiple times`);
    taken.add(c.priority);
  }
  for (const [listener, taken] of byListener) {
    const clash = rulesOf(listener).find((r) => !seenArns.has(r.arn) && taken.has(r.priority));
    if (clash) throw priorityInUse(clash.priority);
  }
  for (const c of changes) c.rule.priority = c.priority;
  for (const listener of byListener.keys()) sortRules(listener);
  ctx.cloud.markDirty();
  return { Rules: changes.map((c) => toRule(c.rule)) };
}

export function deleteRule(input: { RuleArn?: string }, ctx: RequestContext) {
  const { listener, rule } = requireRule(ctx, input.RuleArn, "delete");
  listener.rules = rulesOf(listener).filter((r) => r !== rule);
  refreshTargetGroupUsage(ctx.cloud);
  ctx.cloud.markDirty();
  return {};
}
