/** Tagging of distributions by ARN (TagResource / UntagResource / ListTagsForResource), plus the checks CreateDistributionWithTags shares. */
import type { RequestContext } from "../../core/types.ts";
import { invalidTagging, noSuchResource } from "./errors.ts";
import { cfState, type StoredDistribution } from "./state.ts";

type Tag = { Key: string; Value?: string };

const TAG_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAGS = 50;

export function validateTags(tags: Tag[]): Array<{ Key: string; Value: string }> {
  for (const t of tags) {
    if (!t.Key || t.Key.length > 128 || !TAG_PATTERN.test(t.Key)) throw invalidTagging(`Invalid tag key: ${t.Key ?? ""}`);
    const value = t.Value ?? "";
    if (value.length > 256 || !TAG_PATTERN.test(value)) throw invalidTagging(`Invalid tag value for key ${t.Key}`);
  }
  return tags.map((t) => ({ Key: t.Key, Value: t.Value ?? "" }));
}

function byArn(ctx: RequestContext, arn: string | undefined): StoredDistribution {
  const d = Object.values(cfState(ctx.cloud).distributions).find((x) => x.arn === arn);
  if (!d) throw noSuchResource(arn ?? "");
  return d;
}

export function mergeTags(current: Array<{ Key: string; Value: string }>, added: Array<{ Key: string; Value: string }>) {
  const out = current.map((t) => ({ ...t }));
  for (const t of added) {
    const existing = out.find((x) => x.Key === t.Key);
    if (existing) existing.Value = t.Value;
    else out.push({ ...t });
  }
  if (out.length > MAX_TAGS) throw invalidTagging(`A resource can have at most ${MAX_TAGS} tags.`);
  return out;
}

export function tagResource(input: { Resource?: string; Tags?: { Items?: Tag[] } }, ctx: RequestContext) {
  const d = byArn(ctx, input.Resource);
  d.tags = mergeTags(d.tags, validateTags(input.Tags?.Items ?? []));
  ctx.cloud.markDirty();
  return {};
}

export function untagResource(input: { Resource?: string; TagKeys?: { Items?: string[] } }, ctx: RequestContext) {
  const d = byArn(ctx, input.Resource);
  const drop = new Set(input.TagKeys?.Items ?? []);
  d.tags = d.tags.filter((t) => !drop.has(t.Key));
  ctx.cloud.markDirty();
  return {};
}

export function listTagsForResource(input: { Resource?: string }, ctx: RequestContext) {
  const d = byArn(ctx, input.Resource);
  return { Tags: d.tags.length ? { Items: d.tags.map((t) => ({ ...t })) } : {} };
}
