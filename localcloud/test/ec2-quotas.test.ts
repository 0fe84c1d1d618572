/**
 * EC2 / VPC quotas with AWS's defaults and error codes, and the admin API that sets them per
 * local account (`/_localcloud/quotas`).
 */
import { describe, it, expect } from "vitest";
import { ec2, lc, useEc2Cloud } from "./ec2-fixture.ts";
import {
  AllocateAddressCommand,
  AuthorizeSecurityGroupEgressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  DescribeAccountAttributesCommand,
  RunInstancesCommand,
  type AccountAttributeName,
} from "@aws-sdk/client-ec2";
import { expectError } from "./helpers.ts";
import { aws, hasAwsCli } from "./ec2-cli-helpers.ts";
import { al2023, buildNetwork } from "./ec2-net-helpers.ts";

useEc2Cloud({ resetBeforeEach: true });

interface QuotaView {
  code: string;
  awsQuotaCode: string;
  default: number;
  value: number;
}

async function quotas(account = ""): Promise<Record<string, QuotaView>> {
  const res = await lc.admin<{ accountId: string; quotas: QuotaView[] }>("GET", account ? `quotas/${account}` : "quotas");
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.quotas.map((q) => [q.code, q]));
}

const cidr = (i: number) => `10.${i}.0.0/16`;

describe("admin API", () => {
  it("lists AWS's defaults, sets values by our code or the Service Quotas code, validates, resets", async () => {
    const defaults = await quotas();
    expect(defaults["vpcs-per-region"]).toMatchObject({ awsQuotaCode: "L-F678F1CE", default: 5, value: 5 });
    expect(defaults["elastic-ips"]).toMatchObject({ awsQuotaCode: "L-0263D0A3", default: 5 });
    expect(defaults["nat-gateways-per-az"]).toMatchObject({ default: 5 });
    expect(defaults["internet-gateways-per-region"]).toMatchObject({ default: 5 });
    expect(defaults["security-groups-per-region"]).toMatchObject({ default: 2500 });
    expect(defaults["rules-per-security-group"]).toMatchObject({ awsQuotaCode: "L-0EA8095F", default: 60 });
    const set = await lc.admin("POST", "quotas", { quotas: { "vpcs-per-region": 7, "L-0263D0A3": 2 } });
    expect(set.status).toBe(200);
    expect((await quotas())["vpcs-per-region"].value).toBe(7);
    expect((await quotas())["elastic-ips"].value).toBe(2);
    // Another local account keeps the defaults.
    expect((await quotas("111111111111"))["vpcs-per-region"].value).toBe(5);
    expect((await lc.admin("POST", "quotas", { quotas: { "vpcs-per-region": -1 } })).status).toBe(400);
    expect((await lc.admin("POST", "quotas", { quotas: { "no-such-quota": 1 } })).status).toBe(400);
    expect((await lc.admin("POST", "quotas", { "vpcs-per-region": 3 })).status).toBe(400);
    expect((await lc.admin("GET", "quotas/abc")).status).toBe(400);
    await lc.admin("POST", "quotas", { quotas: { "vpcs-per-region": null } });
    expect((await quotas())["vpcs-per-region"].value).toBe(5);
    await lc.admin("DELETE", "quotas");
    expect((await quotas())["elastic-ips"].value).toBe(5);
    await lc.admin("POST", "quotas", { quotas: { "elastic-ips": 9 } });
    await lc.reset();
    expect((await quotas())["elastic-ips"].value).toBe(5);
  });
});

describe("enforcement", () => {
  it("VPCs: 5 per region, then VpcLimitExceeded; a raised quota allows more; other regions count apart", async () => {
    for (let i = 0; i < 5; i++) await ec2.send(new CreateVpcCommand({ CidrBlock: cidr(i) }));
    const err = await expectError(ec2.send(new CreateVpcCommand({ CidrBlock: cidr(5) })));
    expect(err.name).toBe("VpcLimitExceeded");
    expect(err.message).toBe("The maximum number of VPCs has been reached.");
    await lc.clientsFor("us-west-2").ec2.send(new CreateVpcCommand({ CidrBlock: cidr(5) }));
    await lc.admin("POST", "quotas", { quotas: { "vpcs-per-region": 6 } });
    await ec2.send(new CreateVpcCommand({ CidrBlock: cidr(5) }));
    expect((await expectError(ec2.send(new CreateVpcCommand({ CidrBlock: cidr(6) })))).name).toBe("VpcLimitExceeded");
  });

  it("Elastic IPs and internet gateways: 5 per region; DescribeAccountAttributes follows the EIP quota", async () => {
    for (let i = 0; i < 5; i++) await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const eip = await expectError(ec2.send(new AllocateAddressCommand({ Domain: "vpc" })));
    expect(eip.name).toBe("AddressLimitExceeded");
    expect(eip.message).toBe("The maximum number of addresses has been reached.");
    for (let i = 0; i < 5; i++) await ec2.send(new CreateInternetGatewayCommand({}));
    expect((await expectError(ec2.send(new CreateInternetGatewayCommand({})))).name).toBe("InternetGatewayLimitExceeded");
    await lc.admin("POST", "quotas", { quotas: { "elastic-ips": 8 } });
    const attrs = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ["vpc-max-elastic-ips" as AccountAttributeName] }));
    expect(attrs.AccountAttributes).toEqual([{ AttributeName: "vpc-max-elastic-ips", AttributeValues: [{ AttributeValue: "8" }] }]);
  });

  it("NAT gateways count per Availability Zone", async () => {
    const net = await buildNetwork(ec2, { igw: true });
    await lc.admin("POST", "quotas", { quotas: { "nat-gateways-per-az": 1, "elastic-ips": 10 } });
    const eip = async () => (await ec2.send(new AllocateAddressCommand({}))).AllocationId;
    await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], AllocationId: await eip() }));
    const err = await expectError(ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], AllocationId: await eip() })));
    expect(err.name).toBe("NatGatewayLimitExceeded");
    await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[1], AllocationId: await eip() }));
  });

  it("security groups per region and security groups per network interface", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 1 });
    // The VPC's default group counts too.
    await lc.admin("POST", "quotas", { quotas: { "security-groups-per-region": 7 } });
    const groups: string[] = [];
    for (let i = 0; i < 6; i++)
      groups.push((await ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: `g${i}`, Description: "x" }))).GroupId!);
    expect(
      (await expectError(ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "g6", Description: "x" })))).name,
    ).toBe("SecurityGroupLimitExceeded");
    const run = await expectError(
      ec2.send(
        new RunInstancesCommand({
          ImageId: await al2023(ec2),
          InstanceType: "t3.micro",
          MinCount: 1,
          MaxCount: 1,
          SubnetId: net.subnets[0],
          SecurityGroupIds: groups,
        }),
      ),
    );
    expect(run.name).toBe("SecurityGroupsPerInterfaceLimitExceeded");
  });

  it("rules per security group: 60 inbound and 60 outbound, IPv4 and IPv6 counted apart", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 1 });
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "busy", Description: "many rules" }));
    const ranges = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ CidrIp: `10.${from + i}.0.0/16` }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: ranges(60) }],
      }),
    );
    const err = await expectError(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: ranges(1) }],
        }),
      ),
    );
    expect(err.name).toBe("RulesPerSecurityGroupLimitExceeded");
    expect(err.message).toBe("The maximum number of rules per security group has been reached.");
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, Ipv6Ranges: [{ CidrIpv6: "::/0" }] }],
      }),
    );
    // Egress already holds the default allow-all rule: 59 more fit.
    await ec2.send(
      new AuthorizeSecurityGroupEgressCommand({
        GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: ranges(59, 100) }],
      }),
    );
    expect(
      (
        await expectError(
          ec2.send(
            new AuthorizeSecurityGroupEgressCommand({
              GroupId,
              IpPermissions: [{ IpProtocol: "udp", FromPort: 53, ToPort: 53, IpRanges: ranges(1, 200) }],
            }),
          ),
        )
      ).name,
    ).toBe("RulesPerSecurityGroupLimitExceeded");
  });

  it("awscli sees the same VpcLimitExceeded", async () => {
    if (!hasAwsCli()) throw new Error("/usr/bin/aws is missing: apt-get install awscli");
    await lc.admin("POST", "quotas", { quotas: { "vpcs-per-region": 1 } });
    await ec2.send(new CreateVpcCommand({ CidrBlock: cidr(0) }));
    const r = await aws(lc.url, ["ec2", "create-vpc", "--cidr-block", cidr(1)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("(VpcLimitExceeded)");
  });
});
