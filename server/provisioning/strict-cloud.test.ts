import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateLoadBalancerCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteRouteCommand,
  DescribeDBInstancesCommand,
  DescribeElbTagsCommand,
  DescribeLoadBalancersCommand,
  DescribeRdsEventsCommand,
  DescribeRouteTablesCommand,
} from "../aws/sdk.ts";
import { db } from "../db/client.ts";
import type { EgressMode, EnvironmentSpec } from "../environments/spec.ts";
import { createOperation } from "../operations/start.ts";
import { admin, spec as specOf } from "../../testing/fixtures.ts";
import * as p from "./index.ts";
import { ORIGIN_HEADER } from "./listener-routing.ts";
import { startFixture, type LocalCloud } from "./local-cloud-fixture.ts";
import { provision, teardown, testEnvironment } from "./test-helpers.ts";

/**
 * The default spec against the strict local cloud (instances come up only if their network path
 * and instance profile allow what the user data needs): each network mode serves the app and its
 * log shows the artifact download and the secret read; the same spec without a way out fails
 * with that reason, fast; a protected environment's teardown is refused until lifted and leaves
 * a final snapshot; a foreign resource with one of the environment's names is never touched.
 */
let lc: LocalCloud;
const suffix = randomUUID().slice(0, 4);
const nameOf = (n: string) => `${n}-${suffix}`;
const base = (envId: string, spec: EnvironmentSpec) => ({ accountId: lc.accountId, envId, spec });

beforeAll(async () => {
  lc = await startFixture();
  // Several environments share this cloud: more VPCs and addresses than AWS's defaults.
  const quotas = await lc.admin("POST", "quotas", {
    quotas: { "vpcs-per-region": 20, "internet-gateways-per-region": 20, "elastic-ips": 20 },
  });
  expect(quotas.status).toBe(200);
});

afterAll(async () => lc?.close());

describe("the default spec in each network mode", () => {
  for (const mode of ["nat-shared", "nat-per-az", "public"] as const satisfies readonly EgressMode[]) {
    it(`${mode}: provisions, serves the version through CloudFront's door, and the log shows the artifact and the secret`, async () => {
      const spec = specOf(nameOf(mode.replace("nat-", "")), { network: { egress: mode } });
      const envId = await testEnvironment(lc.accountId, spec);
      const started = Date.now();
      const out = await provision(base(envId, spec));
      console.log(`default spec, ${mode}: provisioned in ${Date.now() - started} ms (speed 200)`);
      const alb = `sy-${spec.name}-alb`;
      expect(await lc.ask(alb)).toMatchObject({ status: 403 }); // only CloudFront may reach it
      expect(await lc.ask(alb, { [ORIGIN_HEADER]: out.loadBalancer.originSecret! })).toEqual({ status: 200, version: "v1" });
      const stack = await p.readStack(base(envId, spec));
      expect(stack.network!.natGateways.filter((n) => n.state === "available")).toHaveLength(
        mode === "nat-per-az" ? 2 : mode === "nat-shared" ? 1 : 0,
      );
      expect(p.driftCheck(spec, stack)).toEqual([]);
      const log = await p.instanceLog({ ...base(envId, spec), liveSlot: "blue" });
      expect(log.text).toMatch(/dnf: ok \(S3 via (gateway endpoint|.*vpce-)/);
      expect(log.text).toMatch(/aws s3 cp: ok .*s3:GetObject allowed/);
      expect(log.text).toMatch(
        new RegExp(
          `aws secretsmanager get-secret-value: ok \\(secretsmanager via ${mode === "public" ? "internet gateway" : "NAT gateway"}.*GetSecretValue allowed`,
        ),
      );
    });
  }
});

describe("the same spec with the way out removed", () => {
  it("fails with the reason from the instance's own log, within seconds, not by looping", async () => {
    // The default spec (its user data reads SSM and Secrets Manager, which only S3's free endpoint
    // does not serve), with the NAT route taken out of the private route tables before the fleets launch.
    const spec = specOf(nameOf("sealed"));
    const envId = await testEnvironment(lc.accountId, spec);
    const started = Date.now();
    const failure = await provision(base(envId, spec), {
      beforeFleets: async () => {
        const stack = await p.readStack(base(envId, spec));
        const tables = await lc.aws.ec2.send(
          new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [stack.network!.vpcId] }] }),
        );
        for (const t of tables.RouteTables ?? []) {
          if (t.Routes?.some((r) => r.NatGatewayId))
            await lc.aws.ec2.send(new DeleteRouteCommand({ RouteTableId: t.RouteTableId, DestinationCidrBlock: "0.0.0.0/0" }));
        }
      },
    }).catch((e: Error) => e);
    const seconds = (Date.now() - started) / 1000;
    console.log(`no way out: failed after ${seconds.toFixed(1)} s: ${(failure as Error).message}`);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(
      /The instances cannot start the app: the user data failed on i-[0-9a-f]+: .*cannot reach ssm/,
    );
    expect(seconds).toBeLessThan(60);
  });
});

describe("a protected environment", () => {
  it("keeps its database: teardown refused (412) until protection is lifted, then a final snapshot", async () => {
    const name = nameOf("guard");
    const spec = specOf(name, {
      protected: true,
      cloudfront: false,
      network: { egress: "public" },
      database: { engine: "postgres", instanceClass: "db.t3.micro", storageGb: 20, multiAz: false },
    });
    const envId = await testEnvironment(lc.accountId, spec, { activeName: name });
    await db.environment.update({ where: { id: envId }, data: { status: "ready", stack: {} } });
    await provision(base(envId, spec));
    const dbName = `sy-${name}-db`;
    const described = async () => (await lc.aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: dbName }))).DBInstances![0];
    expect((await described()).DeletionProtection).toBe(true);

    await expect(createOperation({ actor: admin, input: { name, kind: "teardown" } })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: expect.stringMatching(/is protected: teardown is refused and its database has deletion protection/),
    });
    await expect(p.deleteDatabase({ ...base(envId, spec), finalSnapshot: null })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    // Lift protection (a new spec version), then tear down: the snapshot is named up front and audited.
    const lifted = { ...spec, protected: false };
    const current = await db.environment.findUniqueOrThrow({ where: { id: envId } });
    await db.environmentSpecVersion.create({
      data: { environmentId: envId, version: current.currentVersion + 1, spec: lifted as object, createdBy: "test" },
    });
    await db.environment.update({ where: { id: envId }, data: { currentVersion: current.currentVersion + 1 } });
    const { deployment } = await createOperation({ actor: admin, input: { name, kind: "teardown" } });
    expect(deployment.finalSnapshot).toMatch(new RegExp(`^sy-${name}-final-\\d{14}$`));
    const audit = await db.auditEvent.findFirstOrThrow({
      where: { action: "deployment.teardown", targetId: envId },
      orderBy: { at: "desc" },
    });
    expect(audit.after).toMatchObject({ finalSnapshot: deployment.finalSnapshot, skipFinalSnapshot: false });
    const steps = await db.deploymentStep.findMany({ where: { deploymentId: deployment.id } });
    expect(steps.find((s) => s.key === "database")?.label).toContain(deployment.finalSnapshot!);

    const touched = await teardown(base(envId, lifted), { finalSnapshot: deployment.finalSnapshot });
    expect(touched).toContainEqual({ type: "rds:db", id: expect.stringContaining(dbName), action: "updated" }); // protection lifted on AWS too
    expect(touched).toContainEqual({ type: "rds:snapshot", id: deployment.finalSnapshot, action: "created" });
    const events = await lc.aws.rds.send(
      new DescribeRdsEventsCommand({ SourceIdentifier: dbName, SourceType: "db-instance", Duration: 10_080 }),
    );
    expect(events.Events?.map((e) => e.Message)).toContain("Creating final DB snapshot");
  });
});

describe("a foreign resource with one of the environment's names", () => {
  it("stops provisioning with a clear message and is never touched, not even by teardown", async () => {
    const spec = specOf(nameOf("clash"), { database: null, cloudfront: false, network: { egress: "public" } });
    const envId = await testEnvironment(lc.accountId, spec);
    // Someone's own load balancer, by hand, with the name Switchyard would give this environment's.
    const vpc = (await lc.aws.ec2.send(new CreateVpcCommand({ CidrBlock: "10.250.0.0/16" }))).Vpc!.VpcId!;
    const subnets = await Promise.all(
      ["a", "b"].map(
        async (z, i) =>
          (await lc.aws.ec2.send(new CreateSubnetCommand({ VpcId: vpc, CidrBlock: `10.250.${i}.0/24`, AvailabilityZone: `us-east-1${z}` })))
            .Subnet!.SubnetId!,
      ),
    );
    const alb = `sy-${spec.name}-alb`;
    const foreign = (
      await lc.aws.elbv2.send(
        new CreateLoadBalancerCommand({ Name: alb, Scheme: "internal", Subnets: subnets, Tags: [{ Key: "team", Value: "payments" }] }),
      )
    ).LoadBalancers![0].LoadBalancerArn!;

    const failure = await provision(base(envId, spec)).catch((e: Error) => e);
    expect((failure as Error).message).toMatch(
      new RegExp(`A load balancer named ${alb} exists and is not managed by this environment \\(it has no switchyard:environment tag\\)`),
    );
    const touched = await teardown(base(envId, spec));
    expect(touched).toContainEqual({
      type: "elbv2:load-balancer",
      id: expect.stringContaining(`${alb} (not this environment's`),
      action: "kept",
    });
    const still = (await lc.aws.elbv2.send(new DescribeLoadBalancersCommand({ Names: [alb] }))).LoadBalancers![0];
    expect(still.LoadBalancerArn).toBe(foreign);
    const tags = (await lc.aws.elbv2.send(new DescribeElbTagsCommand({ ResourceArns: [foreign] }))).TagDescriptions![0].Tags;
    expect(tags).toEqual([{ Key: "team", Value: "payments" }]);
  });
});
