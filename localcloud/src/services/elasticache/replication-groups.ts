/** DescribeReplicationGroups, DescribeCacheClusters, ModifyReplicationGroup (minimal), DeleteReplicationGroup, TestFailover. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { NODE_TYPES } from "./catalog.ts";
import { checkFailoverCombination, checkSecurityGroups } from "./create-replication-group.ts";
import {
  cacheClusterNotFound,
  invalidParameterCombination,
  invalidParameterValue,
  invalidReplicationGroupState,
  pageRecords,
  replicationGroupNotFound,
} from "./errors.ts";
import { recordEvent } from "./events.ts";
import { DELETING_SECONDS, enterPhase, FAILOVER_SECONDS, MODIFY_SECONDS, NODE_TYPE_MODIFY_SECONDS, promotionTarget } from "./lifecycle.ts";
import { elastiCacheState, key, type ReplicationGroupRecord } from "./state.ts";
import { requireSubnetGroup } from "./subnet-groups.ts";
import { toCacheCluster, toReplicationGroup } from "./views.ts";

export function requireGroup(ctx: RequestContext, id: string | undefined): ReplicationGroupRecord {
  const rg = id ? elastiCacheState(ctx.cloud).replicationGroups[key(ctx.region, id)] : undefined;
  if (!rg) throw replicationGroupNotFound(id ?? "");
  return rg;
}

const groupsOf = (ctx: RequestContext) =>
  Object.values(elastiCacheState(ctx.cloud).replicationGroups).filter((rg) => rg.region === ctx.region);

export function describeReplicationGroups(
  input: { ReplicationGroupId?: string; MaxRecords?: number; Marker?: string },
  ctx: RequestContext,
) {
  const groups = input.ReplicationGroupId ? [requireGroup(ctx, input.ReplicationGroupId)] : groupsOf(ctx);
  const { items, marker } = pageRecords(groups, input.Marker, input.MaxRecords, "DescribeReplicationGroups");
  return { ReplicationGroups: items.map((rg) => toReplicationGroup(rg)), Marker: marker };
}

export function describeCacheClusters(
  input: {
    CacheClusterId?: string;
    MaxRecords?: number;
    Marker?: string;
    ShowCacheNodeInfo?: boolean;
    ShowCacheClustersNotInReplicationGroups?: boolean;
  },
  ctx: RequestContext,
) {
  // Every cluster here belongs to a replication group.
  let clusters = input.ShowCacheClustersNotInReplicationGroups ? [] : groupsOf(ctx).flatMap((rg) => rg.nodes.map((n) => ({ rg, n })));
  if (input.CacheClusterId) {
    const id = input.CacheClusterId.toLowerCase();
    clusters = clusters.filter((c) => c.n.clusterId === id);
    if (!clusters.length) throw cacheClusterNotFound(input.CacheClusterId);
  }
  const { items, marker } = pageRecords(clusters, input.Marker, input.MaxRecords, "DescribeCacheClusters");
  return {
    CacheClusters: items.map(({ rg, n }) => toCacheCluster(rg, n.clusterId, ctx.accountId, input.ShowCacheNodeInfo ?? false)),
    Marker: marker,
  };
}

function requireAvailable(rg: ReplicationGroupRecord, doing: string) {
  if (rg.status !== "available")
    throw invalidReplicationGroupState(`Replication group ${rg.id} must be in available state to ${doing}; it is ${rg.status}.`);
}

interface ModifyInput {
  ReplicationGroupId?: string;
  ReplicationGroupDescription?: string;
  AutomaticFailoverEnabled?: boolean;
  MultiAZEnabled?: boolean;
  SecurityGroupIds?: string[];
  CacheNodeType?: string;
  PrimaryClusterId?: string;
  SnapshotRetentionLimit?: number;
  ApplyImmediately?: boolean;
}

export function modifyReplicationGroup(input: ModifyInput, ctx: RequestContext) {
  const rg = requireGroup(ctx, input.ReplicationGroupId);
  requireAvailable(rg, "be modified");
  const automaticFailover = input.AutomaticFailoverEnabled ?? rg.automaticFailover;
  const multiAZ = input.MultiAZEnabled ?? (input.AutomaticFailoverEnabled === false ? false : rg.multiAZ);
  if (input.AutomaticFailoverEnabled === false && input.MultiAZEnabled === true)
    throw invalidParameterCombination("Multi-AZ can only be enabled when AutomaticFailoverEnabled is true.");
  checkFailoverCombination(rg.nodes.length, automaticFailover, multiAZ, input.CacheNodeType ?? rg.cacheNodeType);
  if (input.CacheNodeType !== undefined && !NODE_TYPES[input.CacheNodeType])
    throw invalidParameterValue(`Invalid CacheNodeType: ${input.CacheNodeType}`);
  if (input.SecurityGroupIds)
    checkSecurityGroups(ctx, input.SecurityGroupIds, rg.subnetGroupName ? requireSubnetGroup(ctx, rg.subnetGroupName).vpcId : undefined);
  const primary = input.PrimaryClusterId?.toLowerCase();
  if (primary !== undefined && !rg.nodes.some((n) => n.clusterId === primary)) throw cacheClusterNotFound(input.PrimaryClusterId ?? "");
  if (input.SnapshotRetentionLimit !== undefined) {
    if (!Number.isInteger(input.SnapshotRetentionLimit) || input.SnapshotRetentionLimit < 0 || input.SnapshotRetentionLimit > 35)
      throw invalidParameterValue("SnapshotRetentionLimit must be between 0 and 35.");
    rg.snapshotRetentionLimit = input.SnapshotRetentionLimit;
  }
  if (input.ReplicationGroupDescription !== undefined) rg.description = input.ReplicationGroupDescription;
  rg.automaticFailover = automaticFailover;
  rg.multiAZ = multiAZ;
  if (input.SecurityGroupIds) rg.securityGroupIds = input.SecurityGroupIds;
  const nodeTypeChange = input.CacheNodeType !== undefined && input.CacheNodeType !== rg.cacheNodeType ? input.CacheNodeType : undefined;
  const primaryChange = primary && rg.nodes.find((n) => n.clusterId === primary)?.role !== "primary" ? primary : undefined;
  if (nodeTypeChange || primaryChange) {
    rg.applying = { cacheNodeType: nodeTypeChange, primaryClusterId: primaryChange };
    enterPhase(ctx.cloud, rg, "modifying", nodeTypeChange ? NODE_TYPE_MODIFY_SECONDS : MODIFY_SECONDS);
  }
  recordEvent(ctx.cloud, ctx.region, "replication-group", rg.id, `Replication group ${rg.id} modified`);
  ctx.cloud.markDirty();
  return { ReplicationGroup: toReplicationGroup(rg) };
}

export function deleteReplicationGroup(
  input: { ReplicationGroupId?: string; RetainPrimaryCluster?: boolean; FinalSnapshotIdentifier?: string },
  ctx: RequestContext,
) {
  const rg = requireGroup(ctx, input.ReplicationGroupId);
  if (rg.status === "deleting") throw invalidReplicationGroupState(`Replication group ${rg.id} is already being deleted.`);
  requireAvailable(rg, "be deleted");
  if (input.RetainPrimaryCluster) throw invalidParameterCombination("RetainPrimaryCluster is not supported by localcloud.");
  if (input.FinalSnapshotIdentifier && rg.snapshotRetentionLimit === 0 && rg.cacheNodeType.startsWith("cache.t1."))
    throw new AwsError("SnapshotFeatureNotSupportedFault", `Snapshots are not supported for node type ${rg.cacheNodeType}.`);
  enterPhase(ctx.cloud, rg, "deleting", DELETING_SECONDS);
  for (const n of rg.nodes) n.status = "deleting";
  ctx.cloud.markDirty();
  return { ReplicationGroup: toReplicationGroup(rg) };
}

export function testFailover(input: { ReplicationGroupId?: string; NodeGroupId?: string }, ctx: RequestContext) {
  const rg = requireGroup(ctx, input.ReplicationGroupId);
  if (input.NodeGroupId !== "0001") throw new AwsError("NodeGroupNotFoundFault", `NodeGroup ${input.NodeGroupId} not found.`);
  if (!rg.automaticFailover)
    throw invalidReplicationGroupState(`Replication group ${rg.id} must have automatic failover enabled to test failover.`);
  requireAvailable(rg, "test failover");
  const primary = rg.nodes.find((n) => n.role === "primary");
  const target = promotionTarget(rg);
  if (!primary || !target)
    throw new AwsError("TestFailoverNotAvailableFault", `Replication group ${rg.id} has no replica to fail over to.`);
  enterPhase(ctx.cloud, rg, "failover", FAILOVER_SECONDS);
  primary.status = "rebooting cache cluster nodes";
  rg.sim.failovers.push({ startedAt: ctx.cloud.now(), from: primary.clusterId, to: target.clusterId });
  recordEvent(ctx.cloud, ctx.region, "replication-group", rg.id, `Test Failover API called for node group 0001`);
  ctx.cloud.markDirty();
  return { ReplicationGroup: toReplicationGroup(rg) };
}
