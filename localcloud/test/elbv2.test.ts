/**
 * ELBv2 conformance: driven only through @aws-sdk/client-elastic-load-balancing-v2 (and
 * client-ec2 for the VPC, subnets and instances), against the in-process local cloud at 200x.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddTagsCommand,
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  DuplicateListenerException,
  DuplicateLoadBalancerNameException,
  DuplicateTargetGroupNameException,
  InvalidConfigurationRequestException,
  InvalidSecurityGroupException,
  InvalidTargetException,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  OperationNotPermittedException,
  RegisterTargetsCommand,
  RemoveTagsCommand,
  ResourceInUseException,
  SubnetNotFoundException,
  TargetGroupAssociationLimitException,
  TargetGroupNotFoundException,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
  waitUntilLoadBalancerAvailable,
  type Action,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, RunInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { eventually, expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { describeTargetHealthInternal, getTargetGroup } from "../src/services/elbv2/index.ts";
import { applyProbe } from "../src/services/elbv2/health.ts";

let lc: TestCloud;
let vpcId: string;
let otherVpcId: string;
let subnets: string[];
let otherVpcSubnet: string;
let imageId: string;

async function createVpc(cidr: string, azs: string[]) {
  const vpc = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const id = vpc.Vpc!.VpcId!;
  const ids: string[] = [];
  for (const [i, az] of azs.entries()) {
    const sn = await lc.ec2.send(new CreateSubnetCommand({ VpcId: id, CidrBlock: cidr.replace(/\.0\.0\/16$/, `.${i + 1}.0/24`), AvailabilityZone: az }));
    ids.push(sn.Subnet!.SubnetId!);
  }
  return { id, subnets: ids };
}

async function runInstances(subnetId: string, count: number): Promise<string[]> {
  const res = await lc.ec2.send(new RunInstancesCommand({ ImageId: imageId, InstanceType: "t3.micro", MinCount: count, MaxCount: count, SubnetId: subnetId }));
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
  otherVpcId = other.id;
  otherVpcSubnet = other.subnets[0];
  const images = await lc.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }));
  imageId = images.Images![0].ImageId!;
});

afterAll(async () => {
  await lc?.close();
});

describe("load balancers", () => {
  it("creates an ALB in AWS formats that goes provisioning -> active (SDK waiter)", async () => {
    const lb = await createAlb("web-prod");
    expect(lb.LoadBalancerArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer\/app\/web-prod\/[0-9a-f]{16}$/);
    expect(lb.DNSName).toMatch(/^web-prod-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
    expect(lb.CanonicalHostedZoneId).toBe("Z35SXDOTRQ7X7K");
    expect(lb.State?.Code).toBe("provisioning");
    expect(lb.Type).toBe("application");
    expect(lb.Scheme).toBe("internet-facing");
    expect(lb.VpcId).toBe(vpcId);
    expect(lb.CreatedTime).toBeInstanceOf(Date);
    expect(lb.AvailabilityZones?.map((z) => [z.ZoneName, z.SubnetId])).toEqual([
      ["us-east-1a", subnets[0]],
      ["us-east-1b", subnets[1]],
    ]);
    await waitUntilLoadBalancerAvailable({ client: lc.elbv2, maxWaitTime: 20, minDelay: 1, maxDelay: 1 }, { LoadBalancerArns: [lb.LoadBalancerArn!] });
    const after = await lc.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["web-prod"] }));
    expect(after.LoadBalancers![0].State?.Code).toBe("active");
  });

  it("names internal load balancers internal-<name>-<digits>", async () => {
    const lb = await createAlb("api-internal", { Scheme: "internal" });
    expect(lb.Scheme).toBe("internal");
    expect(lb.DNSName).toMatch(/^internal-api-internal-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
  });

  it("rejects an ALB in one AZ, unknown subnets and invalid names", async () => {
    const oneAz = await expectError(lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "one-az", Subnets: [subnets[0]] })));
    expect(oneAz).toBeInstanceOf(InvalidConfigurationRequestException);
    const unknown = await expectError(lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "ghost", Subnets: [subnets[0], "subnet-0123456789abcdef0"] })));
    expect(unknown).toBeInstanceOf(SubnetNotFoundException);
    const longName = await expectError(lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "x".repeat(33), Subnets: subnets.slice(0, 2) })));
    expect(longName.name).toBe("ValidationError");
    const hyphen = await expectError(lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "bad-", Subnets: subnets.slice(0, 2) })));
    expect(hyphen.name).toBe("ValidationError");
    const foreignSg = await lc.ec2.send(new CreateSecurityGroupCommand({ GroupName: "elsewhere", Description: "other vpc", VpcId: otherVpcId }));
    const sgErr = await expectError(lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "sg-lb", Subnets: subnets.slice(0, 2), SecurityGroups: [foreignSg.GroupId!] })));
    expect(sgErr).toBeInstanceOf(InvalidSecurityGroupException);
  });

  it("is idempotent for the same settings and raises DuplicateLoadBalancerName otherwise", async () => {
    const first = await createAlb("idem");
    const again = await createAlb("idem");
    expect(again.LoadBalancerArn).toBe(first.LoadBalancerArn);
    const err = await expectError(lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "idem", Subnets: subnets.slice(1, 3) })));
    expect(err).toBeInstanceOf(DuplicateLoadBalancerNameException);
  });

  it("pages with Marker/PageSize and reports unknown names and ARNs", async () => {
    for (const n of ["page-a", "page-b", "page-c"]) await createAlb(n);
    const pages: number[] = [];
    const names: string[] = [];
    for await (const page of paginateDescribeLoadBalancers({ client: lc.elbv2 }, { PageSize: 2 })) {
      pages.push(page.LoadBalancers!.length);
      names.push(...page.LoadBalancers!.map((l) => l.LoadBalancerName!));
    }
    expect(pages.every((n) => n <= 2)).toBe(true);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(names).toEqual(expect.arrayContaining(["page-a", "page-b", "page-c", "web-prod"]));
    expect(new Set(names).size).toBe(names.length);
    const missing = await expectError(lc.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["nope"] })));
    expect(missing).toBeInstanceOf(LoadBalancerNotFoundException);
    const badSize = await expectError(lc.elbv2.send(new DescribeLoadBalancersCommand({ PageSize: 401 })));
    expect(badSize.name).toBe("ValidationError");
  });

  it("keeps load balancers regional", async () => {
    const west = lc.clientsFor("us-west-2");
    const lb = await createAlb("regional");
    const res = await west.elbv2.send(new DescribeLoadBalancersCommand({}));
    expect(res.LoadBalancers!.map((l) => l.LoadBalancerArn)).not.toContain(lb.LoadBalancerArn);
    const err = await expectError(west.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [lb.LoadBalancerArn!] })));
    expect(err).toBeInstanceOf(LoadBalancerNotFoundException);
  });

  it("describes and modifies attributes; deletion protection blocks DeleteLoadBalancer", async () => {
    const lb = await createAlb("attrs");
    const arn = lb.LoadBalancerArn!;
    const attrs = await lc.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
    const map = Object.fromEntries(attrs.Attributes!.map((a) => [a.Key, a.Value]));
    expect(map["idle_timeout.timeout_seconds"]).toBe("60");
    expect(map["deletion_protection.enabled"]).toBe("false");
    expect(map["routing.http2.enabled"]).toBe("true");
    const modified = await lc.elbv2.send(
      new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "120" }, { Key: "deletion_protection.enabled", Value: "true" }] }),
    );
    expect(modified.Attributes!.find((a) => a.Key === "idle_timeout.timeout_seconds")?.Value).toBe("120");
    const bad = await expectError(lc.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "5000" }] })));
    expect(bad).toBeInstanceOf(InvalidConfigurationRequestException);
    const blocked = await expectError(lc.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })));
    expect(blocked).toBeInstanceOf(OperationNotPermittedException);
    await lc.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: arn, Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }] }));
    await lc.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    const gone = await expectError(lc.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })));
    expect(gone).toBeInstanceOf(LoadBalancerNotFoundException);
  });
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
    const mod = await lc.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, HealthCheckPath: "/healthz", HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2, Matcher: { HttpCode: "200-299" } }));
    expect(mod.TargetGroups![0]).toMatchObject({ HealthCheckPath: "/healthz", HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 2, Matcher: { HttpCode: "200-299" } });
    const attrs = await lc.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn }));
    const map = Object.fromEntries(attrs.Attributes!.map((a) => [a.Key, a.Value]));
    expect(map).toMatchObject({ "deregistration_delay.timeout_seconds": "300", "stickiness.enabled": "false", "stickiness.type": "lb_cookie", "load_balancing.algorithm.type": "round_robin", "slow_start.duration_seconds": "0" });
    const ok = await lc.elbv2.send(
      new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "30" }, { Key: "load_balancing.algorithm.type", Value: "least_outstanding_requests" }] }),
    );
    expect(ok.Attributes!.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value).toBe("30");
    for (const [Key, Value] of [["deregistration_delay.timeout_seconds", "3601"], ["slow_start.duration_seconds", "10"], ["stickiness.enabled", "yes"]]) {
      const err = await expectError(lc.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: arn, Attributes: [{ Key, Value }] })));
      expect(err).toBeInstanceOf(InvalidConfigurationRequestException);
    }
    const missing = await expectError(lc.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn.replace(/[0-9a-f]{16}$/, "0000000000000000") })));
    expect(missing).toBeInstanceOf(TargetGroupNotFoundException);
  });
});

describe("listeners", () => {
  it("forwards with weights, links target groups to the load balancer, and guards deletes", async () => {
    const lb = await createAlb("listen-lb");
    const blue = await createTg("listen-blue");
    const green = await createTg("listen-green");
    const created = await lc.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([blue.TargetGroupArn!, 90], [green.TargetGroupArn!, 10]) }),
    );
    const listener = created.Listeners![0];
    expect(listener.ListenerArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener\/app\/listen-lb\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(listener.DefaultActions![0].ForwardConfig!.TargetGroups).toEqual([
      { TargetGroupArn: blue.TargetGroupArn, Weight: 90 },
      { TargetGroupArn: green.TargetGroupArn, Weight: 10 },
    ]);

    const byLb = await lc.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    expect(byLb.TargetGroups!.map((t) => t.TargetGroupName).sort()).toEqual(["listen-blue", "listen-green"]);
    expect(byLb.TargetGroups![0].LoadBalancerArns).toEqual([lb.LoadBalancerArn]);

    const inUse = await expectError(lc.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: blue.TargetGroupArn })));
    expect(inUse).toBeInstanceOf(ResourceInUseException);

    // Shift traffic: the new weights are what DescribeListeners returns from now on.
    const shifted = await lc.elbv2.send(new ModifyListenerCommand({ ListenerArn: listener.ListenerArn, DefaultActions: forwardTo([blue.TargetGroupArn!, 0], [green.TargetGroupArn!, 100]) }));
    expect(shifted.Listeners![0].DefaultActions![0].ForwardConfig!.TargetGroups!.map((g) => g.Weight)).toEqual([0, 100]);
    const described = await lc.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    expect(described.Listeners!.map((l) => l.Port)).toEqual([80]);
    expect(described.Listeners![0].DefaultActions![0].ForwardConfig!.TargetGroups!.map((g) => g.Weight)).toEqual([0, 100]);

    const rules = await lc.elbv2.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }));
    expect(rules.Rules).toHaveLength(1);
    expect(rules.Rules![0]).toMatchObject({ Priority: "default", IsDefault: true });
    expect(rules.Rules![0].RuleArn).toMatch(/:listener-rule\/app\/listen-lb\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);

    await lc.elbv2.send(new DeleteListenerCommand({ ListenerArn: listener.ListenerArn }));
    const gone = await expectError(lc.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] })));
    expect(gone).toBeInstanceOf(ListenerNotFoundException);
    await lc.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: blue.TargetGroupArn }));
    const tgGone = await expectError(lc.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [blue.TargetGroupArn!] })));
    expect(tgGone).toBeInstanceOf(TargetGroupNotFoundException);
  });

  it("fills TargetGroupArn and ForwardConfig for a simple forward, and serves fixed responses", async () => {
    const lb = await createAlb("simple-lb");
    const tg = await createTg("simple-tg");
    const res = await lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "forward", TargetGroupArn: tg.TargetGroupArn }] }));
    expect(res.Listeners![0].DefaultActions![0]).toMatchObject({
      Type: "forward",
      TargetGroupArn: tg.TargetGroupArn,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg.TargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
    });
    const fixed = await lc.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 8081, DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "503", ContentType: "text/plain", MessageBody: "down" } }] }),
    );
    expect(fixed.Listeners![0].DefaultActions![0].FixedResponseConfig).toEqual({ StatusCode: "503", ContentType: "text/plain", MessageBody: "down" });
  });

  it("rejects weight 1000, duplicate ports, unknown and foreign target groups", async () => {
    const lb = await createAlb("guard-lb");
    const other = await createAlb("guard-other");
    const tg = await createTg("guard-tg");
    const heavy = await expectError(lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([tg.TargetGroupArn!, 1000]) })));
    expect(heavy.name).toBe("ValidationError");
    await lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([tg.TargetGroupArn!, 999]) }));
    const dup = await expectError(lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200" } }] })));
    expect(dup).toBeInstanceOf(DuplicateListenerException);
    const unknownTg = tg.TargetGroupArn!.replace(/[0-9a-f]{16}$/, "0123456789abcdef");
    const missing = await expectError(lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 81, DefaultActions: forwardTo([unknownTg, 1]) })));
    expect(missing).toBeInstanceOf(TargetGroupNotFoundException);
    const shared = await expectError(lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: other.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([tg.TargetGroupArn!, 1]) })));
    expect(shared).toBeInstanceOf(TargetGroupAssociationLimitException);
    const foreign = await lc.elbv2.send(new CreateTargetGroupCommand({ Name: "foreign-tg", Protocol: "HTTP", Port: 80, VpcId: otherVpcId }));
    const vpcErr = await expectError(lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 82, DefaultActions: forwardTo([foreign.TargetGroups![0].TargetGroupArn!, 1]) })));
    expect(vpcErr).toBeInstanceOf(InvalidConfigurationRequestException);
  });

  it("deleting a load balancer deletes its listeners and frees its target groups", async () => {
    const lb = await createAlb("doomed-lb");
    const tg = await createTg("doomed-tg");
    const l = await lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([tg.TargetGroupArn!, 1]) }));
    await lc.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    const err = await expectError(lc.elbv2.send(new DescribeListenersCommand({ ListenerArns: [l.Listeners![0].ListenerArn!] })));
    expect(err).toBeInstanceOf(ListenerNotFoundException);
    const tgNow = await lc.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.TargetGroupArn!] }));
    expect(tgNow.TargetGroups![0].LoadBalancerArns).toEqual([]);
    await lc.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
  });
});

describe("targets and health", () => {
  const health = async (tgArn: string) => (await lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions!;

  it("goes unused -> initial -> healthy, drains on deregistration, then disappears", async () => {
    const [a, b] = await runInstances(subnets[0], 2);
    const lb = await createAlb("health-lb");
    const tg = await createTg("health-tg", { HealthCheckIntervalSeconds: 10, HealthyThresholdCount: 3 });
    const tgArn = tg.TargetGroupArn!;
    await lc.elbv2.send(new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tgArn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: "60" }] }));
    await lc.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tgArn, Targets: [{ Id: a }, { Id: b, Port: 9000 }] }));

    // No listener forwards to the group yet.
    const unused = await health(tgArn);
    expect(unused.map((d) => [d.Target!.Id, d.Target!.Port, d.TargetHealth!.State, d.TargetHealth!.Reason])).toEqual([
      [a, 8080, "unused", "Target.NotInUse"],
      [b, 9000, "unused", "Target.NotInUse"],
    ]);
    expect(unused[1].HealthCheckPort).toBe("9000");

    await lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([tgArn, 1]) }));
    const initial = await health(tgArn);
    expect(initial[0].TargetHealth).toMatchObject({ State: "initial", Reason: "Elb.RegistrationInProgress" });

    await eventually(async () => (await health(tgArn)).some((d) => d.TargetHealth!.Reason === "Elb.InitialHealthChecking") || (await health(tgArn)).every((d) => d.TargetHealth!.State === "healthy"));
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
    await lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([tg.TargetGroupArn!, 1]) }));
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
    const unknown = await expectError(lc.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: "i-0123456789abcdef0" }] })));
    expect(unknown).toBeInstanceOf(InvalidTargetException);
    const [foreign] = await runInstances(otherVpcSubnet, 1);
    const otherVpc = await expectError(lc.elbv2.send(new RegisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: foreign }] })));
    expect(otherVpc).toBeInstanceOf(InvalidTargetException);
    const noGroup = await expectError(lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn!.replace(/[0-9a-f]{16}$/, "fedcba9876543210") })));
    expect(noGroup).toBeInstanceOf(TargetGroupNotFoundException);
    const notRegistered = await expectError(lc.elbv2.send(new DeregisterTargetsCommand({ TargetGroupArn: tg.TargetGroupArn, Targets: [{ Id: foreign }] })));
    expect(notRegistered).toBeInstanceOf(InvalidTargetException);
  });
});

describe("tags", () => {
  it("adds, describes and removes tags on load balancers and target groups", async () => {
    const lb = await createAlb("tagged-lb");
    const tg = await createTg("tagged-tg", { Tags: [{ Key: "team", Value: "web" }] });
    await lc.elbv2.send(new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!], Tags: [{ Key: "env", Value: "prod" }] }));
    const described = await lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!] }));
    expect(described.TagDescriptions).toEqual([
      { ResourceArn: lb.LoadBalancerArn, Tags: [{ Key: "env", Value: "prod" }] },
      { ResourceArn: tg.TargetGroupArn, Tags: [{ Key: "team", Value: "web" }, { Key: "env", Value: "prod" }] },
    ]);
    await lc.elbv2.send(new RemoveTagsCommand({ ResourceArns: [tg.TargetGroupArn!], TagKeys: ["team"] }));
    const after = await lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: [tg.TargetGroupArn!] }));
    expect(after.TagDescriptions![0].Tags).toEqual([{ Key: "env", Value: "prod" }]);
    const tooMany = await expectError(lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: Array.from({ length: 21 }, () => lb.LoadBalancerArn!) })));
    expect(tooMany.name).toBe("ValidationError");
    const missing = await expectError(lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!.replace(/[0-9a-f]{16}$/, "0000000000000000")] })));
    expect(missing).toBeInstanceOf(LoadBalancerNotFoundException);
  });
});

describe("health state machine (probe results folded by applyProbe)", () => {
  const group = (healthy: number, unhealthy: number) =>
    ({ healthCheck: { healthyThreshold: healthy, unhealthyThreshold: unhealthy } }) as unknown as Parameters<typeof applyProbe>[0];
  const target = (): Parameters<typeof applyProbe>[1] => ({ id: "i-0123456789abcdef0", port: 80, state: "initial", reason: "Elb.InitialHealthChecking", registeredAt: 0, okStreak: 0, failStreak: 0 });
  const fail = { ok: false as const, reason: "Target.ResponseCodeMismatch" as const, description: "Health checks failed with these codes: [502]" };

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
    expect([t.state, t.reason, t.description]).toEqual(["unhealthy", "Target.ResponseCodeMismatch", "Health checks failed with these codes: [502]"]);
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

describe("persistence", () => {
  it("keeps load balancers, target groups and listener weights across a restart", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const path = await import("node:path");
    const dataDir = mkdtempSync(path.join(tmpdir(), "localcloud-elbv2-"));
    const cloud1 = await startTestCloud({ dataDir, speed: 200 });
    const vpc = await cloud1.ec2.send(new CreateVpcCommand({ CidrBlock: "10.50.0.0/16" }));
    const sn = await Promise.all(
      ["us-east-1a", "us-east-1b"].map((az, i) => cloud1.ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: `10.50.${i}.0/24`, AvailabilityZone: az }))),
    );
    const lb = (await cloud1.elbv2.send(new CreateLoadBalancerCommand({ Name: "durable", Subnets: sn.map((s) => s.Subnet!.SubnetId!) }))).LoadBalancers![0];
    const tg = (await cloud1.elbv2.send(new CreateTargetGroupCommand({ Name: "durable-tg", Protocol: "HTTP", Port: 80, VpcId: vpc.Vpc!.VpcId! }))).TargetGroups![0];
    const listener = (await cloud1.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancerArn, Protocol: "HTTP", Port: 80, DefaultActions: forwardTo([tg.TargetGroupArn!, 7]) }))).Listeners![0];
    await cloud1.close({ keepData: true });

    const cloud2 = await startTestCloud({ dataDir, speed: 200 });
    try {
      const lbs = await cloud2.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["durable"] }));
      expect(lbs.LoadBalancers![0]).toMatchObject({ LoadBalancerArn: lb.LoadBalancerArn, DNSName: lb.DNSName });
      const ls = await cloud2.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] }));
      expect(ls.Listeners![0].DefaultActions![0].ForwardConfig!.TargetGroups![0].Weight).toBe(7);
      await eventually(async () => (await cloud2.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["durable"] }))).LoadBalancers![0].State?.Code === "active");
    } finally {
      await cloud2.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
