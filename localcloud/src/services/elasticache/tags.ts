/** AddTagsToResource / ListTagsForResource / RemoveTagsFromResource for replication groups, their clusters and subnet groups (by ARN). */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { checkTags, mergeTags, withoutKeys } from "../../core/tags.ts";
import { cacheClusterNotFound, cacheSubnetGroupNotFound, cacheTagRules, replicationGroupNotFound } from "./errors.ts";
import { elastiCacheState, key, type Tag } from "./state.ts";

/** The caller's tags checked against ElastiCache's limits. */
export function validateTags(tags: Tag[] | undefined): Tag[] {
  return checkTags(tags, cacheTagRules);
}

/** The record holding the tags behind an ElastiCache ARN of the caller's region and account. */
export function tagHolder(ctx: RequestContext, arn: string | undefined): { tags: Tag[] } {
  const m = /^arn:aws:elasticache:([a-z0-9-]+):(\d{12}):(replicationgroup|cluster|subnetgroup):(.+)$/.exec(arn ?? "");
  if (!m) throw new AwsError("InvalidARN", `${arn} is not a valid ARN.`);
  const [, region, account, type, id] = m;
  const s = elastiCacheState(ctx.cloud);
  const here = region === ctx.region && account === ctx.accountId;
  if (type === "replicationgroup") {
    const rg = here ? s.replicationGroups[key(region, id)] : undefined;
    if (!rg) throw replicationGroupNotFound(id);
    return rg;
  }
  if (type === "subnetgroup") {
    const g = here ? s.subnetGroups[key(region, id)] : undefined;
    if (!g) throw cacheSubnetGroupNotFound(id);
    return g;
  }
  const node = here
    ? Object.values(s.replicationGroups)
        .filter((rg) => rg.region === region)
        .flatMap((rg) => rg.nodes)
        .find((n) => n.clusterId === id.toLowerCase())
    : undefined;
  if (!node) throw cacheClusterNotFound(id);
  return node;
}

export function addTagsToResource(input: { ResourceName?: string; Tags?: Tag[] }, ctx: RequestContext) {
  const holder = tagHolder(ctx, input.ResourceName);
  holder.tags = mergeTags(holder.tags, validateTags(input.Tags), cacheTagRules);
  ctx.cloud.markDirty();
  return { TagList: holder.tags };
}

export function removeTagsFromResource(input: { ResourceName?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const holder = tagHolder(ctx, input.ResourceName);
  const keys = new Set(input.TagKeys ?? []);
  const missing = [...keys].find((k) => !holder.tags.some((t) => t.Key === k));
  if (missing) throw new AwsError("TagNotFound", `Tag ${missing} not found.`);
  holder.tags = withoutKeys(holder.tags, keys);
  ctx.cloud.markDirty();
  return { TagList: holder.tags };
}

export function listTagsForResource(input: { ResourceName?: string }, ctx: RequestContext) {
  return { TagList: tagHolder(ctx, input.ResourceName).tags };
}
