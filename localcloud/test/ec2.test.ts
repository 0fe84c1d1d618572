/**
 * EC2 conformance through the real SDK v3 client: networking (VPCs, subnets, gateways, route
 * tables, security groups), the catalog (zones, regions, images, instance types), launch
 * templates, instances with their simulated lifecycle, and tags.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DeleteInternetGatewayCommand,
  DeleteLaunchTemplateCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteTagsCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeInternetGatewaysCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  ModifyLaunchTemplateCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
  type EC2Client,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { getInstance, instanceUserData } from "../src/services/ec2/index.ts";
import { eventually, expectError, startTestCloud, type TestCloud } from "./helpers.ts";

let lc: TestCloud;
let ec2: EC2Client;
let imageId: string;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 200 });
  ec2 = lc.ec2;
  // These tests share one cloud and create more VPCs than AWS's default quota of 5 per region.
  await lc.admin("POST", "quotas", { quotas: { "vpcs-per-region": 20 } });
  const images = await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-*"] }] }));
  imageId = images.Images![0].ImageId!;
});
afterAll(async () => lc?.close());

const waiter = () => ({ client: ec2, maxWaitTime: 30, minDelay: 1, maxDelay: 1 });

async function network(cidr = "10.0.0.0/16", zones = ["us-east-1a", "us-east-1b"]) {
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const prefix = cidr.split(".").slice(0, 2).join(".");
  const subnets = [];
  for (const [i, zone] of zones.entries()) {
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: `${prefix}.${i}.0/24`, AvailabilityZone: zone }),
    );
    subnets.push(Subnet!);
  }
  return { vpcId: Vpc!.VpcId!, subnets };
}

describe("regions, zones and the catalog", () => {
  it("lists per-region Availability Zones and the regions", async () => {
    const east = await ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(east.AvailabilityZones!.map((z) => z.ZoneName)).toEqual(["a", "b", "c", "d", "e", "f"].map((l) => `us-east-1${l}`));
    expect(east.AvailabilityZones![0]).toMatchObject({
      State: "available",
      RegionName: "us-east-1",
      ZoneId: "use1-az1",
      ZoneType: "availability-zone",
    });
    const west = await lc.clientsFor("us-west-2").ec2.send(new DescribeAvailabilityZonesCommand({}));
    expect(west.AvailabilityZones).toHaveLength(4);
    const ireland = await lc
      .clientsFor("eu-west-1")
      .ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: "zone-name", Values: ["eu-west-1b"] }] }));
    expect(ireland.AvailabilityZones!.map((z) => z.ZoneName)).toEqual(["eu-west-1b"]);
    const regions = await ec2.send(new DescribeRegionsCommand({ RegionNames: ["us-east-1", "eu-west-1"] }));
    expect(regions.Regions!.map((r) => r.Endpoint).sort()).toEqual(["ec2.eu-west-1.amazonaws.com", "ec2.us-east-1.amazonaws.com"]);
    const err = await expectError(ec2.send(new DescribeAvailabilityZonesCommand({ ZoneNames: ["us-east-1z"] })));
    expect(err.name).toBe("InvalidParameterValue");
  });

  it("offers one Amazon Linux 2023 image per region and refuses unknown images", async () => {
    const { Images } = await ec2.send(
      new DescribeImagesCommand({
        Filters: [
          { Name: "owner-alias", Values: ["amazon"] },
          { Name: "architecture", Values: ["x86_64"] },
        ],
      }),
    );
    expect(Images).toHaveLength(1);
    expect(Images![0]).toMatchObject({ ImageOwnerAlias: "amazon", State: "available", Architecture: "x86_64", RootDeviceType: "ebs" });
    expect(Images![0].Name).toMatch(/^al2023-ami-2023\.\d+\.\d+\.\d+-kernel-6\.1-x86_64$/);
    expect(Images![0].ImageId).toMatch(/^ami-[0-9a-f]{17}$/);
    const west = await lc.clientsFor("us-west-2").ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }));
    expect(west.Images![0].ImageId).not.toBe(imageId);
    expect((await ec2.send(new DescribeImagesCommand({ Filters: [{ Name: "name", Values: ["ubuntu-*"] }] }))).Images).toEqual([]);
    const err = await expectError(ec2.send(new DescribeImagesCommand({ ImageIds: ["ami-0123456789abcdef0"] })));
    expect(err.name).toBe("InvalidAMIID.NotFound");
  });

  it("describes instance types with vCPUs and memory, filters and pages them", async () => {
    const { InstanceTypes } = await ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t3.micro", "m7g.large", "r6i.xlarge"] }));
    const byType = Object.fromEntries(InstanceTypes!.map((t) => [t.InstanceType, t]));
    expect(byType["t3.micro"]).toMatchObject({
      VCpuInfo: { DefaultVCpus: 2 },
      MemoryInfo: { SizeInMiB: 1024 },
      BurstablePerformanceSupported: true,
    });
    expect(byType["m7g.large"].ProcessorInfo!.SupportedArchitectures).toEqual(["arm64"]);
    expect(byType["r6i.xlarge"].MemoryInfo!.SizeInMiB).toBe(32768);
    const twoVcpu = await ec2.send(
      new DescribeInstanceTypesCommand({
        Filters: [
          { Name: "vcpu-info.default-vcpus", Values: ["2"] },
          { Name: "instance-type", Values: ["c*"] },
        ],
      }),
    );
    expect(twoVcpu.InstanceTypes!.map((t) => t.InstanceType).sort()).toEqual(["c5.large", "c6i.large"]);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeInstanceTypesCommand({
          MaxResults: 5,
          NextToken: token,
          Filters: [{ Name: "instance-type", Values: ["t3.*", "t3a.*"] }],
        }),
      );
      expect(page.InstanceTypes!.length).toBeLessThanOrEqual(5);
      seen.push(...page.InstanceTypes!.map((t) => t.InstanceType!));
      token = page.NextToken;
    } while (token);
    expect(new Set(seen).size).toBe(12);
    const err = await expectError(ec2.send(new DescribeInstanceTypesCommand({ InstanceTypes: ["t9.huge" as _InstanceType] })));
    expect(err.name).toBe("InvalidInstanceType");
  });
});

describe("VPCs and subnets", () => {
  it("creates a VPC with its main route table and default security group, regional and tagged", async () => {
    const { Vpc } = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: "10.1.0.0/16",
        TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "Name", Value: "vpc-test" }] }],
      }),
    );
    expect(Vpc!.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(Vpc!.Tags).toEqual([{ Key: "Name", Value: "vpc-test" }]);
    const { Vpcs } = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["vpc-test"] }] }));
    expect(Vpcs).toHaveLength(1);
    expect(Vpcs![0]).toMatchObject({
      VpcId: Vpc!.VpcId,
      CidrBlock: "10.1.0.0/16",
      State: "available",
      IsDefault: false,
      OwnerId: "000000000000",
    });
    const tables = await ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: "vpc-id", Values: [Vpc!.VpcId!] },
          { Name: "association.main", Values: ["true"] },
        ],
      }),
    );
    expect(tables.RouteTables).toHaveLength(1);
    expect(tables.RouteTables![0].Routes).toEqual([
      expect.objectContaining({ DestinationCidrBlock: "10.1.0.0/16", GatewayId: "local", State: "active" }),
    ]);
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [Vpc!.VpcId!] }] }));
    expect(groups.SecurityGroups!.map((g) => g.GroupName)).toEqual(["default"]);
    // Resources are regional: another region does not see the VPC.
    const err = await expectError(lc.clientsFor("us-west-2").ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] })));
    expect(err.name).toBe("InvalidVpcID.NotFound");
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: Vpc!.VpcId, EnableDnsHostnames: { Value: true } }));
    const attribute = await ec2.send(new DescribeVpcAttributeCommand({ VpcId: Vpc!.VpcId, Attribute: "enableDnsHostnames" }));
    expect(attribute.EnableDnsHostnames?.Value).toBe(true);
    await ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
    expect((await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [Vpc!.VpcId!] }] }))).RouteTables).toEqual(
      [],
    );
    expect((await expectError(ec2.send(new DeleteVpcCommand({ VpcId: Vpc!.VpcId })))).name).toBe("InvalidVpcID.NotFound");
  });

  it("validates CIDRs and zones and refuses to delete a VPC with subnets", async () => {
    expect((await expectError(ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/8" })))).name).toBe("InvalidVpc.Range");
    expect((await expectError(ec2.send(new CreateVpcCommand({ CidrBlock: "10.0.0.300/16" })))).name).toBe("InvalidParameterValue");
    const { vpcId, subnets } = await network("10.2.0.0/16", ["us-east-1a"]);
    expect(subnets[0]).toMatchObject({
      AvailabilityZone: "us-east-1a",
      AvailableIpAddressCount: 251,
      MapPublicIpOnLaunch: false,
      VpcId: vpcId,
    });
    const outside = await expectError(
      ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.3.0.0/24", AvailabilityZone: "us-east-1a" })),
    );
    expect(outside.name).toBe("InvalidSubnet.Range");
    const overlap = await expectError(
      ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.2.0.128/25", AvailabilityZone: "us-east-1b" })),
    );
    expect(overlap.name).toBe("InvalidSubnet.Conflict");
    const badZone = await expectError(
      ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.2.9.0/24", AvailabilityZone: "us-west-2a" })),
    );
    expect(badZone.name).toBe("InvalidParameterValue");
    const noVpc = await expectError(ec2.send(new CreateSubnetCommand({ VpcId: "vpc-0123456789abcdef0", CidrBlock: "10.2.9.0/24" })));
    expect(noVpc.name).toBe("InvalidVpcID.NotFound");

    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnets[0].SubnetId, MapPublicIpOnLaunch: { Value: true } }));
    const described = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "availability-zone", Values: ["us-east-1a"] },
        ],
      }),
    );
    expect(described.Subnets!.map((s) => [s.SubnetId, s.MapPublicIpOnLaunch])).toEqual([[subnets[0].SubnetId, true]]);

    const dependency = await expectError(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })));
    expect(dependency.name).toBe("DependencyViolation");
    expect(dependency.$metadata.httpStatusCode).toBe(400);
    await ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[0].SubnetId }));
    await ec2.send(new DeleteVpcCommand({ VpcId: vpcId }));
  });

  it("pages subnets with MaxResults and NextToken", async () => {
    const { vpcId } = await network("10.4.0.0/16", [
      "us-east-1a",
      "us-east-1b",
      "us-east-1c",
      "us-east-1d",
      "us-east-1e",
      "us-east-1f",
      "us-east-1a",
    ]);
    const first = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }], MaxResults: 5 }));
    expect(first.Subnets).toHaveLength(5);
    expect(first.NextToken).toBeTruthy();
    const second = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }], MaxResults: 5, NextToken: first.NextToken }),
    );
    expect(second.Subnets).toHaveLength(2);
    expect(second.NextToken).toBeUndefined();
    expect(new Set([...first.Subnets!, ...second.Subnets!].map((s) => s.SubnetId)).size).toBe(7);
    const badToken = await expectError(ec2.send(new DescribeSubnetsCommand({ MaxResults: 5, NextToken: "garbage" })));
    expect(badToken.name).toBe("InvalidPaginationToken");
  });
});

describe("internet gateways and route tables", () => {
  it("attaches a gateway, routes a public subnet through it and enforces dependencies", async () => {
    const { vpcId, subnets } = await network("10.5.0.0/16", ["us-east-1a"]);
    const { InternetGateway } = await ec2.send(
      new CreateInternetGatewayCommand({
        TagSpecifications: [{ ResourceType: "internet-gateway", Tags: [{ Key: "Name", Value: "igw-test" }] }],
      }),
    );
    const igwId = InternetGateway!.InternetGatewayId!;
    expect(igwId).toMatch(/^igw-[0-9a-f]{17}$/);
    await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    const attached = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }));
    expect(attached.InternetGateways!.map((g) => g.InternetGatewayId)).toEqual([igwId]);
    expect(attached.InternetGateways![0].Attachments).toEqual([{ VpcId: vpcId, State: "available" }]);
    expect((await expectError(ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId })))).name).toBe(
      "Resource.AlreadyAssociated",
    );
    expect((await expectError(ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId })))).name).toBe("DependencyViolation");

    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: vpcId }));
    const rtbId = RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }));
    expect(
      (await expectError(ec2.send(new CreateRouteCommand({ RouteTableId: rtbId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }))))
        .name,
    ).toBe("RouteAlreadyExists");
    const { AssociationId } = await ec2.send(new AssociateRouteTableCommand({ RouteTableId: rtbId, SubnetId: subnets[0].SubnetId }));
    expect(AssociationId).toMatch(/^rtbassoc-[0-9a-f]{17}$/);
    const bySubnet = await ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnets[0].SubnetId!] }] }),
    );
    expect(bySubnet.RouteTables!.map((t) => t.RouteTableId)).toEqual([rtbId]);
    expect(bySubnet.RouteTables![0].Routes!.find((r) => r.DestinationCidrBlock === "0.0.0.0/0")).toMatchObject({
      GatewayId: igwId,
      State: "active",
      Origin: "CreateRoute",
    });
    expect((await expectError(ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtbId })))).name).toBe("DependencyViolation");

    await ec2.send(new DisassociateRouteTableCommand({ AssociationId }));
    await ec2.send(new DeleteRouteTableCommand({ RouteTableId: rtbId }));
    await ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));
    expect((await expectError(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId })))).name).toBe(
      "Gateway.NotAttached",
    );
    await ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igwId }));
    expect((await expectError(ec2.send(new DescribeInternetGatewaysCommand({ InternetGatewayIds: [igwId] })))).name).toBe(
      "InvalidInternetGatewayID.NotFound",
    );
  });
});

describe("security groups", () => {
  it("authorizes and revokes rules, refuses duplicates and deleting a referenced group", async () => {
    const { vpcId } = await network("10.6.0.0/16", ["us-east-1a"]);
    const alb = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "alb", Description: "load balancer", VpcId: vpcId }));
    const app = await ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: "app",
        Description: "instances",
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: "security-group", Tags: [{ Key: "tier", Value: "app" }] }],
      }),
    );
    expect(app.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(
      (await expectError(ec2.send(new CreateSecurityGroupCommand({ GroupName: "app", Description: "again", VpcId: vpcId })))).name,
    ).toBe("InvalidGroup.Duplicate");

    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: alb.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "web" }] }],
      }),
    );
    const granted = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: app.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: alb.GroupId }] }],
      }),
    );
    expect(granted.Return).toBe(true);
    expect(granted.SecurityGroupRules![0]).toMatchObject({
      IsEgress: false,
      IpProtocol: "tcp",
      FromPort: 8080,
      ToPort: 8080,
      ReferencedGroupInfo: { GroupId: alb.GroupId },
    });
    const duplicate = await expectError(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: alb.GroupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
        }),
      ),
    );
    expect(duplicate.name).toBe("InvalidPermission.Duplicate");

    const { SecurityGroups } = await ec2.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "group-name", Values: ["alb", "app"] },
        ],
      }),
    );
    const byName = Object.fromEntries(SecurityGroups!.map((g) => [g.GroupName, g]));
    expect(byName.alb.IpPermissions).toEqual([
      expect.objectContaining({ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "web" }] }),
    ]);
    expect(byName.alb.IpPermissionsEgress).toEqual([expect.objectContaining({ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] })]);
    expect(byName.app.IpPermissions![0].UserIdGroupPairs).toEqual([expect.objectContaining({ GroupId: alb.GroupId })]);
    expect(byName.app.Tags).toEqual([{ Key: "tier", Value: "app" }]);
    const byPort = await ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "ip-permission.from-port", Values: ["8080"] }] }));
    expect(byPort.SecurityGroups!.map((g) => g.GroupId)).toEqual([app.GroupId]);

    const referenced = await expectError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: alb.GroupId })));
    expect(referenced.name).toBe("DependencyViolation");
    const defaultGroup = (
      await ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "group-name", Values: ["default"] },
          ],
        }),
      )
    ).SecurityGroups![0];
    expect((await expectError(ec2.send(new DeleteSecurityGroupCommand({ GroupId: defaultGroup.GroupId })))).name).toBe("CannotDelete");

    await ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: app.GroupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: alb.GroupId }] }],
      }),
    );
    const missingRule = await expectError(
      ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: app.GroupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: alb.GroupId }] }],
        }),
      ),
    );
    expect(missingRule.name).toBe("InvalidPermission.NotFound");
    const dependency = await expectError(ec2.send(new DeleteVpcCommand({ VpcId: vpcId })));
    expect(dependency.name).toBe("DependencyViolation");
    await ec2.send(new DeleteSecurityGroupCommand({ GroupId: alb.GroupId }));
    expect((await expectError(ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [alb.GroupId!] })))).name).toBe(
      "InvalidGroup.NotFound",
    );
  });
});

describe("launch templates", () => {
  it("creates versions, resolves $Latest/$Default, modifies the default and is idempotent per ClientToken", async () => {
    const userData = Buffer.from("#!/bin/bash\n# localcloud: boot_seconds=20 latency_ms=30\n").toString("base64");
    const created = await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "lt-test",
        ClientToken: "token-1",
        VersionDescription: "first",
        LaunchTemplateData: { ImageId: imageId, InstanceType: "t3.micro", UserData: userData },
        TagSpecifications: [{ ResourceType: "launch-template", Tags: [{ Key: "team", Value: "web" }] }],
      }),
    );
    const id = created.LaunchTemplate!.LaunchTemplateId!;
    expect(id).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(created.LaunchTemplate).toMatchObject({
      LaunchTemplateName: "lt-test",
      DefaultVersionNumber: 1,
      LatestVersionNumber: 1,
      Tags: [{ Key: "team", Value: "web" }],
    });
    const again = await ec2.send(
      new CreateLaunchTemplateCommand({ LaunchTemplateName: "lt-test", ClientToken: "token-1", LaunchTemplateData: { ImageId: imageId } }),
    );
    expect(again.LaunchTemplate!.LaunchTemplateId).toBe(id);
    const duplicate = await expectError(
      ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: "lt-test", LaunchTemplateData: { ImageId: imageId } })),
    );
    expect(duplicate.name).toBe("InvalidLaunchTemplateName.AlreadyExistsException");

    const v2 = await ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: id,
        SourceVersion: "1",
        LaunchTemplateData: { InstanceType: "t3.small" },
      }),
    );
    expect(v2.LaunchTemplateVersion).toMatchObject({ VersionNumber: 2, DefaultVersion: false });
    expect(v2.LaunchTemplateVersion!.LaunchTemplateData).toMatchObject({ ImageId: imageId, InstanceType: "t3.small", UserData: userData });
    const resolved = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "lt-test", Versions: ["$Latest", "$Default"] }),
    );
    expect(resolved.LaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([2, 1]);
    await ec2.send(new ModifyLaunchTemplateCommand({ LaunchTemplateId: id, DefaultVersion: "2" }));
    const listed = await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }));
    expect(listed.LaunchTemplates![0]).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 2 });
    const byType = await ec2.send(
      new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Filters: [{ Name: "instance-type", Values: ["t3.small"] }] }),
    );
    expect(byType.LaunchTemplateVersions!.map((v) => v.VersionNumber)).toEqual([2]);

    expect((await expectError(ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id, Versions: ["9"] })))).name).toBe(
      "InvalidLaunchTemplateId.VersionNotFound",
    );
    expect((await expectError(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-0123456789abcdef0"] })))).name).toBe(
      "InvalidLaunchTemplateId.NotFound",
    );
    expect((await expectError(ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["nope"] })))).name).toBe(
      "InvalidLaunchTemplateName.NotFoundException",
    );
    await ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: id }));
    expect(
      (await ec2.send(new DescribeLaunchTemplatesCommand({ Filters: [{ Name: "launch-template-name", Values: ["lt-test"] }] })))
        .LaunchTemplates,
    ).toEqual([]);
  });
});

describe("instances", () => {
  it("runs instances from a launch template into a subnet, through pending to running, and terminates them", async () => {
    const { vpcId, subnets } = await network("10.7.0.0/16", ["us-east-1b"]);
    const userData = Buffer.from("# localcloud: boot_seconds=20 latency_ms=30 error_rate=0.0 health=ok\n").toString("base64");
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: vpcId }));
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "run-test",
        LaunchTemplateData: {
          ImageId: imageId,
          InstanceType: "t3.small",
          UserData: userData,
          SecurityGroupIds: [sg.GroupId!],
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "app", Value: "shop" }] }],
        },
      }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        MinCount: 3,
        MaxCount: 3,
        SubnetId: subnets[0].SubnetId,
        LaunchTemplate: { LaunchTemplateName: "run-test", Version: "$Latest" },
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "env", Value: "test" }] }],
      }),
    );
    expect(run.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(run.Instances).toHaveLength(3);
    const first = run.Instances![0];
    expect(first.State).toEqual({ Code: 0, Name: "pending" });
    expect(first).toMatchObject({
      ImageId: imageId,
      InstanceType: "t3.small",
      SubnetId: subnets[0].SubnetId,
      VpcId: vpcId,
      Placement: expect.objectContaining({ AvailabilityZone: "us-east-1b" }),
    });
    expect(first.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(first.PrivateIpAddress).toMatch(/^10\.7\.0\.\d+$/);
    expect(new Set(run.Instances!.map((i) => i.PrivateIpAddress)).size).toBe(3);
    expect(first.SecurityGroups).toEqual([{ GroupId: sg.GroupId, GroupName: "web" }]);
    const tags = Object.fromEntries(first.Tags!.map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({ app: "shop", env: "test", "aws:ec2launchtemplate:version": "1" });
    expect(tags["aws:ec2launchtemplate:id"]).toMatch(/^lt-/);
    const ids = run.Instances!.map((i) => i.InstanceId!);

    await waitUntilInstanceRunning(waiter(), { InstanceIds: ids });
    const running = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "instance-state-name", Values: ["running"] },
          { Name: "tag:app", Values: ["shop"] },
        ],
      }),
    );
    expect(running.Reservations).toHaveLength(1);
    expect(running.Reservations![0].Instances!.map((i) => i.State?.Code)).toEqual([16, 16, 16]);
    // The data plane reads the user data kept on the instance.
    expect(instanceUserData(getInstance(lc.cloud, ids[0])!)).toContain("boot_seconds=20");
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: ids[0], Attribute: "userData" }));
    expect(attribute.UserData?.Value).toBe(userData);
    const statuses = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ids }));
    expect(statuses.InstanceStatuses!.map((s) => s.InstanceState?.Name)).toEqual(["running", "running", "running"]);
    expect(["initializing", "ok"]).toContain(statuses.InstanceStatuses![0].InstanceStatus?.Status);

    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [ids[0]] }));
    expect(terminated.TerminatingInstances).toEqual([
      { InstanceId: ids[0], PreviousState: { Code: 16, Name: "running" }, CurrentState: { Code: 32, Name: "shutting-down" } },
    ]);
    await waitUntilInstanceTerminated(waiter(), { InstanceIds: [ids[0]] });
    const gone = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[0]] }));
    expect(gone.Reservations![0].Instances![0]).toMatchObject({
      State: { Code: 48, Name: "terminated" },
      StateReason: { Code: "Client.UserInitiatedShutdown" },
    });
    expect(gone.Reservations![0].Instances![0].StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    const stillThere = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "subnet-id", Values: [subnets[0].SubnetId!] }] }));
    expect(stillThere.Reservations![0].Instances!.map((i) => i.InstanceId).sort()).toEqual(ids.slice(1).sort());
    expect((await expectError(ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[0].SubnetId })))).name).toBe("DependencyViolation");

    // Terminated instances stay visible for about an hour, then vanish.
    await lc.advance(3_700_000);
    await eventually(
      async () =>
        (await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[0]] })))).name === "InvalidInstanceID.NotFound",
    );
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids.slice(1) }));
  });

  it("stops and starts an instance, and replays RunInstances per ClientToken", async () => {
    const { subnets } = await network("10.8.0.0/16", ["us-east-1c"]);
    const input = {
      MinCount: 1,
      MaxCount: 1,
      ImageId: imageId,
      InstanceType: "t3.micro" as const,
      SubnetId: subnets[0].SubnetId,
      ClientToken: "run-once",
    };
    const run = await ec2.send(new RunInstancesCommand(input));
    const replay = await ec2.send(new RunInstancesCommand(input));
    expect(replay.Instances!.map((i) => i.InstanceId)).toEqual(run.Instances!.map((i) => i.InstanceId));
    const id = run.Instances![0].InstanceId!;
    await waitUntilInstanceRunning(waiter(), { InstanceIds: [id] });
    const stopping = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopping.StoppingInstances![0].CurrentState).toEqual({ Code: 64, Name: "stopping" });
    await waitUntilInstanceStopped(waiter(), { InstanceIds: [id] });
    const starting = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(starting.StartingInstances![0]).toMatchObject({ PreviousState: { Name: "stopped" }, CurrentState: { Name: "pending" } });
    await waitUntilInstanceRunning(waiter(), { InstanceIds: [id] });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const notStartable = await eventually(async () => {
      const err = await expectError(ec2.send(new StartInstancesCommand({ InstanceIds: [id] })));
      return err.name === "IncorrectInstanceState" ? err : undefined;
    });
    expect(notStartable.message).toContain(id);
  });

  it("filters and pages DescribeInstances and rejects bad launches with EC2's codes", async () => {
    const { vpcId, subnets } = await network("10.9.0.0/16", ["us-east-1a", "us-east-1d"]);
    for (const subnet of subnets) {
      await ec2.send(
        new RunInstancesCommand({
          MinCount: 3,
          MaxCount: 3,
          ImageId: imageId,
          InstanceType: "t3.micro",
          SubnetId: subnet.SubnetId,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "batch", Value: "paging" }] }],
        }),
      );
    }
    const filters = [{ Name: "vpc-id", Values: [vpcId] }];
    const byZone = await ec2.send(
      new DescribeInstancesCommand({ Filters: [...filters, { Name: "availability-zone", Values: ["us-east-1d"] }] }),
    );
    expect(byZone.Reservations!.flatMap((r) => r.Instances!).map((i) => i.SubnetId)).toEqual(Array(3).fill(subnets[1].SubnetId));
    const byKey = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag-key", Values: ["batch"] },
          { Name: "instance-type", Values: ["t3.*"] },
        ],
      }),
    );
    expect(byKey.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(6);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 5, NextToken: token }));
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(6);

    const combination = await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: [seen[0]], MaxResults: 5 })));
    expect(combination.name).toBe("InvalidParameterCombination");
    expect((await expectError(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "no-such-filter", Values: ["x"] }] })))).name).toBe(
      "InvalidParameterValue",
    );
    expect((await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })))).name).toBe(
      "InvalidInstanceID.NotFound",
    );
    expect((await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["instance-1"] })))).name).toBe(
      "InvalidInstanceID.Malformed",
    );
    const base = { MinCount: 1, MaxCount: 1, ImageId: imageId, SubnetId: subnets[0].SubnetId };
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, ImageId: "ami-0123456789abcdef0" })))).name).toBe(
      "InvalidAMIID.NotFound",
    );
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, SubnetId: "subnet-0123456789abcdef0" })))).name).toBe(
      "InvalidSubnetID.NotFound",
    );
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, InstanceType: "m7g.large" })))).name).toBe(
      "InvalidParameterValue",
    );
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, SecurityGroupIds: ["sg-0123456789abcdef0"] })))).name).toBe(
      "InvalidGroup.NotFound",
    );
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, MinCount: 3, MaxCount: 2 })))).name).toBe(
      "InvalidParameterValue",
    );
    expect(
      (await expectError(ec2.send(new RunInstancesCommand({ ...base, LaunchTemplate: { LaunchTemplateId: "lt-0123456789abcdef0" } }))))
        .name,
    ).toBe("InvalidLaunchTemplateId.NotFound");
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: seen }));
  });
});

describe("tags", () => {
  it("creates, describes with filters and deletes tags across resource types", async () => {
    const { vpcId, subnets } = await network("10.10.0.0/16", ["us-east-1a"]);
    await ec2.send(
      new CreateTagsCommand({
        Resources: [vpcId, subnets[0].SubnetId!],
        Tags: [
          { Key: "stack", Value: "blue" },
          { Key: "owner", Value: "ops" },
        ],
      }),
    );
    const described = await ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "resource-id", Values: [vpcId, subnets[0].SubnetId!] },
          { Name: "key", Values: ["stack"] },
        ],
      }),
    );
    expect(described.Tags!.map((t) => [t.ResourceType, t.Value]).sort()).toEqual([
      ["subnet", "blue"],
      ["vpc", "blue"],
    ]);
    const byType = await ec2.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "resource-type", Values: ["vpc"] },
          { Name: "value", Values: ["ops"] },
        ],
      }),
    );
    expect(byType.Tags!.map((t) => t.ResourceId)).toContain(vpcId);
    await ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: "stack", Value: "green" }] }));
    expect((await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0].Tags).toHaveLength(2);
    await ec2.send(new DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: "stack" }] }));
    expect((await ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0].Tags).toEqual([{ Key: "owner", Value: "ops" }]);
    expect((await expectError(ec2.send(new CreateTagsCommand({ Resources: ["bogus"], Tags: [{ Key: "a", Value: "b" }] })))).name).toBe(
      "InvalidID",
    );
    expect(
      (await expectError(ec2.send(new CreateTagsCommand({ Resources: ["vpc-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] })))).name,
    ).toBe("InvalidVpcID.NotFound");
    expect(
      (await expectError(ec2.send(new CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: "aws:reserved", Value: "b" }] })))).name,
    ).toBe("InvalidParameterValue");
  });
});
