/**
 * The cache as readStack reports it (Stack.cache) and what the drift check compares of it.
 * Node roles come from the replication group's node group, so a failover shows as a swap.
 */
import type { EnvironmentSpec } from "../environments/spec.ts";
import { findCache } from "./cache.ts";
import type { StepContext } from "./context.ts";

export interface CacheNodeView {
  /** The node's cache cluster id (CloudWatch's CacheClusterId dimension). */
  id: string;
  role: "primary" | "replica" | "unknown";
  availabilityZone: string | null;
}

export interface CacheView {
  id: string;
  status: string;
  nodeType: string | null;
  multiAz: boolean;
  automaticFailover: boolean;
  encryptedInTransit: boolean;
  encryptedAtRest: boolean;
  primaryEndpoint: string | null;
  readerEndpoint: string | null;
  nodes: CacheNodeView[];
}

export async function readCache(ctx: StepContext): Promise<CacheView | null> {
  const rg = await findCache(ctx);
  if (!rg) return null;
  const ng = rg.NodeGroups?.[0];
  const endpoint = (e: { Address?: string; Port?: number } | undefined) => (e?.Address ? `${e.Address}:${e.Port}` : null);
  return {
    id: rg.ReplicationGroupId ?? ctx.names.cache,
    status: rg.Status ?? "unknown",
    nodeType: rg.CacheNodeType ?? null,
    multiAz: rg.MultiAZ === "enabled",
    automaticFailover: rg.AutomaticFailover === "enabled" || rg.AutomaticFailover === "enabling",
    encryptedInTransit: rg.TransitEncryptionEnabled ?? false,
    encryptedAtRest: rg.AtRestEncryptionEnabled ?? false,
    primaryEndpoint: endpoint(ng?.PrimaryEndpoint),
    readerEndpoint: endpoint(ng?.ReaderEndpoint),
    nodes: (ng?.NodeGroupMembers ?? (rg.MemberClusters ?? []).map((CacheClusterId) => ({ CacheClusterId }))).map((m) => ({
      id: m.CacheClusterId ?? "",
      role: "CurrentRole" in m && (m.CurrentRole === "primary" || m.CurrentRole === "replica") ? m.CurrentRole : "unknown",
      availabilityZone: "PreferredAvailabilityZone" in m ? (m.PreferredAvailabilityZone ?? null) : null,
    })),
  };
}

type Row = { path: string; expected: string | number | boolean | null; actual: string | number | boolean | null };

/** What differs between the spec's cache and the stack's (a stack read before caches existed has no `cache`: nothing to compare). */
export function cacheDrift(spec: EnvironmentSpec, cache: CacheView | null | undefined): Row[] {
  if (cache === undefined) return [];
  const wanted = spec.cache ?? null;
  if (!wanted || !cache)
    return !wanted === !cache ? [] : [{ path: "cache", expected: wanted ? "present" : "absent", actual: cache ? "present" : "missing" }];
  const rows: Row[] = [];
  const cmp = (path: string, expected: Row["expected"], actual: Row["actual"]) => {
    if (expected !== actual) rows.push({ path, expected, actual });
  };
  cmp("cache.nodeType", wanted.nodeType, cache.nodeType);
  cmp("cache.replicas", wanted.replicas, cache.nodes.length - 1);
  cmp("cache.multiAz", wanted.multiAz, cache.multiAz);
  cmp("cache.automaticFailover", wanted.replicas > 0, cache.automaticFailover);
  cmp("cache.encryptedInTransit", true, cache.encryptedInTransit);
  cmp("cache.encryptedAtRest", true, cache.encryptedAtRest);
  return rows;
}
