/** Parameter tags: AddTagsToResource / ListTagsForResource / RemoveTagsFromResource (ResourceType Parameter). */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { paramKey, ssmState, validation, type ParameterRecord, type Tag } from "./state.ts";

const MAX_TAGS = 50;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function validateTags(tags: Array<{ Key?: string; Value?: string }> | undefined): Tag[] {
  const out: Tag[] = [];
  for (const t of tags ?? []) {
    const key = t.Key ?? "";
    const value = t.Value ?? "";
    if (key.length < 1 || key.length > 128 || !TAG_TEXT.test(key)) throw validation(`Invalid tag key: ${key}`);
    if (value.length > 256 || !TAG_TEXT.test(value)) throw validation(`Invalid tag value: ${value}`);
    if (key.toLowerCase().startsWith("aws:")) throw validation("Tag keys can't start with the reserved prefix aws:");
    out.push({ Key: key, Value: value });
  }
  if (out.length > MAX_TAGS) throw new AwsError("TooManyTagsError", `A resource can have at most ${MAX_TAGS} tags.`);
  return out;
}

/** Only parameters are taggable here; any other resource type is refused as AWS refuses an unknown id. */
function requireParameter(input: { ResourceType?: string; ResourceId?: string }, ctx: RequestContext): ParameterRecord {
  if (input.ResourceType !== "Parameter") {
    throw new AwsError(
      "InvalidResourceType",
      `The resource type ${input.ResourceType} is not supported by the local cloud (only Parameter).`,
    );
  }
  const p = ssmState(ctx.cloud).parameters[paramKey(ctx.region, input.ResourceId ?? "")];
  if (!p) throw new AwsError("InvalidResourceId", "The resource ID is not valid. Verify that the resource ID is correct and try again.");
  return p;
}

export function addTagsToResource(
  input: { ResourceType?: string; ResourceId?: string; Tags?: Array<{ Key?: string; Value?: string }> },
  ctx: RequestContext,
) {
  const p = requireParameter(input, ctx);
  const merged = [...p.tags];
  for (const t of validateTags(input.Tags)) {
    const i = merged.findIndex((m) => m.Key === t.Key);
    if (i >= 0) merged[i] = t;
    else merged.push(t);
  }
  if (merged.length > MAX_TAGS) throw new AwsError("TooManyTagsError", `A resource can have at most ${MAX_TAGS} tags.`);
  p.tags = merged;
  ctx.cloud.markDirty();
  return {};
}

export function listTagsForResource(input: { ResourceType?: string; ResourceId?: string }, ctx: RequestContext) {
  return { TagList: requireParameter(input, ctx).tags };
}

export function removeTagsFromResource(input: { ResourceType?: string; ResourceId?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const p = requireParameter(input, ctx);
  const keys = new Set(input.TagKeys ?? []);
  p.tags = p.tags.filter((t) => !keys.has(t.Key));
  ctx.cloud.markDirty();
  return {};
}
