/**
 * ElastiCache conformance: driven only through @aws-sdk/client-elasticache (and client-ec2 for the
 * VPC, subnets and security groups), against the in-process local cloud; lifecycles are advanced
 * by jumping the simulated clock. One awscli call checks the query wire with another client.
 */
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import {
  AddTagsToResourceCommand,
  CreateCacheSubnetGroupCommand,
  type CreateReplicationGroupCommandInput,
  CreateReplicationGroupCommand,
  DeleteCacheSubnetGroupCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeCacheSubnetGroupsCommand,
  DescribeEventsCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  ModifyReplicationGroupCommand,
  paginateDescribeReplicationGroups,
  type ReplicationGroup,
  TestFailoverCommand,
} from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, hasAwsCli } from "./cli-runners.ts";
import { clientConfig, expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { ACCOUNT, policy } from "./iam-helpers.ts";
import { series, simNow } from "./metrics-helpers.ts";

let lc: TestCloud;
let cache: ElastiCacheClient;
let subnets: string[];
let sg: string;
let otherVpcSg: string;

const MIN = 60_000;

async function group(id: string): Promise<ReplicationGroup> {
  return (await cache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }))).ReplicationGroups![0];
}

function rgInput(id: string, extra: Partial<CreateReplicationGroupCommandInput> = {}): CreateReplicationGroupCommandInput {
  return {
    ReplicationGroupId: id,
    ReplicationGroupDescription: "app cache",
    Engine: "valkey",
    CacheNodeType: "cache.t4g.micro",
    NumCacheClusters: 2,
    AutomaticFailoverEnabled: true,
    MultiAZEnabled: true,
    CacheSubnetGroupName: "app-cache",
    SecurityGroupIds: [sg],
    ...extra,
  };
}

beforeAll(async () => {
  lc = await startTestCloud({ speed: 50 });
  cache = new ElastiCacheClient(clientConfig(lc.url));
  const vpcId = (await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }))).Vpc!.VpcId!;
  const otherVpc = (await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.41.0.0/16" }))).Vpc!.VpcId!;
  subnets = [];
  for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
    const sn = await lc.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.40.${i + 1}.0/24`, AvailabilityZone: az }));
    subnets.push(sn.Subnet!.SubnetId!);
  }
  sg = (await lc.ec2.send(new CreateSecurityGroupCommand({ GroupName: "cache", Description: "cache", VpcId: vpcId }))).GroupId!;
  otherVpcSg = (await lc.ec2.send(new CreateSecurityGroupCommand({ GroupName: "x", Description: "x", VpcId: otherVpc }))).GroupId!;
  await cache.send(
    new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: "app-cache", CacheSubnetGroupDescription: "app cache", SubnetIds: subnets }),
  );
});

afterAll(async () => {
  await lc?.close();
});

describe("cache subnet groups", () => {
  it("describes the group with its subnets, AZs, VPC and ARN; refuses unknown subnets and duplicates", async () => {
    const g = (await cache.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "app-cache" }))).CacheSubnetGroups![0];
    expect(g.ARN).toBe(`arn:aws:elasticache:us-east-1:${ACCOUNT}:subnetgroup:app-cache`);
    expect(g.Subnets!.map((s) => [s.SubnetIdentifier, s.SubnetAvailabilityZone?.Name])).toEqual([
      [subnets[0], "us-east-1a"],
      [subnets[1], "us-east-1b"],
    ]);
    const unknown = await expectError(
      cache.send(
        new CreateCacheSubnetGroupCommand({
          CacheSubnetGroupName: "x",
          CacheSubnetGroupDescription: "x",
          SubnetIds: ["subnet-0123456789abcdef0"],
        }),
      ),
    );
    expect(unknown.name).toBe("InvalidSubnet");
    const dup = await expectError(
      cache.send(
        new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: "app-cache", CacheSubnetGroupDescription: "x", SubnetIds: subnets }),
      ),
    );
    expect(dup.name).toBe("CacheSubnetGroupAlreadyExistsFault");
    const missing = await expectError(cache.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "nope" })));
    expect(missing.name).toBe("CacheSubnetGroupNotFoundFault");
  });
});

describe("replication groups", () => {
  it("refuses what AWS refuses, with AWS's error codes", async () => {
    const cases: Array<[Partial<CreateReplicationGroupCommandInput>, string]> = [
      [{ AutomaticFailoverEnabled: false }, "InvalidParameterCombinationException"],
      [{ NumCacheClusters: 1 }, "InvalidParameterCombinationException"],
      [{ ReplicasPerNodeGroup: 1 }, "InvalidParameterCombinationException"],
      [{ CacheNodeType: "cache.x9.huge" }, "InvalidParameterValueException"],
      [{ Engine: "memcached" }, "InvalidParameterValueException"],
      [{ ReplicationGroupId: "bad--id" }, "InvalidParameterValueException"],
      [{ CacheSubnetGroupName: "nope" }, "CacheSubnetGroupNotFoundFault"],
      [{ SecurityGroupIds: ["sg-0123456789abcdef0"] }, "InvalidParameterValueException"],
      [{ SecurityGroupIds: [otherVpcSg] }, "InvalidVPCNetworkStateFault"],
    ];
    for (const [extra, name] of cases) {
      const err = await expectError(cache.send(new CreateReplicationGroupCommand(rgInput("refused", extra))));
      expect([extra, err.name]).toEqual([extra, name]);
    }
    expect((await cache.send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups).toEqual([]);
  });

  it("creates a Multi-AZ group: creating, then available with primary, reader and node endpoints in the subnet group's AZs", async () => {
    const created = await cache.send(
      new CreateReplicationGroupCommand(
        rgInput("shop-cache", {
          TransitEncryptionEnabled: true,
          AtRestEncryptionEnabled: true,
          Tags: [{ Key: "switchyard:environment", Value: "env-1" }],
        }),
      ),
    );
    expect(created.ReplicationGroup).toMatchObject({
      ReplicationGroupId: "shop-cache",
      Status: "creating",
      MultiAZ: "enabled",
      AutomaticFailover: "enabled",
    });
    expect(created.ReplicationGroup!.MemberClusters).toEqual(["shop-cache-001", "shop-cache-002"]);
    expect(created.ReplicationGroup!.NodeGroups![0].PrimaryEndpoint).toBeUndefined();
    const dup = await expectError(cache.send(new CreateReplicationGroupCommand(rgInput("shop-cache"))));
    expect(dup.name).toBe("ReplicationGroupAlreadyExistsFault");
    const early = await expectError(cache.send(new TestFailoverCommand({ ReplicationGroupId: "shop-cache", NodeGroupId: "0001" })));
    expect(early.name).toBe("InvalidReplicationGroupStateFault");

    await lc.advance(5 * MIN);
    const rg = await group("shop-cache");
    expect(rg).toMatchObject({
      Status: "available",
      CacheNodeType: "cache.t4g.micro",
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      ClusterEnabled: false,
    });
    const ng = rg.NodeGroups![0];
    expect(ng.PrimaryEndpoint).toEqual({
      Address: expect.stringMatching(/^master\.shop-cache\.[0-9a-f]{6}\.use1\.cache\.amazonaws\.com$/),
      Port: 6379,
    });
    expect(ng.ReaderEndpoint?.Address).toMatch(/^replica\.shop-cache\./);
    expect(ng.NodeGroupMembers!.map((m) => [m.CacheClusterId, m.CurrentRole, m.PreferredAvailabilityZone])).toEqual([
      ["shop-cache-001", "primary", "us-east-1a"],
      ["shop-cache-002", "replica", "us-east-1b"],
    ]);
    const clusters = (await cache.send(new DescribeCacheClustersCommand({ ShowCacheNodeInfo: true }))).CacheClusters!;
    expect(
      clusters.map((c) => [c.CacheClusterId, c.CacheClusterStatus, c.Engine, c.ReplicationGroupId, c.SecurityGroups?.[0]?.SecurityGroupId]),
    ).toEqual([
      ["shop-cache-001", "available", "valkey", "shop-cache", sg],
      ["shop-cache-002", "available", "valkey", "shop-cache", sg],
    ]);
    expect(clusters[1].CacheNodes![0].Endpoint?.Address).toMatch(/^shop-cache-002\.shop-cache\./);
    const inUse = await expectError(cache.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: "app-cache" })));
    expect(inUse.name).toBe("CacheSubnetGroupInUse");
  });

  it("TestFailover: modifying, then the replica is the primary (events say so); not without automatic failover", async () => {
    const res = await cache.send(new TestFailoverCommand({ ReplicationGroupId: "shop-cache", NodeGroupId: "0001" }));
    expect(res.ReplicationGroup!.Status).toBe("modifying");
    const again = await expectError(cache.send(new TestFailoverCommand({ ReplicationGroupId: "shop-cache", NodeGroupId: "0001" })));
    expect(again.name).toBe("InvalidReplicationGroupStateFault");
    const badNg = await expectError(cache.send(new TestFailoverCommand({ ReplicationGroupId: "shop-cache", NodeGroupId: "0002" })));
    expect(badNg.name).toBe("NodeGroupNotFoundFault");
    await lc.advance(2 * MIN);
    const rg = await group("shop-cache");
    expect(rg.Status).toBe("available");
    expect(rg.NodeGroups![0].NodeGroupMembers!.map((m) => [m.CacheClusterId, m.CurrentRole])).toEqual([
      ["shop-cache-001", "replica"],
      ["shop-cache-002", "primary"],
    ]);
    const events = (
      await cache.send(new DescribeEventsCommand({ SourceType: "replication-group", SourceIdentifier: "shop-cache", Duration: 60 }))
    ).Events!;
    expect(events.map((e) => e.Message)).toEqual(
      expect.arrayContaining([
        "Test Failover API called for node group 0001",
        "Failover from primary node shop-cache-001-0001 to replica node shop-cache-002-0001 completed",
      ]),
    );
    await cache.send(
      new CreateReplicationGroupCommand(rgInput("single", { NumCacheClusters: 1, AutomaticFailoverEnabled: false, MultiAZEnabled: false })),
    );
    await lc.advance(5 * MIN);
    const noFailover = await expectError(cache.send(new TestFailoverCommand({ ReplicationGroupId: "single", NodeGroupId: "0001" })));
    expect(noFailover.name).toBe("InvalidReplicationGroupStateFault");
  });

  it("ModifyReplicationGroup checks the Multi-AZ combination and applies a node type after modifying", async () => {
    const err = await expectError(
      cache.send(
        new ModifyReplicationGroupCommand({ ReplicationGroupId: "shop-cache", AutomaticFailoverEnabled: false, MultiAZEnabled: true }),
      ),
    );
    expect(err.name).toBe("InvalidParameterCombinationException");
    const res = await cache.send(
      new ModifyReplicationGroupCommand({ ReplicationGroupId: "shop-cache", CacheNodeType: "cache.t4g.small", ApplyImmediately: true }),
    );
    expect(res.ReplicationGroup!.Status).toBe("modifying");
    await lc.advance(7 * MIN);
    expect(await group("shop-cache")).toMatchObject({ Status: "available", CacheNodeType: "cache.t4g.small" });
  });

  it("tags by ARN; pages with Marker/MaxRecords; unknown ids are ReplicationGroupNotFoundFault", async () => {
    const arn = `arn:aws:elasticache:us-east-1:${ACCOUNT}:replicationgroup:shop-cache`;
    await cache.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: "team", Value: "shop" }] }));
    const tags = (await cache.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList!;
    expect(tags).toEqual([
      { Key: "switchyard:environment", Value: "env-1" },
      { Key: "team", Value: "shop" },
    ]);
    const badArn = await expectError(cache.send(new ListTagsForResourceCommand({ ResourceName: "arn:aws:s3:::x" })));
    expect(badArn.name).toBe("InvalidARNFault");
    for (let i = 0; i < 20; i++)
      await cache.send(
        new CreateReplicationGroupCommand(
          rgInput(`page-${i}`, { NumCacheClusters: 1, AutomaticFailoverEnabled: false, MultiAZEnabled: false }),
        ),
      );
    const ids: string[] = [];
    let pages = 0;
    for await (const page of paginateDescribeReplicationGroups({ client: cache, pageSize: 20 }, {})) {
      pages++;
      ids.push(...page.ReplicationGroups!.map((g) => g.ReplicationGroupId!));
    }
    expect([pages, ids.length, new Set(ids).size]).toEqual([2, 22, 22]);
    const bad = await expectError(cache.send(new DescribeReplicationGroupsCommand({ MaxRecords: 5 })));
    expect(bad.name).toBe("InvalidParameterValueException");
    const missing = await expectError(group("nope"));
    expect(missing.name).toBe("ReplicationGroupNotFoundFault");
  });

  it("publishes AWS/ElastiCache metrics per CacheClusterId, with ReplicationLag on the replica and IsMaster after the swap", async () => {
    await lc.advance(4 * MIN);
    const now = await simNow(lc);
    const q = (metric: string, id: string, stat = "Average") =>
      series(lc, { namespace: "AWS/ElastiCache", metric, dims: { CacheClusterId: id }, stat, start: now - 3 * MIN, end: now });
    expect((await q("IsMaster", "shop-cache-002")).values.at(-1)).toBe(1);
    expect((await q("IsMaster", "shop-cache-001")).values.at(-1)).toBe(0);
    expect((await q("ReplicationLag", "shop-cache-001")).values.length).toBeGreaterThan(0);
    expect((await q("ReplicationLag", "shop-cache-002")).values).toEqual([]);
    for (const metric of ["CPUUtilization", "EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "CurrConnections", "CacheHitRate"])
      expect([metric, (await q(metric, "shop-cache-002")).values.length > 0]).toEqual([metric, true]);
    const hits = (await q("CacheHits", "shop-cache-002", "Sum")).values;
    expect(hits.every((v) => v > 0)).toBe(true);
  });

  it("deletes: deleting, then gone; then the subnet group can go", async () => {
    const res = await cache.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "shop-cache" }));
    expect(res.ReplicationGroup!.Status).toBe("deleting");
    const twice = await expectError(cache.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "shop-cache" })));
    expect(twice.name).toBe("InvalidReplicationGroupStateFault");
    await lc.advance(3 * MIN);
    expect((await expectError(group("shop-cache"))).name).toBe("ReplicationGroupNotFoundFault");
  });
});

describe("IAM and other clients", () => {
  it("enforces the account policy on ElastiCache calls", async () => {
    const put = await lc.admin(
      "PUT",
      `accounts/${ACCOUNT}/policy`,
      JSON.parse(policy({ Effect: "Allow", Action: "elasticache:Describe*", Resource: "*" })),
    );
    expect(put.status).toBe(200);
    try {
      await cache.send(new DescribeReplicationGroupsCommand({}));
      const denied = await expectError(
        cache.send(
          new CreateReplicationGroupCommand(
            rgInput("denied", { NumCacheClusters: 1, AutomaticFailoverEnabled: false, MultiAZEnabled: false }),
          ),
        ),
      );
      expect(denied.name).toBe("AccessDenied");
    } finally {
      await lc.admin("DELETE", `accounts/${ACCOUNT}/policy`);
    }
  });

  it.skipIf(!hasAwsCli())("awscli describes the replication groups over the query wire", async () => {
    const r = await awsCli(lc.url, ["elasticache", "describe-replication-groups", "--replication-group-id", "single"]);
    expect(r.code).toBe(0);
    expect((r.json as { ReplicationGroups: Array<{ ReplicationGroupId: string; Status: string }> }).ReplicationGroups[0]).toMatchObject({
      ReplicationGroupId: "single",
      Status: "available",
    });
  });
});
