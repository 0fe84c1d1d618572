/** Tags at creation (TagSpecifications) and the tag list every describe returns. */
import { checkTags, mergeTags, type TagInput } from "../../core/tags.ts";
import { AwsError } from "../../core/types.ts";
import { ec2TagRules } from "./errors.ts";
import type { Tag } from "./state.ts";

export interface TagSpecification {
  ResourceType?: string;
  Tags?: TagInput[];
}

/** The caller's tags, checked; `allowReserved` lets "aws:" keys through (a launch template's instance tags). */
export function validateTags(tags: TagInput[], allowReserved = false): Tag[] {
  return checkTags(tags, allowReserved ? { ...ec2TagRules, reserved: [] } : ec2TagRules);
}

/**
 * Tags from the specifications naming `resourceType`. A specification for a type the
 * operation does not create is an error, except for the extra types RunInstances accepts.
 */
export function tagsFromSpecifications(specs: TagSpecification[] | undefined, resourceType: string, alsoAccepted: string[] = []): Tag[] {
  const tags: Tag[] = [];
  for (const spec of specs ?? []) {
    if (spec.ResourceType === resourceType) {
      tags.push(...validateTags(spec.Tags ?? []));
    } else if (!alsoAccepted.includes(spec.ResourceType ?? "")) {
      throw new AwsError("InvalidParameterValue", `'${spec.ResourceType ?? ""}' is not a valid taggable resource type for this operation.`);
    }
  }
  return mergeTags([], tags, ec2TagRules);
}

export function tagsOut(tags: Tag[]): Tag[] | undefined {
  return tags.length > 0 ? tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined;
}
