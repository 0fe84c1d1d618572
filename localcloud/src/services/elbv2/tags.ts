/** AddTags / RemoveTags / DescribeTags over load balancers, target groups, listeners and rules. */
import type { RequestContext } from "../../core/types.ts";
import { elbState, findRule, type Tag } from "./state.ts";
import { checkTags, mergeTags, withoutKeys } from "../../core/tags.ts";
import { elbTagRules, listenerNotFound, loadBalancerNotFound, ruleNotFound, targetGroupNotFound, validationError } from "./errors.ts";

const MAX_ARNS = 20;

/** The tag list of the resource an ARN names (for the caller's region), or the resource's typed not-found error. */
function tagsOf(ctx: RequestContext, arn: string): { get: () => Tag[]; set: (tags: Tag[]) => void } {
  const s = elbState(ctx.cloud);
  const sameRegion = arn.split(":")[3] === ctx.region;
  if (arn.includes(":loadbalancer/")) {
    const lb = sameRegion ? s.loadBalancers[arn] : undefined;
    if (!lb) throw loadBalancerNotFound(`Load balancer '${arn}' not found`);
    return { get: () => lb.tags, set: (t) => (lb.tags = t) };
  }
  if (arn.includes(":targetgroup/")) {
    const tg = sameRegion ? s.targetGroups[arn] : undefined;
    if (!tg) throw targetGroupNotFound(`Target group '${arn}' not found`);
    return { get: () => tg.tags, set: (t) => (tg.tags = t) };
  }
  if (arn.includes(":listener-rule/")) {
    const found = sameRegion ? findRule(s, arn, ctx.region) : undefined;
    if (!found) throw ruleNotFound(`Rule '${arn}' not found`);
    const { listener, rule } = found;
    // The default rule's tags live on its listener; other rules carry their own.
    if (!rule) return { get: () => listener.ruleTags, set: (t) => (listener.ruleTags = t) };
    return { get: () => rule.tags, set: (t) => (rule.tags = t) };
  }
  if (arn.includes(":listener/")) {
    const listener = sameRegion ? s.listeners[arn] : undefined;
    if (!listener) throw listenerNotFound(`Listener '${arn}' not found`);
    return { get: () => listener.tags, set: (t) => (listener.tags = t) };
  }
  throw validationError(`'${arn}' is not a valid load balancer, target group, listener or rule ARN`);
}

function checkArnCount(arns: string[] | undefined): string[] {
  const list = arns ?? [];
  if (list.length === 0) throw validationError("ResourceArns must contain at least one ARN");
  if (list.length > MAX_ARNS)
    throw validationError(
      `1 validation error detected: Value at 'resourceArns' failed to satisfy constraint: Member must have length less than or equal to ${MAX_ARNS}`,
    );
  return list;
}

export function addTags(input: { ResourceArns?: string[]; Tags?: Tag[] }, ctx: RequestContext) {
  const arns = checkArnCount(input.ResourceArns);
  const incoming = checkTags(input.Tags, elbTagRules);
  if (incoming.length === 0) throw validationError("Tags must contain at least one tag");
  const targets = arns.map((arn) => tagsOf(ctx, arn));
  // Check every resource first so a failure changes nothing.
  const merged = targets.map((t) => mergeTags(t.get(), incoming, elbTagRules));
  targets.forEach((t, i) => t.set(merged[i]));
  ctx.cloud.markDirty();
  return {};
}

export function removeTags(input: { ResourceArns?: string[]; TagKeys?: string[] }, ctx: RequestContext) {
  const arns = checkArnCount(input.ResourceArns);
  const targets = arns.map((arn) => tagsOf(ctx, arn));
  for (const t of targets) t.set(withoutKeys(t.get(), input.TagKeys));
  ctx.cloud.markDirty();
  return {};
}

export function describeTags(input: { ResourceArns?: string[] }, ctx: RequestContext) {
  const arns = checkArnCount(input.ResourceArns);
  return { TagDescriptions: arns.map((arn) => ({ ResourceArn: arn, Tags: tagsOf(ctx, arn).get() })) };
}
