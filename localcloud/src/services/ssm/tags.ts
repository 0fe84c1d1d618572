/** Parameter tags: AddTagsToResource / ListTagsForResource / RemoveTagsFromResource (ResourceType Parameter). */
import { checkTags, mergeTags, type TagInput, withoutKeys } from "../../core/tags.ts";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { type ParameterRecord, paramKey, ssmState, ssmTagRules } from "./state.ts";

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

export function addTagsToResource(input: { ResourceType?: string; ResourceId?: string; Tags?: TagInput[] }, ctx: RequestContext) {
  const p = requireParameter(input, ctx);
  p.tags = mergeTags(p.tags, checkTags(input.Tags, ssmTagRules), ssmTagRules);
  ctx.cloud.markDirty();
  return {};
}

export function listTagsForResource(input: { ResourceType?: string; ResourceId?: string }, ctx: RequestContext) {
  return { TagList: requireParameter(input, ctx).tags };
}

export function removeTagsFromResource(input: { ResourceType?: string; ResourceId?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const p = requireParameter(input, ctx);
  p.tags = withoutKeys(p.tags, input.TagKeys);
  ctx.cloud.markDirty();
  return {};
}
