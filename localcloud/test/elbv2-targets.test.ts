/**
 * ELBv2 conformance, targets: target groups, target registration and health (unused -> initial
 * -> healthy, draining, terminated instances) and the health state machine, driven only through
 * @aws-sdk/client-elastic-load-balancing-v2 (and client-ec2 for the VPC, subnets and instances),
 * against the in-process local cloud at 200x. Load balancers and listeners are in
 * elbv2-load-balancers.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateTargetGroupNameException,
  InvalidConfigurationRequestException,
  InvalidTargetException,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  RegisterTargetsCommand,
  TargetGroupNotFoundException,
  paginateDescribeTargetGroups,
  type Action,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  RunInstancesCommand,
  TerminateInstancesCommand,
} from "@aws-sdk/client-ec2";
import { eventually, expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { describeTargetHealthInternal, getTargetGroup } from "../src/services/elbv2/index.ts";
import { applyProbe } from "../src/services/elbv2/health.ts";

let lc: TestCloud;
let vpcId: string;
let subnets: string[];
let otherVpcSubnet: string;
let imageId: string;

async function createVpc(cidr: string, azs: string[]) {
  const vpc = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const id = vpc.Vpc!.VpcId!;
  const ids: string[] = [];
  for (const [i, az] of azs.entries()) {
    const sn = await lc.ec2.send(
      new CreateSubnetCommand({ VpcId: id, CidrBlock: cidr.replace(/\.0\.0\/16$/, `.${i + 1}.0/24`), AvailabilityZone: az }),
    );
    ids.push(sn.Subnet!.SubnetId!);
  }
  return { id, subnets: ids };
}

async function runInstances(subnetId: string, count: number): Promise<string[]> {
  const res = await lc.ec2.send(
    new RunInstancesCommand({ ImageId: imageId, InstanceType: "t3.micro", MinCount: count, MaxCount: count, SubnetId: subnetId }),
  );
  return res.Instances!.map((i) => i.InstanceId!);
}

async function createAlb(name: string, extra: Partial<{ Scheme: "internal" | "internet-facing" }> = {}) {
  const res = await lc.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: subnets.slice(0, 2), ...extra }));
  return res.LoadBalancers![0];
}

async function createTg(name: string, extra: Record<string, unknown> = {}) {
  const res = await lc.elbv2.send(new CreateTargetGroupCommand({ Name: name, Protocol: "HTTP", Port: 8080, VpcId: vpcId, ...extra }));
  return res.TargetGroups![0];
}

const forwardTo = (...groups: Array<[string, number]>): Action[] => [
  { Type: "forward", ForwardConfig: { TargetGroups: groups.map(([TargetGroupArn, Weight]) => ({ TargetGroupArn, Weight })) } },
];

beforeAll(async () => {
  lc = await startTestCloud({ speed: 200 });
  const main = await createVpc("10.10.0.0/16", ["us-east-1a", "us-east-1b", "us-east-1c"]);
  vpcId = main.id;
  subnets = main.subnets;
  const other = await createVpc("10.20.0.0/16", ["us-east-1a"]);
  otherVpcSubnet = other.subnets[0];
  const images = await lc.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }));
  imageId = images.Images![0].ImageId!;
});

afterAll(async () => {
  await lc?.close();
});

describe("target groups", () => {
  it("creates with AWS's health check defaults", async () => {
    const tg = await createTg("defaults-tg");
    expect(tg.TargetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/defaults-tg\/[0-9a-f]{16}$/);
    expect(tg).toMatchObject({
      Protocol: "HTTP",
      Port: 8080,
      VpcId: vpcId,
      TargetType: "instance",
      HealthCheckProtocol: "HTTP",
      HealthCheckPort: "traffic-port",
      HealthCheckEnabled: true,
      HealthCheckPath: "/",
      HealthCheckIntervalSeconds: 30,
      HealthCheckTimeoutSeconds: 5,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: "200" },
      ProtocolVersion: "HTTP1",
    });
    expect(tg.LoadBalancerArns).toEqual([]);
  });

  it("validates names, ranges and cross-field rules", async () => {
    const long = await expectError(createTg("t".repeat(33)));
    expect(long.name).toBe("ValidationError");
    const chars = await expectError(createTg("bad_name"));
    expect(chars.name).toBe("ValidationError");
    const timeout = await expectError(createTg("slow-tg", { HealthCheckIntervalSeconds: 10, HealthCheckTimeoutSeconds: 10 }));
    expect(timeout).toBeInstanceOf(InvalidConfigurationRequestException);
    const threshold = await expectError(createTg("thr-tg", { HealthyThresholdCount: 11 }));
    expect(threshold.name).toBe("ValidationError");
    const matcher = await expectError(createTg("match-tg", { Matcher: { HttpCode: "600" } }));
    expect(matcher).toBeInstanceOf(InvalidConfigurationRequestException);
  });

  it("is idempotent for the same settings and raises DuplicateTargetGroupName otherwise", async () => {
    const a = await createTg("dup-tg");
    const b = await createTg("dup-tg");
    expect(b.TargetGroupArn).toBe(a.TargetGroupArn);
    const err = await expectError(createTg("dup-tg", { Port: 9090 }));
    expect(err).toBeInstanceOf(DuplicateTargetGroupNameException);
  });

  it("pages, finds by name, and raises TargetGroupNotFound", async () => {
    for (const n of ["pg-1", "pg-2", "pg-3"]) await createTg(n);
    const seen: string[] = [];
    for await (const page of paginateDescribeTargetGroups({ client: lc.elbv2 }, { PageSize: 2 })) {
      expect(page.TargetGroups!.length).toBeLessThanOrEqual(2);
      seen.push(...page.TargetGroups!.map((t) => t.TargetGroupName!));
    }
    expect(seen).toEqual(expect.arrayContaining(["pg-1", "pg-2", "pg-3"]));
    const byName = await lc.elbv2.send(new DescribeTargetGroupsCommand({ Names: ["pg-2"] }));
    expect(byName.TargetGroups!.map((t) => t.TargetGroupName)).toEqual(["pg-2"]);
    const err = await expectError(lc.elbv2.send(new DescribeTargetGroupsCommand({ Names: ["no-such-tg"] })));
    expect(err).toBeInstanceOf(TargetGroupNotFoundException);
  });

  it("modifies health checks and attributes with AWS's ranges", async () => {
    const tg = await createTg("mod-tg");
    const arn = tg.TargetGroupArn!;
    const mod = await lc.elbv2.send(
      new ModifyTargetGroupCommand({
        TargetGroupArn: arn,
        HealthCheckPath: "/healthz",
        HealthCheckIntervalSeconds: 10,
        HealthyThresholdCount: 2,
        Matcher: { HttpCode: "200-299" },
      }),
    );
    expect(mod.TargetGroups![0]).toMatchObject({
      HealthCheckPath: "/healthz",
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
      Matcher: { HttpCode: "200-299" },
    });
    const attrs = await lc.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    const map = Object.fromEntries(attrs.Attributes!.map((a) => [a.Key, a.Value]));
    expect(map).toMatchObject({
      "deregistration_delay.timeout_seconds": "300",
      "stickiness.enabled": "false",
      "stickiness.type": "lb_cookie",
      "load_balancing.algorithm.type": "round_robin",
      "slow_start.duration_seconds": "0",
    });
    const ok = await lc.elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: arn,
        Attributes: [
          { Key: "deregistration_delay.timeout_seconds", Value: "30" },
          { Key: "load_balancing.algorithm.type", Value: "least_outstanding_requests" },
        ],
      }),
    );
    expect(ok.Attributes!.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value).toBe("30");
    for (const [Key, Value] of [
      ["deregistration_delay.timeout_seconds", "3601"],
      ["slow_start.duration_seconds", "10"],
      ["stickiness.enabled", "yes"],
    ]) {
      const err = await expectError(
        lc.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key, Value }] })),
      );
      expect(err).toBeInstanceOf(InvalidConfigurationRequestException);
    }
    const missing = await expectError(
      lc.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn.replace(/[0-9a-f]{16}$/, "0000000000000000") })),
    );
    expect(missing).toBeInstanceOf(TargetGroupNotFoundException);
  });
});

describe("targets and health", () => {
  const health = async (tgArn: string) =>
    (await lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;

  it("goes unused -> initial -> healthy, drains on deregistration, then disappears", async () => {
    const [a, b] = await runInstances(subnets[0], 2);
    const lb = await createAlb("health-lb");
    const tg = await createTg("health-tg", { HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 3 });
    const tgArn = tg.TargetGroupArn!;
    await lc.elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: tgArn,
        Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "60" }],
      }),
    );
    await lc.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: a }, { Id: b, Port: 9000 }] }));

    // No listener forwards to the group yet.
    const unused = await health(tgArn);
    expect(unused.map((d) => [d.Target!.Id, d.Target!.Port, d.TargetHealth!.State, d.TargetHealth!.Reason])).toEqual([
      [a, 8080, "unused", "Target.NotInUse"],
      [b, 9000, "unused", "Target.NotInUse"],
    ]);
    expect(unused[1].HealthCheckPort).toBe("9000");

    await lc.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([tgArn, 1]) }),
    );
    const initial = await health(tgArn);
    expect(initial[0].TargetHealth).toMatchObject({ State: "initial", Reason: "Elb.RegistrationInProgress" });

    await eventually(
      async () =>
        (await health(tgArn)).some((d) => d.TargetHealth!.Reason === "Elb.InitialHealthChecking") ||
        (await health(tgArn)).every((d) => d.TargetHealth!.State === "healthy"),
    );
    const healthy = await eventually(async () => {
      const h = await health(tgArn);
      return h.every((d) => d.TargetHealth!.State === "healthy") ? h : undefined;
    });
    expect(healthy![0].TargetHealth!.Reason).toBeUndefined();
    expect(describeTargetHealthInternal(lc.cloud, tgArn).map((d) => d.TargetHealth.State)).toEqual(["healthy", "healthy"]);
    expect(getTargetGroup(lc.cloud, tgArn)?.targets).toHaveLength(2);

    await lc.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: a }] }));
    const draining = (await health(tgArn)).find((d) => d.Target!.Id === a)!;
    expect(draining.TargetHealth).toMatchObject({ State: "draining", Reason: "Target.DeregistrationInProgress" });
    await eventually(async () => !(await health(tgArn)).some((d) => d.Target!.Id === a));
    const rest = await health(tgArn);
    expect(rest.map((d) => d.Target!.Id)).toEqual([b]);

    const notRegistered = await lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn, Targets: [{ Id: a }] }));
    expect(notRegistered.TargetHealthDescriptions![0].TargetHealth).toMatchObject({ State: "unused", Reason: "Target.NotRegistered" });
  });

  it("marks a terminated instance unused with Target.InvalidState", async () => {
    const [id] = await runInstances(subnets[1], 1);
    const lb = await createAlb("term-lb");
    const tg = await createTg("term-tg", { HealthCheckIntervalSeconds: 5, HealthCheckTimeoutSeconds: 2, HealthyThresholdCount: 2 });
    await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: forwardTo([tg.TargetGroupArn!, 1]),
      }),
    );
    await lc.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: id }] }));
    await eventually(async () => (await health(tg.TargetGroupArn!))[0].TargetHealth!.State === "healthy");
    await lc.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const invalid = await eventually(async () => {
      const d = (await health(tg.TargetGroupArn!))[0];
      return d.TargetHealth!.Reason === "Target.InvalidState" ? d : undefined;
    });
    expect(invalid!.TargetHealth).toMatchObject({ State: "unused", Description: "Target is in the terminated state" });
  });

  it("refuses unknown instances, instances of another VPC and unknown groups", async () => {
    const tg = await createTg("reject-tg");
    const unknown = await expectError(
      lc.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: "i-0123456789abcdef0" }] })),
    );
    expect(unknown).toBeInstanceOf(InvalidTargetException);
    const [foreign] = await runInstances(otherVpcSubnet, 1);
    const otherVpc = await expectError(
      lc.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: foreign }] })),
    );
    expect(otherVpc).toBeInstanceOf(InvalidTargetException);
    const noGroup = await expectError(
      lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn!.replace(/[0-9a-f]{16}$/, "fedcba9876543210") })),
    );
    expect(noGroup).toBeInstanceOf(TargetGroupNotFoundException);
    const notRegistered = await expectError(
      lc.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: foreign }] })),
    );
    expect(notRegistered).toBeInstanceOf(InvalidTargetException);
  });
});

describe("health state machine (probe results folded by applyProbe)", () => {
  const group = (healthy: number, unhealthy: number) =>
    ({ healthCheck: { healthyThreshold: healthy, unhealthyThreshold: unhealthy } }) as unknown as Parameters<typeof applyProbe>[0];
  const target = (): Parameters<typeof applyProbe>[1] => ({
    id: "i-0123456789abcdef0",
    port: 80,
    state: "initial",
    reason: "Elb.InitialHealthChecking",
    registeredAt: 0,
    okStreak: 0,
    failStreak: 0,
  });
  const fail = {
    ok: false as const,
    reason: "Target.ResponseCodeMismatch" as const,
    description: "Health checks failed with these codes: [502]",
  };

  it("needs HealthyThresholdCount passes to become healthy and UnhealthyThresholdCount failures to become unhealthy", () => {
    const tg = group(3, 2);
    const t = target();
    applyProbe(tg, t, { ok: true });
    applyProbe(tg, t, { ok: true });
    expect(t.state).toBe("initial");
    applyProbe(tg, t, { ok: true });
    expect(t.state).toBe("healthy");
    applyProbe(tg, t, fail);
    expect(t.state).toBe("healthy");
    applyProbe(tg, t, fail);
    expect([t.state, t.reason, t.description]).toEqual([
      "unhealthy",
      "Target.ResponseCodeMismatch",
      "Health checks failed with these codes: [502]",
    ]);
    applyProbe(tg, t, { ok: true });
    applyProbe(tg, t, { ok: true });
    expect(t.state).toBe("unhealthy");
    applyProbe(tg, t, { ok: true });
    expect(t.state).toBe("healthy");
  });

  it("reports a stopped instance as unused/Target.InvalidState and checks it again from scratch once back", () => {
    const tg = group(2, 2);
    const t = target();
    applyProbe(tg, t, { ok: false, invalidState: "stopped" });
    expect([t.state, t.reason, t.description]).toEqual(["unused", "Target.InvalidState", "Target is in the stopped state"]);
    applyProbe(tg, t, { ok: true });
    expect([t.state, t.reason]).toEqual(["initial", "Elb.InitialHealthChecking"]);
    applyProbe(tg, t, { ok: true });
    expect(t.state).toBe("healthy");
  });
});
