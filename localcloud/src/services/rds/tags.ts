/** AddTagsToResource / ListTagsForResource / RemoveTagsFromResource for DB instances and subnet groups (by ARN). */
import type { RequestContext } from "../../core/types.ts";
import { key, rdsState, type Tag } from "./state.ts";
import { checkTags, mergeTags, withoutKeys } from "../../core/tags.ts";
import { dbInstanceNotFound, dbSubnetGroupNotFound, invalidParameterValue, rdsTagRules } from "./errors.ts";

/** The tag list behind an RDS ARN of the caller's region. */
function tagHolder(ctx: RequestContext, arn: string | undefined): { tags: Tag[] } {
  const parts = (arn ?? "").split(":");
  if (parts.length < 7 || parts[0] !== "arn" || parts[2] !== "rds")
    throw invalidParameterValue(`The specified resource name does not match an RDS resource in this region.`);
  const [region, , type, ...rest] = parts.slice(3);
  const name = rest.join(":");
  const s = rdsState(ctx.cloud);
  if (type === "db") {
    const db = region === ctx.region ? s.instances[key(region, name)] : undefined;
    if (!db) throw dbInstanceNotFound(name);
    return db;
  }
  if (type === "subgrp") {
    const g = region === ctx.region ? s.subnetGroups[key(region, name)] : undefined;
    if (!g) throw dbSubnetGroupNotFound(name);
    return g;
  }
  throw invalidParameterValue(`The specified resource name does not match an RDS resource in this region.`);
}

export function addTagsToResource(input: { ResourceName?: string; Tags?: Tag[] }, ctx: RequestContext) {
  const holder = tagHolder(ctx, input.ResourceName);
  holder.tags = mergeTags(holder.tags, checkTags(input.Tags, rdsTagRules), rdsTagRules);
  ctx.cloud.markDirty();
  return {};
}

export function removeTagsFromResource(input: { ResourceName?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const holder = tagHolder(ctx, input.ResourceName);
  holder.tags = withoutKeys(holder.tags, input.TagKeys);
  ctx.cloud.markDirty();
  return {};
}

export function listTagsForResource(input: { ResourceName?: string }, ctx: RequestContext) {
  return { TagList: tagHolder(ctx, input.ResourceName).tags };
}
