/**
 * The cache steps against the local cloud (ElastiCache through the real SDK), without fleets:
 * network and security groups, then ensureCache (twice: nothing is created twice), the wait,
 * the delivery contract's cache parameters, the read-back and drift, the failover drill (the
 * replica becomes the primary), and teardown (replication group, subnet group, security group).
 * Plus the pure parts: alarms per node and the cost line.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud } from "../../localcloud/src/index.ts";
import { spec as specOf } from "../../testing/fixtures.ts";
import { awsClients, destroyAwsClients } from "../aws/clients.ts";
import { DescribeReplicationGroupsCommand, DescribeSecurityGroupsCommand, GetParametersCommand } from "../aws/sdk.ts";
import { estimateCost } from "../costs/estimate.ts";
import { db } from "../db/client.ts";
import { type EnvironmentSpec, specSchema, withSpecDefaults } from "../environments/spec.ts";
import { alarmDefinitions, expectedAlarmNames } from "./alarms.ts";
import { cacheDrift } from "./cache-view.ts";
import * as p from "./index.ts";
import { retrying, testEnvironment, until } from "./test-helpers.ts";

let lc: { url: string; close(): Promise<void> };
let dataDir: string;
let accountId: string;
let envId: string;
const spec: EnvironmentSpec = specOf("kv", {
  database: null,
  cloudfront: false,
  cache: { engine: "valkey", nodeType: "cache.t4g.micro", replicas: 1, multiAz: true },
});
const base = () => ({ accountId, envId, spec });
let vpcId: string;
let privateSubnetIds: string[];
let appSgId: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "sy-cache-"));
  lc = await startLocalCloud({ port: 0, dataDir, speed: 200 });
  const suffix = randomUUID().slice(0, 8);
  accountId = (
    await db.awsAccount.create({ data: { name: `lc-cache-${suffix}`, defaultRegion: "us-east-1", endpointUrl: lc.url, isLocal: true } })
  ).id;
  envId = await testEnvironment(accountId, spec);
  const net = await retrying(() => p.ensureNetwork(base()));
  vpcId = net.vpcId;
  privateSubnetIds = net.privateSubnetIds;
  appSgId = (await retrying(() => p.ensureSecurityGroups({ ...base(), vpcId }))).appSgId;
});

afterAll(async () => {
  destroyAwsClients();
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const account = () => ({ id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url });

describe("the cache steps against the local cloud", () => {
  it("creates the security group, subnet group and a Multi-AZ replication group once; the group admits only the app on 6379", async () => {
    const first = await p.ensureCache({ ...base(), vpcId, privateSubnetIds, appSgId });
    expect(first.replicationGroupId).toBe("sy-kv-cache");
    expect(first.touched.map((t) => `${t.type} ${t.action}`)).toEqual([
      "ec2:security-group created",
      "elasticache:subnet-group created",
      "elasticache:replication-group created",
    ]);
    const again = await p.ensureCache({ ...base(), vpcId, privateSubnetIds, appSgId });
    expect(again.touched.every((t) => t.action === "found")).toBe(true);
    const aws = awsClients(account(), "us-east-1");
    const rg = (await aws.elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "sy-kv-cache" })))
      .ReplicationGroups![0];
    expect(rg).toMatchObject({
      MultiAZ: "enabled",
      AutomaticFailover: "enabled",
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
    });
    expect(rg.MemberClusters).toEqual(["sy-kv-cache-001", "sy-kv-cache-002"]);
    const sg = (await aws.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [first.cacheSgId!] }))).SecurityGroups![0];
    expect(sg.IpPermissions?.map((r) => [r.FromPort, r.UserIdGroupPairs?.map((g) => g.GroupId), r.IpRanges?.length ?? 0])).toEqual([
      [6379, [appSgId], 0],
    ]);
  });

  it("waits until available, then writes the endpoints into the delivery contract", async () => {
    const ready = await until(() => p.waitCacheAvailable(base()));
    expect(ready.primaryEndpoint).toMatch(/^master\.sy-kv-cache\./);
    expect(ready.readerEndpoint).toMatch(/^replica\.sy-kv-cache\./);
    await p.ensureParameters({ ...base(), database: null, cache: ready });
    const aws = awsClients(account(), "us-east-1");
    const names = ["engine", "endpoint", "reader-endpoint", "port", "tls"].map((k) => `/switchyard/kv/cache/${k}`);
    const params = (await aws.ssm.send(new GetParametersCommand({ Names: names }))).Parameters ?? [];
    expect(Object.fromEntries(params.map((x) => [x.Name!.split("/cache/")[1], x.Value]))).toEqual({
      engine: "valkey",
      endpoint: ready.primaryEndpoint,
      "reader-endpoint": ready.readerEndpoint,
      port: "6379",
      tls: "true",
    });
  });

  it("reads it back without drift; a drifted node type is reported", async () => {
    const stack = await p.readStack(base());
    expect(stack.cache).toMatchObject({ id: "sy-kv-cache", status: "available", multiAz: true, nodeType: "cache.t4g.micro" });
    expect(stack.cache!.nodes.map((n) => n.role)).toEqual(["primary", "replica"]);
    expect(p.driftCheck(spec, stack).filter((r) => r.path.startsWith("cache"))).toEqual([]);
    const bigger = { ...spec, cache: { ...spec.cache!, nodeType: "cache.t4g.small" } };
    expect(cacheDrift(bigger, stack.cache)).toEqual([{ path: "cache.nodeType", expected: "cache.t4g.small", actual: "cache.t4g.micro" }]);
  });

  it("the failover drill makes the replica the primary", async () => {
    const out = await p.failoverCache(base());
    expect(out).toMatchObject({ primaryBefore: "sy-kv-cache-001", failedOver: true });
    // A retried drill step while the failover runs does not start a second one.
    expect((await p.failoverCache(base())).failedOver).toBe(false);
    await until(() => p.waitCacheAvailable(base()));
    const stack = await p.readStack(base());
    expect(stack.cache!.nodes.map((n) => [n.id, n.role])).toEqual([
      ["sy-kv-cache-001", "replica"],
      ["sy-kv-cache-002", "primary"],
    ]);
  });

  it("teardown deletes the replication group, then its subnet group and security group", async () => {
    let done = false;
    for (let i = 0; i < 200 && !done; i++) {
      done = (await p.deleteCache(base())).done;
      if (!done) await new Promise((r) => setTimeout(r, 50));
    }
    expect(done).toBe(true);
    const aws = awsClients(account(), "us-east-1");
    await expect(aws.elasticache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "sy-kv-cache" }))).rejects.toThrow(
      /not found/,
    );
    const groups = await aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "group-name", Values: ["sy-kv-cache"] }] }));
    expect(groups.SecurityGroups).toEqual([]);
    expect((await p.deleteCache(base())).done).toBe(true);
  });
});

describe("the cache in the spec", () => {
  it("is optional (older specs read as none) and Multi-AZ needs a replica, reported on its field", () => {
    const { cache: _none, ...older } = spec;
    expect(withSpecDefaults(older as EnvironmentSpec).cache).toBeNull();
    expect(specSchema.parse({ ...older, name: "kvs" }).cache).toBeNull();
    const bad = specSchema.safeParse({
      ...spec,
      name: "kvs",
      cache: { engine: "valkey", nodeType: "cache.t4g.micro", replicas: 0, multiAz: true },
    });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["cache.replicas", "Multi-AZ needs at least 1 replica to fail over to"],
    ]);
    const unknown = specSchema.safeParse({
      ...spec,
      name: "kvs",
      cache: { engine: "memcached", nodeType: "cache.x1.huge", replicas: 9, multiAz: false },
    });
    expect(unknown.success ? [] : unknown.error.issues.map((i) => i.path.join("."))).toEqual([
      "cache.engine",
      "cache.nodeType",
      "cache.replicas",
    ]);
  });

  it("the default user data reads the cache's endpoint from the delivery contract only when there is a cache", () => {
    const withCache = p.renderUserData(spec, "v1", "blue");
    expect(withCache).toContain("export CACHE_HOST=$(aws ssm get-parameter --name /switchyard/kv/cache/endpoint");
    expect(withCache).not.toMatch(/switchyard: if database|DB_HOST/);
    const without = p.renderUserData({ ...spec, cache: null }, "v1", "blue");
    expect(without).not.toMatch(/CACHE_/);
    expect(without).toContain("nohup node server.js");
  });
});

describe("the cache's alarms and cost", () => {
  const targets = {
    loadBalancerArn: "arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/sy-kv-alb/0123456789abcdef",
    targetGroupArns: {
      blue: "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/sy-kv-blue/0123456789abcdef",
      green: "arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/sy-kv-green/0123456789abcdef",
    },
    distributionId: null,
  };

  it("recommends engine CPU, memory and replication lag alarms per node, and expects exactly those", () => {
    const cacheAlarms = alarmDefinitions(spec, targets, "sy-").filter((d) => d.Namespace === "AWS/ElastiCache");
    expect(cacheAlarms.map((d) => [d.AlarmName, d.MetricName, d.Dimensions?.[0]?.Value, d.Threshold])).toEqual([
      ["sy-kv-cache-001-cpu", "EngineCPUUtilization", "sy-kv-cache-001", 90],
      ["sy-kv-cache-001-memory", "DatabaseMemoryUsagePercentage", "sy-kv-cache-001", 80],
      ["sy-kv-cache-001-replication-lag", "ReplicationLag", "sy-kv-cache-001", 1],
      ["sy-kv-cache-002-cpu", "EngineCPUUtilization", "sy-kv-cache-002", 90],
      ["sy-kv-cache-002-memory", "DatabaseMemoryUsagePercentage", "sy-kv-cache-002", 80],
      ["sy-kv-cache-002-replication-lag", "ReplicationLag", "sy-kv-cache-002", 1],
    ]);
    const expected = expectedAlarmNames(spec, "sy-").filter((n) => n.includes("-cache-"));
    expect(expected).toEqual(cacheAlarms.map((d) => d.AlarmName));
    expect(expectedAlarmNames({ ...spec, cache: null }, "sy-").filter((n) => n.includes("-cache-"))).toEqual([]);
  });

  it("prices the nodes (Valkey 20% below Redis OSS) and their alarms", () => {
    const line = (s: EnvironmentSpec) => estimateCost(s).lines.find((l) => l.key === "cache");
    expect(line(spec)).toMatchObject({ monthlyUsd: 18.69, detail: "2 nodes × 730 h × $0.0128" });
    expect(line({ ...spec, cache: { ...spec.cache!, engine: "redis" } })?.monthlyUsd).toBe(23.36);
    expect(line({ ...spec, cache: null })).toBeUndefined();
    const alarms = (s: EnvironmentSpec) => estimateCost(s).lines.find((l) => l.key === "alarms")!.monthlyUsd;
    expect(Math.round((alarms(spec) - alarms({ ...spec, cache: null })) * 100) / 100).toBe(0.6);
  });
});
