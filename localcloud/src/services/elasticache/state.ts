/**
 * ElastiCache state: plain JSON persisted by the store. Keys are "<region>/<id>" (ids are unique
 * per account and region, case-insensitive). Times are simulated ms.
 */
import { createHash } from "node:crypto";
import type { CloudApi } from "../../core/types.ts";

export const SERVICE = "elasticache" as const;

export interface Tag {
  Key: string;
  Value?: string;
}

export interface CacheSubnetGroupRecord {
  name: string;
  region: string;
  description: string;
  vpcId: string;
  subnets: Array<{ id: string; availabilityZone: string }>;
  arn: string;
  tags: Tag[];
}

/** One node of the (single) node group: a member cache cluster of one node. */
export interface CacheNodeRecord {
  clusterId: string;
  availabilityZone: string;
  role: "primary" | "replica";
  status: string;
  createdAt?: number;
  tags: Tag[];
}

/** What the simulation keeps per replication group for the metrics (AWS/ElastiCache). */
export interface CacheSimulationRecord {
  /** Every failover window (simulated ms); an open one has no completedAt. */
  failovers: Array<{ startedAt: number; completedAt?: number; from: string; to: string }>;
}

export interface ReplicationGroupRecord {
  id: string;
  region: string;
  arn: string;
  description: string;
  engine: "redis" | "valkey";
  engineVersion: string;
  cacheNodeType: string;
  port: number;
  automaticFailover: boolean;
  multiAZ: boolean;
  subnetGroupName?: string;
  securityGroupIds: string[];
  transitEncryption: boolean;
  atRestEncryption: boolean;
  kmsKeyId?: string;
  snapshotRetentionLimit: number;
  preferredMaintenanceWindow: string;
  nodes: CacheNodeRecord[];
  tags: Tag[];
  status: string;
  phase?: "creating" | "modifying" | "failover" | "deleting";
  statusEndsAt?: number;
  /** Applied at the end of "modifying". */
  applying?: { cacheNodeType?: string; primaryClusterId?: string };
  /** Host part shared by the group's endpoints (like AWS's 6-character cluster hash). */
  hostHash: string;
  createdAt: number;
  availableSince?: number;
  sim: CacheSimulationRecord;
}

export interface CacheEventRecord {
  region: string;
  sourceIdentifier: string;
  sourceType: "replication-group" | "cache-cluster" | "cache-subnet-group";
  message: string;
  date: number;
}

export interface ElastiCacheState {
  replicationGroups: Record<string, ReplicationGroupRecord>;
  subnetGroups: Record<string, CacheSubnetGroupRecord>;
  events: CacheEventRecord[];
}

export function initialElastiCacheState(): ElastiCacheState {
  return { replicationGroups: {}, subnetGroups: {}, events: [] };
}

export function elastiCacheState(cloud: CloudApi): ElastiCacheState {
  const s = cloud.state<ElastiCacheState>(SERVICE);
  s.replicationGroups ??= {};
  s.subnetGroups ??= {};
  s.events ??= [];
  return s;
}

export const key = (region: string, id: string) => `${region}/${id.toLowerCase()}`;

export const arnOf = (region: string, accountId: string, type: "replicationgroup" | "cluster" | "subnetgroup", id: string) =>
  `arn:aws:elasticache:${region}:${accountId}:${type}:${id}`;

/** AWS's short region code in cache host names: us-east-1 -> use1, eu-west-2 -> euw2, ap-southeast-1 -> apse1. */
export function regionCode(region: string): string {
  const [area = "", direction = "", number = ""] = region.split("-");
  const short = direction
    .replace(/north/g, "n")
    .replace(/south/g, "s")
    .replace(/east/g, "e")
    .replace(/west/g, "w")
    .replace(/central/g, "c");
  return `${area}${short}${number}`;
}

export function hostHashOf(accountId: string, region: string, id: string): string {
  return createHash("sha256").update(`${accountId}:${region}:${id}`).digest("hex").slice(0, 6);
}

/** Endpoint host names as AWS forms them for cluster-mode-disabled groups (TLS groups use master./replica.). */
export function endpoints(rg: ReplicationGroupRecord) {
  const suffix = `${rg.hostHash}.${regionCode(rg.region)}.cache.amazonaws.com`;
  return rg.transitEncryption
    ? { primary: `master.${rg.id}.${suffix}`, reader: `replica.${rg.id}.${suffix}`, node: (c: string) => `${c}.${rg.id}.${suffix}` }
    : {
        primary: `${rg.id}.${rg.hostHash}.ng.0001.${regionCode(rg.region)}.cache.amazonaws.com`,
        reader: `${rg.id}-ro.${rg.hostHash}.ng.0001.${regionCode(rg.region)}.cache.amazonaws.com`,
        node: (c: string) => `${c}.${rg.hostHash}.0001.${regionCode(rg.region)}.cache.amazonaws.com`,
      };
}

/** Bookkeeping for tick(): earliest simulated time something is due, per cloud (not persisted). */
const nextDue = new WeakMap<CloudApi, number>();
export const wake = (cloud: CloudApi) => nextDue.set(cloud, 0);
export const dueAt = (cloud: CloudApi) => nextDue.get(cloud) ?? 0;
export const setDueAt = (cloud: CloudApi, at: number) => nextDue.set(cloud, at);
