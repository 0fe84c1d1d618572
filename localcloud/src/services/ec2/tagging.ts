/** Tags at creation (TagSpecifications) and the tag list every describe returns. */
import { AwsError } from "../../core/types.ts";
import type { Tag } from "./state.ts";

export interface TagSpecification {
  ResourceType?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
}

export function validateTags(tags: Array<{ Key?: string; Value?: string }>, allowReserved = false): Tag[] {
  return tags.map((tag) => {
    const key = tag.Key ?? "";
    if (key === "") throw new AwsError("InvalidParameterValue", "Tag key cannot be null or empty");
    if (key.length > 128) throw new AwsError("InvalidParameterValue", `Tag key exceeds the maximum length of 128 characters`);
    if ((tag.Value ?? "").length > 256)
      throw new AwsError("InvalidParameterValue", `Tag value exceeds the maximum length of 256 characters`);
    if (!allowReserved && key.toLowerCase().startsWith("aws:")) {
      throw new AwsError("InvalidParameterValue", "Tag keys starting with 'aws:' are reserved for internal use");
    }
    return { Key: key, Value: tag.Value ?? "" };
  });
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
  return mergeTags([], tags);
}

/** Later tags win on the same key, as CreateTags overwrites. */
export function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const tag of added) byKey.set(tag.Key, tag.Value);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

export function tagsOut(tags: Tag[]): Tag[] | undefined {
  return tags.length > 0 ? tags.map((t) => ({ Key: t.Key, Value: t.Value })) : undefined;
}
