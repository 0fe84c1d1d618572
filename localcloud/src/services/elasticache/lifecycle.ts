/**
 * Replication group lifecycles (simulated seconds, close to what AWS takes):
 *   creating (5 min; nodes creating) -> available
 *   modifying (node type 6 min, other changes 1 min) -> available, changes applied at the end
 *   TestFailover: modifying (the primary's node is "rebooting" for 1.5 min), then a replica is
 *   promoted (another AZ first), the old primary comes back as a replica -> available
 *   deleting (2 min) -> gone
 */
import type { CloudApi } from "../../core/types.ts";
import { recordEvent } from "./events.ts";
import { dueAt, elastiCacheState, key, type ReplicationGroupRecord, setDueAt } from "./state.ts";

export const CREATING_SECONDS = 300;
export const FAILOVER_SECONDS = 90;
export const MODIFY_SECONDS = 60;
export const NODE_TYPE_MODIFY_SECONDS = 360;
export const DELETING_SECONDS = 120;

export function enterPhase(
  cloud: CloudApi,
  rg: ReplicationGroupRecord,
  phase: NonNullable<ReplicationGroupRecord["phase"]>,
  seconds: number,
) {
  rg.phase = phase;
  rg.status = phase === "failover" ? "modifying" : phase;
  rg.statusEndsAt = cloud.now() + seconds * 1000;
  setDueAt(cloud, 0);
}

function becomeAvailable(rg: ReplicationGroupRecord, at: number) {
  rg.status = "available";
  rg.phase = undefined;
  rg.statusEndsAt = undefined;
  for (const n of rg.nodes) n.status = "available";
  rg.availableSince ??= at;
}

/** The replica a failover promotes: one in another AZ than the primary first. */
export function promotionTarget(rg: ReplicationGroupRecord) {
  const primary = rg.nodes.find((n) => n.role === "primary");
  const replicas = rg.nodes.filter((n) => n.role === "replica");
  return replicas.find((n) => n.availabilityZone !== primary?.availabilityZone) ?? replicas[0];
}

function promote(cloud: CloudApi, rg: ReplicationGroupRecord, clusterId: string, at: number) {
  const from = rg.nodes.find((n) => n.role === "primary");
  const to = rg.nodes.find((n) => n.clusterId === clusterId);
  if (!to || to === from) return;
  if (from) from.role = "replica";
  to.role = "primary";
  recordEvent(
    cloud,
    rg.region,
    "replication-group",
    rg.id,
    `Failover from primary node ${from?.clusterId}-0001 to replica node ${to.clusterId}-0001 completed`,
    at,
  );
  recordEvent(cloud, rg.region, "cache-cluster", from?.clusterId ?? to.clusterId, "Finished recovery for cache nodes 0001", at);
  const open = rg.sim.failovers[rg.sim.failovers.length - 1];
  if (open && open.completedAt === undefined) open.completedAt = at;
}

/** What happens when a timed status ends. Returns false when the group is gone. */
function finishPhase(cloud: CloudApi, rg: ReplicationGroupRecord): boolean {
  const at = rg.statusEndsAt ?? cloud.now();
  switch (rg.phase) {
    case "creating":
      for (const n of rg.nodes) {
        n.createdAt = at;
        recordEvent(cloud, rg.region, "cache-cluster", n.clusterId, "Cache cluster created", at);
      }
      recordEvent(cloud, rg.region, "replication-group", rg.id, `Replication group ${rg.id} created`, at);
      becomeAvailable(rg, at);
      return true;
    case "modifying":
      if (rg.applying?.cacheNodeType) {
        rg.cacheNodeType = rg.applying.cacheNodeType;
        recordEvent(cloud, rg.region, "replication-group", rg.id, `Finished modifying cache node type for replication group ${rg.id}`, at);
      }
      if (rg.applying?.primaryClusterId) promote(cloud, rg, rg.applying.primaryClusterId, at);
      rg.applying = undefined;
      becomeAvailable(rg, at);
      return true;
    case "failover": {
      const target = promotionTarget(rg);
      if (target) promote(cloud, rg, target.clusterId, at);
      becomeAvailable(rg, at);
      return true;
    }
    case "deleting":
      recordEvent(cloud, rg.region, "replication-group", rg.id, `Replication group ${rg.id} deleted`, at);
      delete elastiCacheState(cloud).replicationGroups[key(rg.region, rg.id)];
      return false;
    default:
      rg.statusEndsAt = undefined;
      return true;
  }
}

/** Advance every group whose timed status has ended. Cheap when nothing is due. */
export function tickElastiCache(cloud: CloudApi, now: number) {
  if (now < dueAt(cloud)) return;
  const s = elastiCacheState(cloud);
  let next = Number.POSITIVE_INFINITY;
  let dirty = false;
  for (const rg of Object.values(s.replicationGroups)) {
    while (rg.statusEndsAt !== undefined && now >= rg.statusEndsAt) {
      dirty = true;
      if (!finishPhase(cloud, rg)) break;
    }
    if (rg.statusEndsAt !== undefined && s.replicationGroups[key(rg.region, rg.id)]) next = Math.min(next, rg.statusEndsAt);
  }
  setDueAt(cloud, next);
  if (dirty) cloud.markDirty();
}
