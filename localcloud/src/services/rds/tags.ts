/** AddTagsToResource / ListTagsForResource / RemoveTagsFromResource for DB instances and subnet groups (by ARN). */
import type { RequestContext } from "../../core/types.ts";
import { key, rdsState, type Tag } from "./state.ts";
import { dbInstanceNotFound, dbSubnetGroupNotFound, invalidParameterValue } from "./errors.ts";
import { AwsError } from "../../core/types.ts";

const MAX_TAGS = 50;

export function validateRdsTags(tags: Tag[] | undefined): Tag[] {
  const list = tags ?? [];
  for (const t of list) {
    if (!t.Key) throw invalidParameterValue("Tag keys must not be empty");
    if (t.Key.length > 128 || (t.Value ?? "").length > 256) throw invalidParameterValue(`Tag '${t.Key}' is too long`);
    if (t.Key.toLowerCase().startsWith("aws:") || t.Key.toLowerCase().startsWith("rds:"))
      throw invalidParameterValue("Tag keys must not start with 'aws:' or 'rds:'");
  }
  // A later duplicate overrides an earlier one, as AWS does.
  const byKey = new Map(list.map((t) => [t.Key, { Key: t.Key, Value: t.Value ?? "" }] as const));
  if (byKey.size > MAX_TAGS) throw new AwsError("TagQuotaPerResourceExceeded", `Cannot have more than ${MAX_TAGS} tags per resource`, 400);
  return [...byKey.values()];
}

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
  const byKey = new Map(holder.tags.map((t) => [t.Key, t] as const));
  for (const t of validateRdsTags(input.Tags)) byKey.set(t.Key, t);
  if (byKey.size > MAX_TAGS) throw new AwsError("TagQuotaPerResourceExceeded", `Cannot have more than ${MAX_TAGS} tags per resource`, 400);
  holder.tags = [...byKey.values()];
  ctx.cloud.markDirty();
  return {};
}

export function removeTagsFromResource(input: { ResourceName?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const holder = tagHolder(ctx, input.ResourceName);
  const keys = new Set(input.TagKeys ?? []);
  holder.tags = holder.tags.filter((t) => !keys.has(t.Key));
  ctx.cloud.markDirty();
  return {};
}

export function listTagsForResource(input: { ResourceName?: string }, ctx: RequestContext) {
  return { TagList: tagHolder(ctx, input.ResourceName).tags };
}
