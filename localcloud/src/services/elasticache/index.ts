/**
 * Amazon ElastiCache (Valkey and Redis OSS, cluster mode disabled): cache subnet groups,
 * replication groups with a primary and replicas spread over the subnet group's AZs, their
 * lifecycles (creating, modifying, TestFailover's promotion of a replica, deleting), events,
 * tags, and IAM resource ARNs and tags for enforcement.
 */
import { registerResourceArns, registerResourceTags } from "../../core/authz/index.ts";
import type { CloudApi, ServiceModule } from "../../core/types.ts";
import { createReplicationGroup } from "./create-replication-group.ts";
import { describeEvents } from "./events.ts";
import { tickElastiCache } from "./lifecycle.ts";
import {
  deleteReplicationGroup,
  describeCacheClusters,
  describeReplicationGroups,
  modifyReplicationGroup,
  testFailover,
} from "./replication-groups.ts";
import { elastiCacheState, initialElastiCacheState, type ReplicationGroupRecord } from "./state.ts";
import { createCacheSubnetGroup, deleteCacheSubnetGroup, describeCacheSubnetGroups } from "./subnet-groups.ts";
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from "./tags.ts";

export type { ReplicationGroupRecord, CacheNodeRecord } from "./state.ts";
export { NODE_TYPES } from "./catalog.ts";

/** Every replication group of every region, for the metrics generator. */
export function listReplicationGroups(cloud: CloudApi): ReplicationGroupRecord[] {
  return Object.values(elastiCacheState(cloud).replicationGroups);
}

registerResourceArns("elasticache", (operation, input, ctx) => {
  if (/^(Describe|List)/.test(operation)) return undefined;
  const arn = (type: string, id: unknown) =>
    typeof id === "string" ? [`arn:aws:elasticache:${ctx.region}:${ctx.accountId}:${type}:${id}`] : [];
  const arns = [
    ...arn("replicationgroup", input.ReplicationGroupId),
    ...arn("subnetgroup", input.CacheSubnetGroupName),
    ...(typeof input.ResourceName === "string" ? [input.ResourceName] : []),
  ];
  return arns.length ? arns : undefined;
});

registerResourceTags("elasticache", (cloud, arn) => {
  const m = /^arn:aws:elasticache:([^:]+):\d+:(replicationgroup|subnetgroup|cluster):(.+)$/.exec(arn);
  if (!m) return undefined;
  const s = elastiCacheState(cloud);
  const k = `${m[1]}/${m[3].toLowerCase()}`;
  const tags =
    m[2] === "replicationgroup"
      ? s.replicationGroups[k]?.tags
      : m[2] === "subnetgroup"
        ? s.subnetGroups[k]?.tags
        : Object.values(s.replicationGroups)
            .flatMap((rg) => rg.nodes)
            .find((n) => n.clusterId === m[3].toLowerCase())?.tags;
  return tags ? Object.fromEntries(tags.map((t) => [t.Key, t.Value ?? ""])) : undefined;
});

const service: ServiceModule = {
  name: "elasticache",
  initialState: initialElastiCacheState,
  handlers: {
    CreateCacheSubnetGroup: createCacheSubnetGroup,
    DescribeCacheSubnetGroups: describeCacheSubnetGroups,
    DeleteCacheSubnetGroup: deleteCacheSubnetGroup,
    CreateReplicationGroup: createReplicationGroup,
    DescribeReplicationGroups: describeReplicationGroups,
    DescribeCacheClusters: describeCacheClusters,
    ModifyReplicationGroup: modifyReplicationGroup,
    DeleteReplicationGroup: deleteReplicationGroup,
    TestFailover: testFailover,
    DescribeEvents: describeEvents,
    AddTagsToResource: addTagsToResource,
    ListTagsForResource: listTagsForResource,
    RemoveTagsFromResource: removeTagsFromResource,
  },
  tick: tickElastiCache,
};
export default service;
