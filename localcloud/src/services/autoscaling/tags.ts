/** Group tags: CreateOrUpdateTags, DeleteTags, DescribeTags. Tags with PropagateAtLaunch go onto new instances. */
import type { RequestContext } from "../../core/types.ts";
import { checkTags, mergeTags } from "../../core/tags.ts";
import { applyFilters } from "../ec2/filters.ts";
import { groupTagsOut } from "./group-view.ts";
import { pageOf } from "../../core/paging.ts";
import { asgPages, asgTagRules, findGroup, type GroupTag, regionGroups, validationError } from "./state.ts";

type TagInput = { Key?: string; Value?: string; PropagateAtLaunch?: boolean; ResourceId?: string; ResourceType?: string };

export function validateGroupTags(tags: TagInput[], groupName: string): GroupTag[] {
  for (const tag of tags) {
    if (tag.ResourceId !== undefined && tag.ResourceId !== groupName) {
      throw validationError(`Tag ResourceId ${tag.ResourceId} does not match the group ${groupName}.`);
    }
  }
  // A repeated key keeps its later value and its later PropagateAtLaunch.
  const propagate = new Map(tags.map((t) => [t.Key, t.PropagateAtLaunch ?? false] as const));
  return checkTags(tags, asgTagRules).map((t) => ({ ...t, PropagateAtLaunch: propagate.get(t.Key) ?? false }));
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

export function createOrUpdateTags(input: { Tags?: TagInput[] }, ctx: RequestContext) {
  const changes = [...byGroup(input.Tags ?? [])].map(([name, tags]) => ({ group: findGroup(ctx.cloud, ctx.region, name), tags }));
  for (const { group, tags } of changes) {
    group.Tags = mergeTags(group.Tags, validateGroupTags(tags, group.AutoScalingGroupName), asgTagRules);
  }
  ctx.cloud.markDirty();
  return {};
}

export function deleteTags(input: { Tags?: TagInput[] }, ctx: RequestContext) {
  for (const [name, tags] of byGroup(input.Tags ?? [])) {
    const group = findGroup(ctx.cloud, ctx.region, name);
    group.Tags = group.Tags.filter((t) => !tags.some((d) => d.Key === t.Key && (d.Value === undefined || d.Value === t.Value)));
  }
  ctx.cloud.markDirty();
  return {};
}

export function describeTags(
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
  const { items: page, next: NextToken } = pageOf(filtered, input.NextToken, input.MaxRecords, asgPages("DescribeTags"));
  return { Tags: page, NextToken };
}
