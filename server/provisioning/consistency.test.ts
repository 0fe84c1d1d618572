import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DescribeAddressesCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeDBInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeLoadBalancersCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTargetGroupsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
} from "../aws/sdk.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { spec as specOf } from "../../testing/fixtures.ts";
import { envFilter } from "./context.ts";
import { startFixture, type LocalCloud } from "./local-cloud-fixture.ts";
import { provision, testEnvironment } from "./test-helpers.ts";

/**
 * AWS is eventually consistent and throttles: with a 5-second consistency lag (a just-created id
 * answers NotFound to Describe calls) and 30% of all calls throttled, a provisioning completes,
 * and, steps being retried as the workflow engine retries them, nothing exists twice. Run at
 * speed 40 so the lag lasts 125 ms of wall time, long enough to hit the calls right after a create.
 */
let lc: LocalCloud;
let envId: string;
const spec: EnvironmentSpec = specOf("laggy", {
  capacity: { min: 2, desired: 2, max: 4 },
  database: { engine: "postgres", instanceClass: "db.t3.micro", storageGb: 20, multiAz: false },
  cloudfront: true,
  network: { egress: "nat-shared" },
});

beforeAll(async () => {
  lc = await startFixture({ speed: 40 });
  envId = await testEnvironment(lc.accountId, spec);
  expect((await lc.admin("POST", "consistency", { lagSeconds: 5 })).status).toBe(200);
  expect((await lc.admin("POST", "faults", { match: "*", error: "Throttling", rate: 0.3 })).status).toBe(201);
});

afterAll(async () => {
  await lc?.admin("DELETE", "faults");
  await lc?.close();
});

describe("provisioning under a 5 s consistency lag and 30% throttling", () => {
  it("completes, and every resource exists exactly once", { timeout: 300_000 }, async () => {
    const started = Date.now();
    const out = await provision({ accountId: lc.accountId, envId, spec }, { attempt: "run-1" });
    const calls = await lc.stats();
    const total = Object.values(calls).reduce((a, b) => a + b, 0);
    console.log(
      `lag 5 s + 30% throttling: provisioned in ${Date.now() - started} ms at speed 40, ${total} calls (throttled ones included)`,
    );
    await lc.admin("DELETE", "faults");
    await lc.admin("POST", "consistency", { lagSeconds: 0 });

    const { ec2, elbv2, autoscaling, rds } = lc.aws;
    const env = [envFilter(envId)];
    const count = async <T>(p: Promise<T[] | undefined>) => (await p)?.length ?? 0;
    expect(await count(ec2.send(new DescribeVpcsCommand({ Filters: env })).then((o) => o.Vpcs))).toBe(1);
    expect(await count(ec2.send(new DescribeSubnetsCommand({ Filters: env })).then((o) => o.Subnets))).toBe(4);
    expect(await count(ec2.send(new DescribeInternetGatewaysCommand({ Filters: env })).then((o) => o.InternetGateways))).toBe(1);
    expect(await count(ec2.send(new DescribeRouteTablesCommand({ Filters: env })).then((o) => o.RouteTables))).toBe(3);
    expect(await count(ec2.send(new DescribeVpcEndpointsCommand({ Filters: env })).then((o) => o.VpcEndpoints))).toBe(1);
    expect(await count(ec2.send(new DescribeNatGatewaysCommand({ Filter: env })).then((o) => o.NatGateways))).toBe(1);
    expect(await count(ec2.send(new DescribeAddressesCommand({ Filters: env })).then((o) => o.Addresses))).toBe(1);
    expect(await count(ec2.send(new DescribeSecurityGroupsCommand({ Filters: env })).then((o) => o.SecurityGroups))).toBe(3);
    const lbs = (await elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    expect(lbs.filter((l) => l.LoadBalancerName === "sy-laggy-alb")).toHaveLength(1);
    const tgs = (await elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    expect(
      tgs
        .filter((t) => t.TargetGroupName?.startsWith("sy-laggy-"))
        .map((t) => t.TargetGroupName)
        .sort(),
    ).toEqual(["sy-laggy-blue", "sy-laggy-green"]);
    const groups = (await autoscaling.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? [];
    expect(groups.filter((g) => g.AutoScalingGroupName?.startsWith("sy-laggy-"))).toHaveLength(2);
    const dbs = (await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? [];
    expect(dbs.filter((d) => d.DBInstanceIdentifier?.startsWith("sy-laggy"))).toHaveLength(1);
    const versions =
      (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: out.launchTemplate.launchTemplateId })))
        .LaunchTemplateVersions ?? [];
    expect(versions).toHaveLength(1);
    // One distribution with this environment's comment (the test may list; Switchyard never does).
    const { ListDistributionsCommand } = await import("@aws-sdk/client-cloudfront");
    const dists = (await lc.aws.cloudfront.send(new ListDistributionsCommand({}))).DistributionList?.Items ?? [];
    expect(dists.filter((d) => d.Comment?.endsWith(`(${envId})`))).toHaveLength(1);
    expect(await lc.ask("sy-laggy-alb", { "X-Switchyard-Origin": out.loadBalancer.originSecret! })).toEqual({ status: 200, version: "v1" });
  });
});
