/**
 * Cache steps (skipped when the spec has no cache):
 *   1. ensureCache        (needs ensureNetwork.vpcId/privateSubnetIds, ensureSecurityGroups.appSgId;
 *                         runs beside the database, never waits for the load balancer)
 *                         security group <prefix><name>-cache admitting only the app group on 6379,
 *                         cache subnet group <prefix><name>-cache in the private subnets, and the
 *                         replication group <prefix><name>-cache: a primary and `replicas`
 *                         replicas, automatic failover with a replica, Multi-AZ per the spec,
 *                         encrypted in transit and at rest.
 *   2. waitCacheAvailable (bounded poll; needs 1) -> primary and reader endpoints, port.
 *   deleteCache (teardown, before the security groups): the replication group (done when it is
 *   gone), then its subnet group and security group. failoverCache: the drill (drills.ts).
 * Every resource found by name must carry the environment's tag (ownership.ts).
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateCacheSubnetGroupCommand,
  CreateReplicationGroupCommand,
  CreateSecurityGroupCommand,
  DeleteCacheSubnetGroupCommand,
  DeleteReplicationGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeCacheSubnetGroupsCommand,
  DescribeReplicationGroupsCommand,
  DescribeSecurityGroupsCommand,
  ListCacheTagsCommand,
  type ReplicationGroup,
  type SecurityGroup,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { isAlreadyExists, isNotFound } from "../aws/errors.ts";
import { defineRead, defineStep, envFilter, tagsOf, type Poll, type StepContext, type StepInput } from "./context.ts";
import { checkOwner, ignoringForeign } from "./ownership.ts";
import { attempt, type Done } from "./teardown.ts";

export const CACHE_PORT = 6379;

/** The replication group, if it exists (and is this environment's). */
export async function findCache(ctx: StepContext): Promise<ReplicationGroup | undefined> {
  try {
    const rg = (await ctx.aws.elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: ctx.names.cache })))
      .ReplicationGroups?.[0];
    if (!rg?.ARN) return undefined;
    const tags = (await ctx.aws.elasticache.send(new ListCacheTagsCommand({ ResourceName: rg.ARN }))).TagList;
    checkOwner(ctx, "A cache (ElastiCache replication group)", ctx.names.cache, tags);
    return rg;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function findSubnetGroup(ctx: StepContext): Promise<boolean> {
  try {
    const group = (await ctx.aws.elasticache.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: ctx.names.cache })))
      .CacheSubnetGroups?.[0];
    if (!group?.ARN) return false;
    const tags = (await ctx.aws.elasticache.send(new ListCacheTagsCommand({ ResourceName: group.ARN }))).TagList;
    checkOwner(ctx, "A cache subnet group", ctx.names.cache, tags);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function findSecurityGroup(ctx: StepContext, vpcId: string): Promise<SecurityGroup | undefined> {
  const found = (
    await ctx.aws.ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "group-name", Values: [ctx.names.cache] },
        ],
      }),
    )
  ).SecurityGroups?.[0];
  if (found) checkOwner(ctx, "A security group", ctx.names.cache, found.Tags);
  return found;
}

/** The cache's own security group: 6379 from the app group only. */
async function ensureCacheSecurityGroup(input: StepInput & { vpcId: string; appSgId: string }, ctx: StepContext): Promise<string> {
  let group = await findSecurityGroup(ctx, input.vpcId);
  if (group?.GroupId) ctx.touch("ec2:security-group", group.GroupId, "found");
  else {
    const created = await ctx.aws.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: ctx.names.cache,
        Description: `Switchyard ${input.spec.name}: cache`,
        VpcId: input.vpcId,
        TagSpecifications: [{ ResourceType: "security-group", Tags: tagsOf(input, undefined, { Name: ctx.names.cache }) }],
      }),
    );
    group = { GroupId: created.GroupId, IpPermissions: [] };
    ctx.touch("ec2:security-group", created.GroupId ?? ctx.names.cache, "created");
  }
  const allowed = (group.IpPermissions ?? []).some(
    (p) => p.FromPort === CACHE_PORT && p.ToPort === CACHE_PORT && p.UserIdGroupPairs?.some((g) => g.GroupId === input.appSgId),
  );
  if (!allowed) {
    await afterCreate(() =>
      ctx.aws.ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: group.GroupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: CACHE_PORT, ToPort: CACHE_PORT, UserIdGroupPairs: [{ GroupId: input.appSgId }] }],
        }),
      ),
    );
  }
  return group.GroupId ?? "";
}

export interface CacheOutput {
  replicationGroupId: string | null;
  cacheSgId: string | null;
}

export const ensureCache = defineStep(
  "create the cache",
  async (input: StepInput & { vpcId: string; privateSubnetIds: string[]; appSgId: string }, ctx): Promise<CacheOutput> => {
    const cache = input.spec.cache;
    if (!cache) return { replicationGroupId: null, cacheSgId: null };
    const { aws, names, touch } = ctx;
    const cacheSgId = await ensureCacheSecurityGroup(input, ctx);
    if (await findSubnetGroup(ctx)) touch("elasticache:subnet-group", names.cache, "found");
    else {
      try {
        await afterCreate(() =>
          aws.elasticache.send(
            new CreateCacheSubnetGroupCommand({
              CacheSubnetGroupName: names.cache,
              CacheSubnetGroupDescription: `Switchyard ${input.spec.name}: private subnets`,
              SubnetIds: input.privateSubnetIds,
              Tags: tagsOf(input, undefined, { Name: names.cache }),
            }),
          ),
        );
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      touch("elasticache:subnet-group", names.cache, "created");
    }
    const existing = await findCache(ctx);
    if (existing) {
      touch("elasticache:replication-group", existing.ARN ?? names.cache, "found");
      return { replicationGroupId: names.cache, cacheSgId };
    }
    try {
      const created = await afterCreate(() =>
        aws.elasticache.send(
          new CreateReplicationGroupCommand({
            ReplicationGroupId: names.cache,
            ReplicationGroupDescription: `Switchyard ${input.spec.name}: cache`,
            Engine: cache.engine,
            CacheNodeType: cache.nodeType,
            NumCacheClusters: cache.replicas + 1,
            AutomaticFailoverEnabled: cache.replicas > 0,
            MultiAZEnabled: cache.multiAz,
            CacheSubnetGroupName: names.cache,
            SecurityGroupIds: [cacheSgId],
            Port: CACHE_PORT,
            TransitEncryptionEnabled: true,
            AtRestEncryptionEnabled: true,
            Tags: tagsOf(input, undefined, { Name: names.cache }),
          }),
        ),
      );
      touch("elasticache:replication-group", created.ReplicationGroup?.ARN ?? names.cache, "created");
    } catch (err) {
      // A retried create whose first call went through: the poll waits for it.
      if (!isAlreadyExists(err)) throw err;
      touch("elasticache:replication-group", names.cache, "found");
    }
    return { replicationGroupId: names.cache, cacheSgId };
  },
);

export interface CacheDetail {
  status: string;
  primaryEndpoint: string | null;
  readerEndpoint: string | null;
  port: number | null;
  summary: string;
}

export const waitCacheAvailable = defineRead("wait for the cache", async (input: StepInput, ctx): Promise<Poll<CacheDetail>> => {
  const none = { primaryEndpoint: null, readerEndpoint: null, port: null };
  if (!input.spec.cache) return { done: true, detail: { status: "none", ...none, summary: "no cache" } };
  const rg = await findCache(ctx);
  const status = rg?.Status ?? "missing";
  if (status === "create-failed") throw new Error(`Cache ${ctx.names.cache} is ${status}: see its events in the ElastiCache console`);
  const ng = rg?.NodeGroups?.[0];
  const nodes = ng?.NodeGroupMembers ?? [];
  return {
    done: status === "available",
    detail: {
      status,
      primaryEndpoint: ng?.PrimaryEndpoint?.Address ?? null,
      readerEndpoint: ng?.ReaderEndpoint?.Address ?? null,
      port: ng?.PrimaryEndpoint?.Port ?? null,
      summary: `${ctx.names.cache} ${status}, ${nodes.length} node${nodes.length === 1 ? "" : "s"}${rg?.MultiAZ === "enabled" ? ", Multi-AZ" : ""}`,
    },
  };
});

/** Teardown: the replication group (done once it is gone), then its subnet group and security group. */
export const deleteCache = defineStep("delete the cache", async (input: StepInput, ctx): Promise<Done> => {
  const rg = await ignoringForeign(ctx, "elasticache:replication-group", () => findCache(ctx));
  if (rg) {
    if (rg.Status === "available" || rg.Status === "create-failed")
      await attempt(ctx, "elasticache:replication-group", rg.ARN ?? ctx.names.cache, () =>
        ctx.aws.elasticache.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: ctx.names.cache })),
      );
    return { done: false, summary: `${ctx.names.cache} ${rg.Status === "available" ? "deleting" : rg.Status}` };
  }
  if (await ignoringForeign(ctx, "elasticache:subnet-group", () => findSubnetGroup(ctx))) {
    const gone = await attempt(ctx, "elasticache:subnet-group", ctx.names.cache, () =>
      ctx.aws.elasticache.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: ctx.names.cache })),
    );
    if (!gone) return { done: false, summary: `${ctx.names.cache} subnet group still in use` };
  }
  // Found by name and this environment's tag: a group someone else named so is not ours to delete.
  const sg = (
    await ctx.aws.ec2.send(
      new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: [ctx.names.cache] }, envFilter(input.envId)] }),
    )
  ).SecurityGroups?.[0];
  if (sg?.GroupId) {
    const gone = await attempt(ctx, "ec2:security-group", sg.GroupId, () =>
      ctx.aws.ec2.send(new DeleteSecurityGroupCommand({ GroupId: sg.GroupId })),
    );
    if (!gone) return { done: false, summary: `${ctx.names.cache} security group still in use` };
  }
  return { done: true, summary: `${ctx.names.cache} deleted` };
});
