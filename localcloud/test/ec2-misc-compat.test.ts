/**
 * What widely used clients hit on EC2 besides the core resources: GetConsoleOutput (written by
 * the bootstrap simulation through appendConsoleOutput), DescribeVpcs filter aliases, the
 * retired ClassicLink calls, DeleteLaunchTemplateVersions, DescribeAccountAttributes and
 * DependencyViolation on DeleteSecurityGroup / DeleteSubnet.
 */
import { describe, it, expect } from "vitest";
import { ec2, lc, useEc2Cloud } from "./ec2-fixture.ts";
import {
  AllocateAddressCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateNatGatewayCommand,
  CreateSecurityGroupCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DeleteLaunchTemplateVersionsCommand,
  DeleteNatGatewayCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcEndpointsCommand,
  DescribeAccountAttributesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcClassicLinkCommand,
  DescribeVpcClassicLinkDnsSupportCommand,
  DescribeVpcsCommand,
  GetConsoleOutputCommand,
  ModifyVpcAttributeCommand,
  TerminateInstancesCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { CreateLoadBalancerCommand, DeleteLoadBalancerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateDBInstanceCommand, CreateDBSubnetGroupCommand, DeleteDBInstanceCommand } from "@aws-sdk/client-rds";
import { appendConsoleOutput } from "../src/services/ec2/console.ts";
import { eventually, expectError } from "./helpers.ts";
import { aws, awsOk, boto3, boto3Missing, hasAwsCli } from "./ec2-cli-helpers.ts";
import { buildNetwork, runOne } from "./ec2-net-helpers.ts";

useEc2Cloud({ resetBeforeEach: true });

describe("GetConsoleOutput", () => {
  it("returns what the bootstrap wrote, base64, with a timestamp; nothing before that", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 1 });
    const id = await runOne(ec2, { SubnetId: net.subnets[0] });
    const empty = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    expect(empty.InstanceId).toBe(id);
    expect(empty.Output).toBeUndefined();
    expect(appendConsoleOutput(lc.cloud, id, "cloud-init: running modules\n")).toBe(true);
    appendConsoleOutput(lc.cloud, id, "dnf install -y nginx: Complete!\n");
    const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id, Latest: true }));
    expect(Buffer.from(out.Output!, "base64").toString("utf8")).toBe("cloud-init: running modules\ndnf install -y nginx: Complete!\n");
    expect(out.Timestamp).toBeInstanceOf(Date);
    expect(Math.abs(out.Timestamp!.getTime() - lc.cloud.now())).toBeLessThan(60_000);
    expect(appendConsoleOutput(lc.cloud, "i-0000000000000000f", "x")).toBe(false);
    const missing = await expectError(ec2.send(new GetConsoleOutputCommand({ InstanceId: "i-0000000000000000f" })));
    expect(missing.name).toBe("InvalidInstanceID.NotFound");
    const malformed = await expectError(ec2.send(new GetConsoleOutputCommand({ InstanceId: "nope" })));
    expect(malformed.name).toBe("InvalidInstanceID.Malformed");
  });

  it("keeps only the most recent 64 KB, as AWS does", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 1 });
    const id = await runOne(ec2, { SubnetId: net.subnets[0] });
    appendConsoleOutput(lc.cloud, id, `old\n${"x".repeat(70 * 1024)}`);
    appendConsoleOutput(lc.cloud, id, "\nnewest line\n");
    const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    const text = Buffer.from(out.Output!, "base64").toString("utf8");
    expect(text.length).toBe(64 * 1024);
    expect(text.endsWith("newest line\n")).toBe(true);
    expect(text.startsWith("old")).toBe(false);
  });
});

describe("DescribeVpcs filters, ClassicLink, account attributes", () => {
  it("accepts AWS's filter names and aliases", async () => {
    const { Vpc } = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: "10.7.0.0/16",
        TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "env", Value: "stg" }] }],
      }),
    );
    await ec2.send(new CreateVpcCommand({ CidrBlock: "10.8.0.0/16" }));
    const ids = async (Name: string, Values: string[]) =>
      (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name, Values }] }))).Vpcs!.map((v) => v.VpcId);
    for (const name of ["cidr", "cidr-block", "cidr-block-association.cidr-block"])
      expect(await ids(name, ["10.7.0.0/16"])).toEqual([Vpc!.VpcId]);
    expect(await ids("dhcp-options-id", [Vpc!.DhcpOptionsId!])).toEqual([Vpc!.VpcId]);
    expect(await ids("vpc-id", [Vpc!.VpcId!])).toEqual([Vpc!.VpcId]);
    expect(await ids("tag:env", ["stg"])).toEqual([Vpc!.VpcId]);
    expect(await ids("tag-key", ["env"])).toEqual([Vpc!.VpcId]);
    expect(await ids("is-default", ["false"])).toHaveLength(2);
    expect(await ids("is-default", ["true"])).toHaveLength(0);
    expect(await ids("owner-id", ["000000000000"])).toHaveLength(2);
    expect(await ids("state", ["available"])).toHaveLength(2);
    expect((await expectError(ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "cidr-blok", Values: ["x"] }] })))).name).toBe(
      "InvalidParameterValue",
    );
  });

  it("answers the retired ClassicLink calls with UnsupportedOperation", async () => {
    for (const call of [ec2.send(new DescribeVpcClassicLinkCommand({})), ec2.send(new DescribeVpcClassicLinkDnsSupportCommand({}))]) {
      const err = await expectError(call);
      expect(err.name).toBe("UnsupportedOperation");
    }
  });

  it("describes the account: VPC only, no default VPC, limits from the quotas", async () => {
    const out = await ec2.send(new DescribeAccountAttributesCommand({}));
    const attrs = Object.fromEntries(out.AccountAttributes!.map((a) => [a.AttributeName, a.AttributeValues!.map((v) => v.AttributeValue)]));
    expect(attrs).toMatchObject({
      "supported-platforms": ["VPC"],
      "default-vpc": ["none"],
      "max-instances": ["20"],
      "vpc-max-security-groups-per-interface": ["5"],
      "max-elastic-ips": ["5"],
      "vpc-max-elastic-ips": ["5"],
    });
    const one = await ec2.send(new DescribeAccountAttributesCommand({ AttributeNames: ["default-vpc"] }));
    expect(one.AccountAttributes).toEqual([{ AttributeName: "default-vpc", AttributeValues: [{ AttributeValue: "none" }] }]);
  });
});

describe("DeleteLaunchTemplateVersions", () => {
  it("reports each version: deleted, missing, or the default one that stays", async () => {
    const { LaunchTemplate } = await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: "web", LaunchTemplateData: { InstanceType: "t3.micro" } }),
    );
    const id = LaunchTemplate!.LaunchTemplateId!;
    for (const type of ["t3.small", "t3.medium"] as _InstanceType[])
      await ec2.send(new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: { InstanceType: type } }));
    const out = await ec2.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ["1", "3", "9"] }));
    expect(out.SuccessfullyDeletedLaunchTemplateVersions).toEqual([{ LaunchTemplateId: id, LaunchTemplateName: "web", VersionNumber: 3 }]);
    expect(out.UnsuccessfullyDeletedLaunchTemplateVersions!.map((u) => [u.VersionNumber, u.ResponseError!.Code])).toEqual([
      [1, "unexpectedError"],
      [9, "launchTemplateVersionDoesNotExist"],
    ]);
    const versions = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id }));
    expect(versions.LaunchTemplateVersions!.map((v) => v.VersionNumber).sort()).toEqual([1, 2]);
    expect((await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }))).LaunchTemplates![0].LatestVersionNumber).toBe(
      2,
    );
    // Numbers are not reused after deleting the latest.
    const next = await ec2.send(
      new CreateLaunchTemplateVersionCommand({ LaunchTemplateId: id, LaunchTemplateData: { InstanceType: "t3.large" as _InstanceType } }),
    );
    expect(next.LaunchTemplateVersion!.VersionNumber).toBe(4);
    expect(
      (await expectError(ec2.send(new DeleteLaunchTemplateVersionsCommand({ LaunchTemplateName: "nope", Versions: ["1"] })))).name,
    ).toBe("InvalidLaunchTemplateName.NotFoundException");
  });
});

describe("DependencyViolation", () => {
  it("refuses to delete a subnet or group while an instance, NAT gateway, endpoint, load balancer or database uses it", async () => {
    const net = await buildNetwork(ec2, { igw: true, subnetCount: 2 });
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: net.vpcId, EnableDnsHostnames: { Value: true } }));
    const group = async (name: string) =>
      (await ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: name, Description: name }))).GroupId!;
    const [appSg, lbSg, dbSg, vpceSg] = [await group("app"), await group("lb"), await group("db"), await group("vpce")];
    const violation = async (p: Promise<unknown>) => expect((await expectError(p)).name).toBe("DependencyViolation");

    const instance = await runOne(ec2, { SubnetId: net.subnets[0], SecurityGroupIds: [appSg] });
    await violation(ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnets[0] })));
    await violation(ec2.send(new DeleteSecurityGroupCommand({ GroupId: appSg })));
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [instance] }));
    await lc.advance(60_000);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: appSg }));

    const { AllocationId } = await ec2.send(new AllocateAddressCommand({}));
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], AllocationId }));
    await violation(ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnets[0] })));
    await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: NatGateway!.NatGatewayId }));
    await lc.advance(120_000);

    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: net.vpcId,
        VpcEndpointType: "Interface",
        ServiceName: "com.amazonaws.us-east-1.sts",
        SubnetIds: [net.subnets[0]],
        SecurityGroupIds: [vpceSg],
      }),
    );
    await violation(ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnets[0] })));
    await violation(ec2.send(new DeleteSecurityGroupCommand({ GroupId: vpceSg })));
    await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [VpcEndpoint!.VpcEndpointId!] }));
    await lc.advance(60_000);
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: vpceSg }));

    const { LoadBalancers } = await lc.elbv2.send(
      new CreateLoadBalancerCommand({ Name: "web", Subnets: net.subnets, SecurityGroups: [lbSg] }),
    );
    const lbEnis = await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "requester-id", Values: ["amazon-elb"] }] }));
    expect(lbEnis.NetworkInterfaces).toHaveLength(2);
    expect(lbEnis.NetworkInterfaces![0].Description).toMatch(/^ELB app\/web\//);
    await violation(ec2.send(new DeleteSecurityGroupCommand({ GroupId: lbSg })));
    await violation(ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnets[1] })));
    await lc.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: LoadBalancers![0].LoadBalancerArn }));
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: lbSg }));

    await lc.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "db", DBSubnetGroupDescription: "db", SubnetIds: net.subnets }));
    await lc.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "db1",
        Engine: "postgres",
        DBInstanceClass: "db.t3.micro",
        AllocatedStorage: 20,
        MasterUsername: "app",
        MasterUserPassword: "s3cret-Passw0rd",
        DBSubnetGroupName: "db",
        VpcSecurityGroupIds: [dbSg],
        AvailabilityZone: "us-east-1b",
      }),
    );
    await violation(ec2.send(new DeleteSecurityGroupCommand({ GroupId: dbSg })));
    await violation(ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnets[1] })));
    await ec2.send(new DeleteSubnetCommand({ SubnetId: net.subnets[0] }));
    await lc.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "db1", SkipFinalSnapshot: true }));
    await eventually(async () => {
      await lc.advance(60_000);
      await ec2.send(new DeleteSecurityGroupCommand({ GroupId: dbSg }));
      return true;
    });
  });
});

describe("awscli and boto3", () => {
  it("awscli: allocate-address, create-nat-gateway, describe-nat-gateways, create-vpc-endpoint, describe-account-attributes, get-console-output", async () => {
    if (!hasAwsCli()) throw new Error("/usr/bin/aws is missing: apt-get install awscli");
    const net = await buildNetwork(ec2, { igw: true });
    const eip = await awsOk<{ AllocationId: string; Domain: string }>(lc.url, ["ec2", "allocate-address", "--domain", "vpc"]);
    expect(eip.Domain).toBe("vpc");
    const created = await awsOk<{ NatGateway: { NatGatewayId: string; State: string } }>(lc.url, [
      "ec2",
      "create-nat-gateway",
      "--subnet-id",
      net.subnets[0],
      "--allocation-id",
      eip.AllocationId,
    ]);
    expect(created.NatGateway.State).toBe("pending");
    const listed = await awsOk<{ NatGateways: Array<{ NatGatewayId: string }> }>(lc.url, [
      "ec2",
      "describe-nat-gateways",
      "--filter",
      `Name=vpc-id,Values=${net.vpcId}`,
    ]);
    expect(listed.NatGateways.map((n) => n.NatGatewayId)).toEqual([created.NatGateway.NatGatewayId]);
    const endpoint = await awsOk<{ VpcEndpoint: { VpcEndpointType: string; RouteTableIds: string[] } }>(lc.url, [
      "ec2",
      "create-vpc-endpoint",
      "--vpc-id",
      net.vpcId,
      "--service-name",
      "com.amazonaws.us-east-1.s3",
      "--route-table-ids",
      net.publicRouteTableId!,
    ]);
    expect(endpoint.VpcEndpoint).toMatchObject({ VpcEndpointType: "Gateway", RouteTableIds: [net.publicRouteTableId] });
    const attrs = await awsOk<{ AccountAttributes: Array<{ AttributeName: string }> }>(lc.url, [
      "ec2",
      "describe-account-attributes",
      "--attribute-names",
      "supported-platforms",
    ]);
    expect(attrs.AccountAttributes[0].AttributeName).toBe("supported-platforms");
    const id = await runOne(ec2, { SubnetId: net.subnets[1] });
    appendConsoleOutput(lc.cloud, id, "hello from cloud-init\n");
    // awscli decodes Output from base64 itself.
    const consoleOut = await awsOk<{ Output: string; InstanceId: string }>(lc.url, ["ec2", "get-console-output", "--instance-id", id]);
    expect(consoleOut).toMatchObject({ InstanceId: id, Output: "hello from cloud-init\n" });
    const classic = await aws(lc.url, ["ec2", "describe-vpc-classic-link"]);
    expect(classic.stderr).toContain("(UnsupportedOperation)");
  });

  it("boto3: NAT gateway, endpoint, console output and error codes", async (ctx) => {
    const missing = boto3Missing();
    if (missing) {
      console.warn(missing);
      ctx.skip();
    }
    const net = await buildNetwork(ec2, { igw: true });
    const id = await runOne(ec2, { SubnetId: net.subnets[1] });
    appendConsoleOutput(lc.cloud, id, "dnf: Complete!\n");
    const out = await boto3(
      lc.url,
      [
        `eip = ec2.allocate_address(Domain="vpc")`,
        `nat = ec2.create_nat_gateway(SubnetId="${net.subnets[0]}", AllocationId=eip["AllocationId"])["NatGateway"]`,
        `nats = ec2.describe_nat_gateways(Filter=[{"Name": "subnet-id", "Values": ["${net.subnets[0]}"]}])["NatGateways"]`,
        `vpce = ec2.create_vpc_endpoint(VpcId="${net.vpcId}", ServiceName="com.amazonaws.us-east-1.s3", RouteTableIds=["${net.publicRouteTableId}"])["VpcEndpoint"]`,
        `pls = ec2.describe_prefix_lists(PrefixListIds=["pl-63a5400a"])["PrefixLists"]`,
        `console = ec2.get_console_output(InstanceId="${id}", Latest=True)`,
        "try:",
        `    ec2.describe_vpc_classic_link()`,
        `    classic = "none"`,
        "except botocore.exceptions.ClientError as e:",
        `    classic = e.response["Error"]["Code"]`,
        `out = {"nat": nat["NatGatewayId"], "nats": [n["NatGatewayId"] for n in nats], "state": nat["State"], "vpceType": vpce["VpcEndpointType"], "pl": pls[0]["PrefixListName"], "console": console["Output"], "classic": classic}`,
      ].join("\n"),
    );
    expect(out.nats).toEqual([out.nat]);
    expect(out).toMatchObject({
      state: "pending",
      vpceType: "Gateway",
      pl: "com.amazonaws.us-east-1.s3",
      console: "dnf: Complete!\n",
      classic: "UnsupportedOperation",
    });
  });
});
