/** CreateReplicationGroup (cluster mode disabled: one node group, a primary and 0-5 replicas): AWS's validation, then "creating". */
import { randomUUID } from "node:crypto";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { SG_ID, securityGroupVpc } from "../elbv2/ec2-lookup.ts";
import { ENGINE_VERSIONS, NODE_TYPES } from "./catalog.ts";
import { invalidParameterCombination, invalidParameterValue } from "./errors.ts";
import { CREATING_SECONDS } from "./lifecycle.ts";
import { arnOf, type CacheNodeRecord, elastiCacheState, hostHashOf, key, type ReplicationGroupRecord, type Tag, wake } from "./state.ts";
import { requireSubnetGroup } from "./subnet-groups.ts";
import { validateTags } from "./tags.ts";
import { toReplicationGroup } from "./views.ts";

export interface CreateReplicationGroupInput {
  ReplicationGroupId?: string;
  ReplicationGroupDescription?: string;
  Engine?: string;
  EngineVersion?: string;
  CacheNodeType?: string;
  NumCacheClusters?: number;
  NumNodeGroups?: number;
  ReplicasPerNodeGroup?: number;
  PreferredCacheClusterAZs?: string[];
  AutomaticFailoverEnabled?: boolean;
  MultiAZEnabled?: boolean;
  CacheSubnetGroupName?: string;
  SecurityGroupIds?: string[];
  Port?: number;
  TransitEncryptionEnabled?: boolean;
  AtRestEncryptionEnabled?: boolean;
  KmsKeyId?: string;
  SnapshotRetentionLimit?: number;
  PreferredMaintenanceWindow?: string;
  Tags?: Tag[];
}

export function validateGroupId(id: string | undefined): string {
  if (!id || !/^[a-zA-Z][a-zA-Z0-9-]{0,39}$/.test(id) || id.includes("--") || id.endsWith("-")) {
    throw invalidParameterValue(
      "The parameter ReplicationGroupId is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; must be at most 40 characters; and must not end with a hyphen or contain two consecutive hyphens.",
    );
  }
  return id.toLowerCase();
}

/** Multi-AZ needs automatic failover, and automatic failover needs a replica. */
export function checkFailoverCombination(nodes: number, automaticFailover: boolean, multiAZ: boolean, nodeType: string) {
  if (multiAZ && !automaticFailover)
    throw invalidParameterCombination("Multi-AZ can only be enabled when AutomaticFailoverEnabled is true.");
  if (automaticFailover && nodes < 2)
    throw invalidParameterCombination(
      "Automatic failover is not supported for a replication group with one node: NumCacheClusters must be at least 2.",
    );
  if (automaticFailover && nodeType.startsWith("cache.t1."))
    throw invalidParameterCombination(`Automatic failover is not supported for node type ${nodeType}.`);
}

/** Check the security groups exist and live in the subnet group's VPC. */
export function checkSecurityGroups(ctx: RequestContext, ids: string[], vpcId: string | undefined) {
  for (const sg of ids) {
    const sgVpc = SG_ID.test(sg) ? securityGroupVpc(ctx.cloud, ctx.region, sg) : null;
    if (sgVpc === null) throw invalidParameterValue(`Some security group Id not recognized by EC2: ${sg}`);
    if (sgVpc && vpcId && sgVpc !== vpcId)
      throw new AwsError("InvalidVPCNetworkStateFault", `The security group ${sg} is not in the VPC of the cache subnet group (${vpcId}).`);
  }
}

function nodeCount(input: CreateReplicationGroupInput): number {
  if (input.NumCacheClusters !== undefined && input.ReplicasPerNodeGroup !== undefined)
    throw invalidParameterCombination("Specify either NumCacheClusters or ReplicasPerNodeGroup, not both.");
  if (input.NumNodeGroups !== undefined && input.NumNodeGroups !== 1)
    throw invalidParameterCombination(
      "NumNodeGroups greater than 1 needs a cluster-mode-enabled parameter group (not supported by localcloud).",
    );
  if (input.ReplicasPerNodeGroup !== undefined) {
    if (!Number.isInteger(input.ReplicasPerNodeGroup) || input.ReplicasPerNodeGroup < 0 || input.ReplicasPerNodeGroup > 5)
      throw invalidParameterValue("ReplicasPerNodeGroup must be between 0 and 5.");
    return input.ReplicasPerNodeGroup + 1;
  }
  const n = input.NumCacheClusters ?? (input.PreferredCacheClusterAZs?.length || 1);
  if (!Number.isInteger(n) || n < 1 || n > 6) throw invalidParameterValue("NumCacheClusters must be between 1 and 6.");
  return n;
}

export function createReplicationGroup(input: CreateReplicationGroupInput, ctx: RequestContext) {
  const s = elastiCacheState(ctx.cloud);
  const id = validateGroupId(input.ReplicationGroupId);
  if (!input.ReplicationGroupDescription?.trim())
    throw invalidParameterValue("The parameter ReplicationGroupDescription must be provided and must not be blank.");
  const engine = (input.Engine ?? "redis").toLowerCase();
  if (engine !== "redis" && engine !== "valkey")
    throw invalidParameterValue(`Invalid value for Engine: ${input.Engine}. Use redis or valkey.`);
  const versions = ENGINE_VERSIONS[engine];
  const engineVersion = input.EngineVersion ?? versions.default;
  if (!versions.versions.some((v) => engineVersion === v || engineVersion.startsWith(`${v}.`)))
    throw invalidParameterCombination(`Cannot find version ${engineVersion} for ${engine}`);
  const nodeType = input.CacheNodeType ?? "";
  if (!nodeType) throw invalidParameterValue("The parameter CacheNodeType must be provided and must not be blank.");
  if (!NODE_TYPES[nodeType]) throw invalidParameterValue(`Invalid CacheNodeType: ${nodeType}`);
  const count = nodeCount(input);
  const automaticFailover = input.AutomaticFailoverEnabled ?? false;
  const multiAZ = input.MultiAZEnabled ?? false;
  checkFailoverCombination(count, automaticFailover, multiAZ, nodeType);
  if (input.KmsKeyId && !input.AtRestEncryptionEnabled)
    throw invalidParameterCombination("KmsKeyId can be specified only when AtRestEncryptionEnabled is true.");
  const port = input.Port ?? 6379;
  if (!Number.isInteger(port) || port < 1024 || port > 65535) throw invalidParameterValue(`Invalid port ${port}.`);
  const retention = input.SnapshotRetentionLimit ?? 0;
  if (!Number.isInteger(retention) || retention < 0 || retention > 35)
    throw invalidParameterValue("SnapshotRetentionLimit must be between 0 and 35.");
  const tags = validateTags(input.Tags);
  if (s.replicationGroups[key(ctx.region, id)])
    throw new AwsError("ReplicationGroupAlreadyExists", `Replication group ${id} already exists.`);

  const group = input.CacheSubnetGroupName ? requireSubnetGroup(ctx, input.CacheSubnetGroupName) : undefined;
  checkSecurityGroups(ctx, input.SecurityGroupIds ?? [], group?.vpcId);
  const zones = group ? [...new Set(group.subnets.map((sn) => sn.availabilityZone))] : ["a", "b", "c"].map((l) => `${ctx.region}${l}`);
  const preferred = input.PreferredCacheClusterAZs ?? [];
  if (preferred.length && preferred.length !== count)
    throw invalidParameterValue("The number of PreferredCacheClusterAZs must match NumCacheClusters.");
  for (const az of preferred)
    if (!zones.includes(az))
      throw new AwsError("InvalidVPCNetworkStateFault", `No subnet in the cache subnet group covers Availability Zone ${az}.`);
  if (multiAZ && zones.length < 2)
    throw invalidParameterCombination("Multi-AZ needs a cache subnet group with subnets in at least two Availability Zones.");

  const nodes: CacheNodeRecord[] = Array.from({ length: count }, (_, i) => ({
    clusterId: `${id}-${String(i + 1).padStart(3, "0")}`,
    // Spread over the zones, so the primary and its first replica never share one (Multi-AZ).
    availabilityZone: preferred[i] ?? zones[i % zones.length],
    role: i === 0 ? "primary" : "replica",
    status: "creating",
    tags: [],
  }));
  const now = ctx.cloud.now();
  const rg: ReplicationGroupRecord = {
    id,
    region: ctx.region,
    arn: arnOf(ctx.region, ctx.accountId, "replicationgroup", id),
    description: input.ReplicationGroupDescription,
    engine,
    engineVersion,
    cacheNodeType: nodeType,
    port,
    automaticFailover,
    multiAZ,
    subnetGroupName: group?.name,
    securityGroupIds: input.SecurityGroupIds ?? [],
    transitEncryption: input.TransitEncryptionEnabled ?? false,
    atRestEncryption: input.AtRestEncryptionEnabled ?? false,
    kmsKeyId: input.AtRestEncryptionEnabled
      ? (input.KmsKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${randomUUID()}`)
      : undefined,
    snapshotRetentionLimit: retention,
    preferredMaintenanceWindow: input.PreferredMaintenanceWindow ?? "sun:05:00-sun:06:00",
    nodes,
    tags,
    status: "creating",
    phase: "creating",
    statusEndsAt: now + CREATING_SECONDS * 1000,
    hostHash: hostHashOf(ctx.accountId, ctx.region, id),
    createdAt: now,
    sim: { failovers: [] },
  };
  s.replicationGroups[key(ctx.region, id)] = rg;
  ctx.cloud.markDirty();
  wake(ctx.cloud);
  return { ReplicationGroup: toReplicationGroup(rg) };
}
