import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud } from "../../localcloud/src/index.ts";
import { awsClients, destroyAwsClients, serverNow } from "../aws/clients.ts";
import {
  DescribeAlarmsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeDBInstancesCommand,
  DescribeEc2TagsCommand,
  DescribeInstancesCommand,
  DescribeLoadBalancersCommand,
  DescribeVpcsCommand,
  UpdateAutoScalingGroupCommand,
} from "../aws/sdk.ts";
import { db } from "../db/client.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { spec as specOf } from "../../testing/fixtures.ts";
import * as p from "./index.ts";
import { ORIGIN_HEADER } from "./listener-routing.ts";
import { measureDrills } from "../deploy-metrics/measure-drills.ts";
import { provision, teardown, testEnvironment, until } from "./test-helpers.ts";

let lc: { url: string; close(): Promise<void> };
let dataDir: string;
let accountId: string;
let envId: string = randomUUID();
const spec: EnvironmentSpec = specOf("shop", {
  capacity: { min: 2, desired: 2, max: 4 },
  database: { engine: "postgres", instanceClass: "db.t3.medium", storageGb: 20, multiAz: true },
  cloudfront: true,
});
const base = () => ({ accountId, envId, spec });

async function stats(): Promise<Record<string, number>> {
  return ((await (await fetch(`${lc.url}/_localcloud/stats`)).json()) as { calls: Record<string, number> }).calls;
}
const creates = (calls: Record<string, number>) =>
  Object.fromEntries(Object.entries(calls).filter(([k]) => /:(Create|Put|Run|Authorize|Attach|Associate|Enable|Modify|Update)/.test(k)));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "sy-provisioning-"));
  lc = await startLocalCloud({ port: 0, dataDir, speed: 200 });
  accountId = (
    await db.awsAccount.create({
      data: { name: `lc-${envId.slice(0, 8)}`, defaultRegion: "us-east-1", endpointUrl: lc.url, isLocal: true },
    })
  ).id;
  envId = await testEnvironment(accountId, spec);
});

afterAll(async () => {
  destroyAwsClients();
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("provisioning the reference stack against the local cloud", () => {
  let out: Awaited<ReturnType<typeof provision>>;

  it("creates every resource, tagged and named, with traffic on blue", async () => {
    const started = Date.now();
    out = await provision(base());
    const calls = Object.values(await stats()).reduce((a, b) => a + b, 0);
    console.log(`full provision (Multi-AZ DB, CloudFront) took ${Date.now() - started} ms at speed 200, ${calls} AWS API calls`);
    const aws = awsClients(
      { id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url },
      "us-east-1",
    );

    const vpc = (await aws.ec2.send(new DescribeVpcsCommand({ VpcIds: [out.network.vpcId] }))).Vpcs![0];
    const tags = Object.fromEntries((vpc.Tags ?? []).map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({ "switchyard:environment": envId, "switchyard:environment-name": "shop" });
    expect(out.network.publicSubnetIds).toHaveLength(2);
    expect(out.network.privateSubnetIds).toHaveLength(2);

    // Names carry the "sy-" prefix, so they cannot collide with hand-made resources.
    const lb = (await aws.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["sy-shop-alb"] }))).LoadBalancers![0];
    expect(lb.State?.Code).toBe("active");
    const groups = (
      await aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["sy-shop-blue", "sy-shop-green"] }))
    ).AutoScalingGroups!;
    const blue = groups.find((g) => g.AutoScalingGroupName === "sy-shop-blue")!;
    const green = groups.find((g) => g.AutoScalingGroupName === "sy-shop-green")!;
    expect([blue.MinSize, blue.DesiredCapacity, blue.MaxSize]).toEqual([2, 2, 4]);
    expect([green.MinSize, green.DesiredCapacity, green.MaxSize]).toEqual([0, 0, 0]);
    expect(blue.HealthCheckType).toBe("ELB");
    expect(blue.Tags?.find((t) => t.Key === "switchyard:slot")?.Value).toBe("blue");
    expect(blue.EnabledMetrics?.length).toBeGreaterThan(0);

    const dbi = (await aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "sy-shop-db" }))).DBInstances![0];
    expect(dbi.MultiAZ).toBe(true);
    expect(dbi.DBInstanceStatus).toBe("available");
    expect(dbi).toMatchObject({
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      DeletionProtection: false,
      MasterUserSecret: { SecretStatus: "active" },
    });

    const alarms = (await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "sy-shop-" }))).MetricAlarms!.map(
      (a) => a.AlarmName,
    );
    expect(alarms).toEqual(
      expect.arrayContaining([
        "sy-shop-blue-5xx-rate",
        "sy-shop-green-p95-latency",
        "sy-shop-blue-unhealthy-hosts",
        "sy-shop-db-cpu",
        "sy-shop-cdn-5xx-rate",
      ]),
    );

    const stack = await p.readStack(base());
    expect(stack.loadBalancer?.weights).toEqual({ blue: 100, green: 0 });
    expect(stack.fleets.blue).toMatchObject({ min: 2, desired: 2, max: 4, inService: 2, instanceType: spec.instanceType });
    expect(stack.targetGroups.blue?.targets.healthy).toBe(2);
    expect(stack.database).toMatchObject({ status: "available", multiAz: true });
    expect(stack.database?.secondaryAvailabilityZone).toBeTruthy();
    expect(stack.distribution).toMatchObject({ status: "Deployed", enabled: true });
  });

  it("creates nothing the second time: every step finds what is there", async () => {
    const before = creates(await stats());
    const again = await provision(base());
    expect(creates(await stats())).toEqual(before);
    const actions = new Set(again.touched.map((t) => t.action));
    expect([...actions]).toEqual(["found"]);
    expect(again.loadBalancer.listenerArn).toBe(out.loadBalancer.listenerArn);
  });

  it("reports no drift, then the capacity changed out of band", async () => {
    expect(p.driftCheck(spec, await p.readStack(base()))).toEqual([]);
    const aws = awsClients(
      { id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url },
      "us-east-1",
    );
    await aws.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: "sy-shop-blue", DesiredCapacity: 3 }));
    const drift = p.driftCheck(spec, await p.readStack(base()));
    expect(drift).toEqual([{ path: "capacity.desired (blue)", expected: 2, actual: 3 }]);
  });

  it("fills the idle slot with a new launch template version, reusing it on a retry", async () => {
    const v2 = await p.createLaunchTemplateVersion({ ...base(), version: "v2", slot: "green" });
    expect(v2.launchTemplateVersion).toBeGreaterThan(out.launchTemplate.launchTemplateVersion);
    expect(v2.touched[0].action).toBe("created");
    const retry = await p.createLaunchTemplateVersion({ ...base(), appSgId: out.sgs.appSgId, version: "v2", slot: "green" });
    expect(retry.launchTemplateVersion).toBe(v2.launchTemplateVersion);
    expect(retry.touched.filter((t) => t.type === "ec2:launch-template")).toEqual([
      { type: "ec2:launch-template", id: expect.any(String), action: "found" },
    ]);

    const filled = await p.setFleetCapacity({
      ...base(),
      slot: "green",
      capacity: { min: 2, desired: 2, max: 4 },
      launchTemplateVersion: v2.launchTemplateVersion,
    });
    expect(filled).toMatchObject({ previous: { min: 0, desired: 0, max: 0 }, launchTemplateVersion: v2.launchTemplateVersion });
    const health = await until(() => p.waitFleetHealthy({ ...base(), slot: "green" }), { timeoutMs: 30_000 });
    expect(health).toMatchObject({
      desired: 2,
      inService: 2,
      healthyTargets: 2,
      launchTemplateVersion: v2.launchTemplateVersion,
      lastFailure: null,
    });
  });

  it("moves traffic with one listener change, and reads per-fleet metrics", async () => {
    const lb = out.loadBalancer;
    const moved = await p.setListenerWeights({
      ...base(),
      listenerArn: lb.listenerArn,
      blueTg: lb.targetGroupArns.blue,
      greenTg: lb.targetGroupArns.green,
      weights: { blue: 0, green: 100 },
    });
    // With CloudFront the forward lives in the origin rule: one change.
    expect(moved.touched).toEqual([{ type: "elbv2:rule", id: expect.stringContaining("listener-rule/"), action: "updated" }]);
    const stack = await p.readStack(base());
    expect(stack.loadBalancer?.weights).toEqual({ blue: 0, green: 100 });
    expect(p.liveSlotOf(stack)).toBe("green");

    // Real requests through the listener, as CloudFront sends them (with the origin secret): all on green now.
    const endpoints = (await (await fetch(`${lc.url}/_localcloud/endpoints`)).json()) as {
      loadBalancers: Array<{ name: string; listeners: Array<{ url: string }> }>;
    };
    const listenerUrl = endpoints.loadBalancers.find((l) => l.name === "sy-shop-alb")!.listeners[0].url;
    expect((await fetch(listenerUrl)).status).toBe(403); // only CloudFront may reach it
    let sending = true;
    const sender = (async () => {
      while (sending)
        await fetch(listenerUrl, { headers: { [ORIGIN_HEADER]: out.loadBalancer.originSecret! } })
          .then((r) => r.arrayBuffer())
          .catch(() => undefined);
    })();
    const sum = (minutes: p.FleetMinute[] | undefined, key: "requests" | "errors5xx") => (minutes ?? []).reduce((a, m) => a + m[key], 0);
    const metrics = await until(
      async () => {
        const m = await p.fleetMetrics({ ...base(), stack, slots: ["blue", "green"] });
        return {
          done: sum(m.slots.green, "requests") >= 10 && !!m.slots.green?.some((x) => x.requests > 0 && (x.p95LatencyMs ?? 0) > 0),
          detail: m,
        };
      },
      { timeoutMs: 20_000, intervalMs: 500 },
    ).finally(() => (sending = false));
    await sender;
    expect(metrics.slots.blue).toHaveLength(15);
    expect(sum(metrics.slots.blue, "requests")).toBe(0);
    expect(sum(metrics.slots.green, "errors5xx")).toBe(0);
    expect(metrics.slots.green?.some((m) => m.requests > 0 && m.p95LatencyMs !== null && m.p95LatencyMs > 0)).toBe(true);

    const health = await p.fleetHealth({ ...base(), slot: "blue" });
    expect(health).toMatchObject({ slot: "blue", desired: expect.any(Number), healthyTargets: expect.any(Number), lastFailure: null });

    // The window is on the local cloud's (fast) clock, which the clients track from its Date header.
    const aws = awsClients(
      { id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url },
      "us-east-1",
    );
    const clock = (await (await fetch(`${lc.url}/_localcloud/clock`)).json()) as { nowMs: number };
    expect(Math.abs(Date.parse(metrics.endTime) - clock.nowMs)).toBeLessThan(10 * 60_000);
    expect(Math.abs(serverNow(aws.cloudwatch) - clock.nowMs)).toBeLessThan(3 * 60_000);
    expect(clock.nowMs - Date.now()).toBeGreaterThan(5 * 60_000); // the local clock alone would be far off
  });

  it("runs the drills: an instance is replaced, the database fails over to its standby", async () => {
    // The out-of-band third instance may be scaled in meanwhile (detailed monitoring: target
    // tracking sees an idle fleet within minutes): pick an instance that is still in service.
    let victim = "";
    let killed: Awaited<ReturnType<typeof p.terminateInstance>> | undefined;
    for (let i = 0; i < 3 && !killed?.terminated; i++) {
      const before = await p.readStack(base());
      victim = before.fleets.blue!.instances.filter((x) => x.lifecycleState === "InService").at(-1)!.id;
      killed = await p.terminateInstance({ ...base(), slot: "blue", instanceId: victim });
    }
    expect(killed).toMatchObject({ terminated: true, touched: [{ type: "ec2:instance", id: victim, action: "deleted" }] });
    const again = await p.terminateInstance({ ...base(), slot: "blue", instanceId: victim }).catch((e: Error) => e);
    // A retried step terminates nothing more: the instance is on its way out, or gone.
    expect(again instanceof Error ? (again as { code?: string }).code : (again as { terminated: boolean }).terminated).toBeOneOf([
      "NOT_FOUND",
      false,
    ]);

    const failover = await p.failoverDatabase(base());
    expect(failover.failedOver).toBe(true);
    const after = await until(async () => {
      const db = (await p.readStack(base())).database!;
      return { done: db.status === "available" && db.availabilityZone !== failover.availabilityZoneBefore, detail: db };
    });
    expect(after.secondaryAvailabilityZone).toBe(failover.availabilityZoneBefore);
    const healed = await until(() => p.waitFleetHealthy({ ...base(), slot: "blue" }), { timeoutMs: 30_000 });
    expect(healed.inService).toBeGreaterThanOrEqual(2);

    // Game days: detection and recovery read back from Auto Scaling's activities and RDS's events.
    const at = new Date();
    const drills = [
      { id: "drill-1", environmentId: envId, kind: "terminate-instance", at, instanceId: victim },
      { id: "drill-2", environmentId: envId, kind: "failover-database", at, instanceId: null },
    ];
    const times = await until(async () => {
      const m = await measureDrills(drills);
      return { done: m.get("drill-1")?.recoveryMs != null && m.get("drill-2")?.recoveryMs != null, detail: m };
    });
    expect(times.get("drill-1")!.detectionMs).toBeGreaterThanOrEqual(0);
    expect(times.get("drill-1")!.recoveryMs).toBeGreaterThan(times.get("drill-1")!.detectionMs!);
    expect(times.get("drill-2")).toMatchObject({ detectionMs: null, recoveryMs: expect.any(Number) });
    expect(times.get("drill-2")!.recoveryMs).toBeGreaterThan(0);
  });

  it("retries throttled calls, and says so when throttling outlasts the retries", async () => {
    const fault = async (body: object) =>
      fetch(`${lc.url}/_localcloud/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await fault({ match: "elasticloadbalancing:DescribeLoadBalancers", error: "Throttling", rate: 0.5 });
    try {
      // The SDK retries each throttled call (5 attempts); when all of them are throttled (1 in 32
      // at this rate) the step fails as retryable and, like the workflow engine, we run it again.
      const retryable = (e: unknown) => {
        if ((e as { retryable?: boolean }).retryable) return { done: false, detail: { state: "throttled" } };
        throw e;
      };
      expect((await until(() => p.waitLoadBalancerActive(base()).catch(retryable))).state).toBe("active");
      await fetch(`${lc.url}/_localcloud/faults`, { method: "DELETE" });
      await fault({ match: "elasticloadbalancing:DescribeLoadBalancers", error: "Throttling", rate: 1 });
      await expect(p.waitLoadBalancerActive(base())).rejects.toMatchObject({ code: "RATE_LIMITED", retryable: true });
    } finally {
      await fetch(`${lc.url}/_localcloud/faults`, { method: "DELETE" });
    }
  });

  it("tears everything down, leaves nothing tagged, and can run again", async () => {
    const first = await teardown(base(), { finalSnapshot: "sy-shop-final-test" });
    expect(first.some((t) => t.action === "deleted")).toBe(true);
    expect(first).toContainEqual({ type: "rds:snapshot", id: "sy-shop-final-test", action: "created" });
    const aws = awsClients(
      { id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url },
      "us-east-1",
    );
    const tagged =
      (
        await aws.ec2.send(
          new DescribeEc2TagsCommand({
            Filters: [
              { Name: "key", Values: ["switchyard:environment"] },
              { Name: "value", Values: [envId] },
            ],
          }),
        )
      ).Tags ?? [];
    const liveInstances = (
      (
        await aws.ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: `tag:switchyard:environment`, Values: [envId] },
              { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped", "shutting-down"] },
            ],
          }),
        )
      ).Reservations ?? []
    ).flatMap((r) => r.Instances ?? []);
    // Terminated instances and deleted NAT gateways stay visible (with their tags) for a while, as on AWS.
    expect(tagged.filter((t) => t.ResourceType !== "instance" && t.ResourceType !== "natgateway")).toEqual([]);
    expect(liveInstances).toEqual([]);
    const stack = await p.readStack(base());
    expect(stack).toMatchObject({
      network: null,
      loadBalancer: null,
      fleets: { blue: null, green: null },
      database: null,
      distribution: null,
      alarms: [],
    });
    expect(stack.targetGroups).toEqual({ blue: null, green: null });
    const second = await teardown(base());
    expect(second.filter((t) => t.action === "deleted")).toEqual([]);
  });
});
