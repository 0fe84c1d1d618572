/** Tagging of distributions by ARN (TagResource / UntagResource / ListTagsForResource), plus the checks CreateDistributionWithTags shares. */
import { checkTags, mergeTags, type TagInput, type TagRules, withoutKeys } from "../../core/tags.ts";
import type { RequestContext } from "../../core/types.ts";
import { invalidTagging, noSuchResource } from "./errors.ts";
import { cfState, type StoredDistribution } from "./state.ts";

/** CloudFront tags: AWS's tag characters; InvalidTagging for a bad tag or more than 50; "aws:" keys are not refused. */
export const cfTagRules: TagRules = {
  invalid: invalidTagging,
  tooMany: (max) => invalidTagging(`A resource can have at most ${max} tags.`),
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  reserved: [],
};

function byArn(ctx: RequestContext, arn: string | undefined): StoredDistribution {
  const d = Object.values(cfState(ctx.cloud).distributions).find((x) => x.arn === arn);
  if (!d) throw noSuchResource(arn ?? "");
  return d;
}

export function tagResource(input: { Resource?: string; Tags?: { Items?: TagInput[] } }, ctx: RequestContext) {
  const d = byArn(ctx, input.Resource);
  d.tags = mergeTags(d.tags, checkTags(input.Tags?.Items, cfTagRules), cfTagRules);
  ctx.cloud.markDirty();
  return {};
}

export function untagResource(input: { Resource?: string; TagKeys?: { Items?: string[] } }, ctx: RequestContext) {
  const d = byArn(ctx, input.Resource);
  d.tags = withoutKeys(d.tags, input.TagKeys?.Items);
  ctx.cloud.markDirty();
  return {};
}

export function listTagsForResource(input: { Resource?: string }, ctx: RequestContext) {
  const d = byArn(ctx, input.Resource);
  return { Tags: d.tags.length ? { Items: d.tags.map((t) => ({ ...t })) } : {} };
}
