/** Group tags: CreateOrUpdateTags, DeleteTags, DescribeTags. Tags with PropagateAtLaunch go onto new instances. */
import type { RequestContext } from "../../core/types.ts";
import { AwsError } from "../../core/types.ts";
import { applyFilters } from "../ec2/filters.ts";
import { groupTagsOut } from "./group-view.ts";
import { paginateRecords } from "./paging.ts";
import { findGroup, regionGroups, validationError, type GroupTag } from "./state.ts";

type TagInput = { Key?: string; Value?: string; PropagateAtLaunch?: boolean; ResourceId?: string; ResourceType?: string };

const MAX_TAGS = 50;

export function validateGroupTags(tags: TagInput[], groupName: string): GroupTag[] {
  const byKey = new Map<string, GroupTag>();
  for (const tag of tags) {
    if (!tag.Key) throw validationError("Tag key cannot be null or empty.");
    if (tag.Key.length > 128) throw validationError("Tag key exceeds the maximum length of 128 characters.");
    if (tag.Key.toLowerCase().startsWith("aws:")) throw validationError("Tag keys starting with 'aws:' are reserved for internal use.");
    if (tag.ResourceId !== undefined && tag.ResourceId !== groupName) {
      throw validationError(`Tag ResourceId ${tag.ResourceId} does not match the group ${groupName}.`);
    }
    byKey.set(tag.Key, { Key: tag.Key, Value: tag.Value ?? "", PropagateAtLaunch: tag.PropagateAtLaunch ?? false });
  }
  if (byKey.size > MAX_TAGS) throw new AwsError("LimitExceeded", `The number of tags exceeds the limit of ${MAX_TAGS}.`);
  return [...byKey.values()];
}

function byGroup(tags: TagInput[]): Map<string, TagInput[]> {
  const groups = new Map<string, TagInput[]>();
  for (const tag of tags) {
    if (tag.ResourceType !== undefined && tag.ResourceType !== "auto-scaling-group") {
      throw validationError(`Invalid resource type ${tag.ResourceType}; only auto-scaling-group is supported.`);
    }
    const id = tag.ResourceId ?? "";
    groups.set(id, [...(groups.get(id) ?? []), tag]);
  }
  return groups;
}

export function CreateOrUpdateTags(input: { Tags?: TagInput[] }, ctx: RequestContext) {
  const changes = [...byGroup(input.Tags ?? [])].map(([name, tags]) => ({ group: findGroup(ctx.cloud, ctx.region, name), tags }));
  for (const { group, tags } of changes) {
    const merged = new Map(group.Tags.map((t) => [t.Key, t]));
    for (const tag of validateGroupTags(tags, group.AutoScalingGroupName)) merged.set(tag.Key, tag);
    if (merged.size > MAX_TAGS) throw new AwsError("LimitExceeded", `The number of tags exceeds the limit of ${MAX_TAGS}.`);
    group.Tags = [...merged.values()];
  }
  ctx.cloud.markDirty();
  return {};
}

export function DeleteTags(input: { Tags?: TagInput[] }, ctx: RequestContext) {
  for (const [name, tags] of byGroup(input.Tags ?? [])) {
    const group = findGroup(ctx.cloud, ctx.region, name);
    group.Tags = group.Tags.filter((t) => !tags.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value)));
  }
  ctx.cloud.markDirty();
  return {};
}

export function DescribeTags(
  input: { Filters?: Array<{ Name?: string; Values?: string[] }>; MaxRecords?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const all = regionGroups(ctx.cloud, ctx.region)
    .sort((a, b) => a.AutoScalingGroupName.localeCompare(b.AutoScalingGroupName))
    .flatMap(groupTagsOut);
  const filtered = applyFilters(all, input.Filters, {
    "auto-scaling-group": (t) => t.ResourceId,
    key: (t) => t.Key,
    value: (t) => t.Value,
    "propagate-at-launch": (t) => String(t.PropagateAtLaunch),
  });
  const { page, NextToken } = paginateRecords(filtered, "DescribeTags", input);
  return { Tags: page, NextToken };
}
