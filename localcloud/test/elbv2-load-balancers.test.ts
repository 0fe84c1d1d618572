/**
 * ELBv2 conformance, load balancers: load balancers, listeners, tags and persistence, driven only
 * through @aws-sdk/client-elastic-load-balancing-v2 (and client-ec2 for the VPC, subnets and
 * security groups), against the in-process local cloud at 200x. Target groups and target health
 * are in elbv2-targets.test.ts.
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
  DescribeListenersCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  DuplicateListenerException,
  DuplicateLoadBalancerNameException,
  InvalidConfigurationRequestException,
  InvalidSecurityGroupException,
  ListenerNotFoundException,
  LoadBalancerNotFoundException,
  ModifyListenerCommand,
  ModifyLoadBalancerAttributesCommand,
  OperationNotPermittedException,
  RemoveTagsCommand,
  ResourceInUseException,
  SubnetNotFoundException,
  TargetGroupAssociationLimitException,
  TargetGroupNotFoundException,
  paginateDescribeLoadBalancers,
  waitUntilLoadBalancerAvailable,
  type Action,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { eventually, expectError, fastWaiter, startTestCloud, type TestCloud } from "./helpers.ts";

let lc: TestCloud;
let vpcId: string;
let otherVpcId: string;
let subnets: string[];

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
    await waitUntilLoadBalancerAvailable(fastWaiter(lc.elbv2, 20), { LoadBalancerArns: [lb.LoadBalancerArn!] });
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
    const unknown = await expectError(
      lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "ghost", Subnets: [subnets[0], "subnet-0123456789abcdef0"] })),
    );
    expect(unknown).toBeInstanceOf(SubnetNotFoundException);
    const longName = await expectError(
      lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "x".repeat(33), Subnets: subnets.slice(0, 2) })),
    );
    expect(longName.name).toBe("ValidationError");
    const hyphen = await expectError(lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "bad-", Subnets: subnets.slice(0, 2) })));
    expect(hyphen.name).toBe("ValidationError");
    const foreignSg = await lc.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "elsewhere", Description: "other vpc", VpcId: otherVpcId }),
    );
    const sgErr = await expectError(
      lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "sg-lb", Subnets: subnets.slice(0, 2), SecurityGroups: [foreignSg.GroupId!] })),
    );
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
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [
          { Key: "idle_timeout.timeout_seconds", Value: "120" },
          { Key: "deletion_protection.enabled", Value: "true" },
        ],
      }),
    );
    expect(modified.Attributes!.find((a) => a.Key === "idle_timeout.timeout_seconds")?.Value).toBe("120");
    const bad = await expectError(
      lc.elbv2.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: arn,
          Attributes: [{ Key: "idle_timeout.timeout_seconds", Value: "5000" }],
        }),
      ),
    );
    expect(bad).toBeInstanceOf(InvalidConfigurationRequestException);
    const blocked = await expectError(lc.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn })));
    expect(blocked).toBeInstanceOf(OperationNotPermittedException);
    await lc.elbv2.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerArn: arn,
        Attributes: [{ Key: "deletion_protection.enabled", Value: "false" }],
      }),
    );
    await lc.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    const gone = await expectError(lc.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })));
    expect(gone).toBeInstanceOf(LoadBalancerNotFoundException);
  });
});

describe("listeners", () => {
  it("forwards with weights, links target groups to the load balancer, and guards deletes", async () => {
    const lb = await createAlb("listen-lb");
    const blue = await createTg("listen-blue");
    const green = await createTg("listen-green");
    const created = await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: forwardTo([blue.TargetGroupArn!, 90], [green.TargetGroupArn!, 10]),
      }),
    );
    const listener = created.Listeners![0];
    expect(listener.ListenerArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:listener\/app\/listen-lb\/[0-9a-f]{16}\/[0-9a-f]{16}$/,
    );
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
    const shifted = await lc.elbv2.send(
      new ModifyListenerCommand({
        ListenerArn: listener.ListenerArn,
        DefaultActions: forwardTo([blue.TargetGroupArn!, 0], [green.TargetGroupArn!, 100]),
      }),
    );
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
    const res = await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: [{ Type: "forward", TargetGroupArn: tg.TargetGroupArn }],
      }),
    );
    expect(res.Listeners![0].DefaultActions![0]).toMatchObject({
      Type: "forward",
      TargetGroupArn: tg.TargetGroupArn,
      ForwardConfig: { TargetGroups: [{ TargetGroupArn: tg.TargetGroupArn, Weight: 1 }], TargetGroupStickinessConfig: { Enabled: false } },
    });
    const fixed = await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: "HTTP",
        Port: 8081,
        DefaultActions: [
          { Type: "fixed-response", FixedResponseConfig: { StatusCode: "503", ContentType: "text/plain", MessageBody: "down" } },
        ],
      }),
    );
    expect(fixed.Listeners![0].DefaultActions![0].FixedResponseConfig).toEqual({
      StatusCode: "503",
      ContentType: "text/plain",
      MessageBody: "down",
    });
  });

  it("rejects weight 1000, duplicate ports, unknown and foreign target groups", async () => {
    const lb = await createAlb("guard-lb");
    const other = await createAlb("guard-other");
    const tg = await createTg("guard-tg");
    const heavy = await expectError(
      lc.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: forwardTo([tg.TargetGroupArn!, 1000]),
        }),
      ),
    );
    expect(heavy.name).toBe("ValidationError");
    await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: forwardTo([tg.TargetGroupArn!, 999]),
      }),
    );
    const dup = await expectError(
      lc.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: [{ Type: "fixed-response", FixedResponseConfig: { StatusCode: "200" } }],
        }),
      ),
    );
    expect(dup).toBeInstanceOf(DuplicateListenerException);
    const unknownTg = tg.TargetGroupArn!.replace(/[0-9a-f]{16}$/, "0123456789abcdef");
    const missing = await expectError(
      lc.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 81,
          DefaultActions: forwardTo([unknownTg, 1]),
        }),
      ),
    );
    expect(missing).toBeInstanceOf(TargetGroupNotFoundException);
    const shared = await expectError(
      lc.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: other.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: forwardTo([tg.TargetGroupArn!, 1]),
        }),
      ),
    );
    expect(shared).toBeInstanceOf(TargetGroupAssociationLimitException);
    const foreign = await lc.elbv2.send(
      new CreateTargetGroupCommand({ Name: "foreign-tg", Protocol: "HTTP", Port: 80, VpcId: otherVpcId }),
    );
    const vpcErr = await expectError(
      lc.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 82,
          DefaultActions: forwardTo([foreign.TargetGroups![0].TargetGroupArn!, 1]),
        }),
      ),
    );
    expect(vpcErr).toBeInstanceOf(InvalidConfigurationRequestException);
  });

  it("deleting a load balancer deletes its listeners and frees its target groups", async () => {
    const lb = await createAlb("doomed-lb");
    const tg = await createTg("doomed-tg");
    const l = await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancerArn,
        Protocol: "HTTP",
        Port: 80,
        DefaultActions: forwardTo([tg.TargetGroupArn!, 1]),
      }),
    );
    await lc.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    const err = await expectError(lc.elbv2.send(new DescribeListenersCommand({ ListenerArns: [l.Listeners![0].ListenerArn!] })));
    expect(err).toBeInstanceOf(ListenerNotFoundException);
    const tgNow = await lc.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [tg.TargetGroupArn!] }));
    expect(tgNow.TargetGroups![0].LoadBalancerArns).toEqual([]);
    await lc.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn }));
  });
});

describe("tags", () => {
  it("adds, describes and removes tags on load balancers and target groups", async () => {
    const lb = await createAlb("tagged-lb");
    const tg = await createTg("tagged-tg", { Tags: [{ Key: "team", Value: "web" }] });
    await lc.elbv2.send(
      new AddTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!], Tags: [{ Key: "env", Value: "prod" }] }),
    );
    const described = await lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!, tg.TargetGroupArn!] }));
    expect(described.TagDescriptions).toEqual([
      { ResourceArn: lb.LoadBalancerArn, Tags: [{ Key: "env", Value: "prod" }] },
      {
        ResourceArn: tg.TargetGroupArn,
        Tags: [
          { Key: "team", Value: "web" },
          { Key: "env", Value: "prod" },
        ],
      },
    ]);
    await lc.elbv2.send(new RemoveTagsCommand({ ResourceArns: [tg.TargetGroupArn!], TagKeys: ["team"] }));
    const after = await lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: [tg.TargetGroupArn!] }));
    expect(after.TagDescriptions![0].Tags).toEqual([{ Key: "env", Value: "prod" }]);
    const tooMany = await expectError(
      lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: Array.from({ length: 21 }, () => lb.LoadBalancerArn!) })),
    );
    expect(tooMany.name).toBe("ValidationError");
    const missing = await expectError(
      lc.elbv2.send(new DescribeTagsCommand({ ResourceArns: [lb.LoadBalancerArn!.replace(/[0-9a-f]{16}$/, "0000000000000000")] })),
    );
    expect(missing).toBeInstanceOf(LoadBalancerNotFoundException);
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
      ["us-east-1a", "us-east-1b"].map((az, i) =>
        cloud1.ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: `10.50.${i}.0/24`, AvailabilityZone: az })),
      ),
    );
    const lb = (await cloud1.elbv2.send(new CreateLoadBalancerCommand({ Name: "durable", Subnets: sn.map((s) => s.Subnet!.SubnetId!) })))
      .LoadBalancers![0];
    const tg = (
      await cloud1.elbv2.send(new CreateTargetGroupCommand({ Name: "durable-tg", Protocol: "HTTP", Port: 80, VpcId: vpc.Vpc!.VpcId! }))
    ).TargetGroups![0];
    const listener = (
      await cloud1.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: forwardTo([tg.TargetGroupArn!, 7]),
        }),
      )
    ).Listeners![0];
    await cloud1.close({ keepData: true });

    const cloud2 = await startTestCloud({ dataDir, speed: 200 });
    try {
      const lbs = await cloud2.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["durable"] }));
      expect(lbs.LoadBalancers![0]).toMatchObject({ LoadBalancerArn: lb.LoadBalancerArn, DNSName: lb.DNSName });
      const ls = await cloud2.elbv2.send(new DescribeListenersCommand({ ListenerArns: [listener.ListenerArn!] }));
      expect(ls.Listeners![0].DefaultActions![0].ForwardConfig!.TargetGroups![0].Weight).toBe(7);
      await eventually(
        async () =>
          (await cloud2.elbv2.send(new DescribeLoadBalancersCommand({ Names: ["durable"] }))).LoadBalancers![0].State?.Code === "active",
      );
    } finally {
      await cloud2.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
