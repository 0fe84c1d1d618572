/**
 * EC2 conformance through the real SDK v3 client: the catalog (zones, regions, images, instance
 * types), and VPCs and subnets.
 */
import { describe, it, expect } from "vitest";
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeInstanceTypesCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  type _InstanceType,
} from "@aws-sdk/client-ec2";
import { ec2, imageId, lc, network, useEc2Cloud } from "./ec2-fixture.ts";
import { expectError } from "./helpers.ts";

// One cloud for the file; tests use distinct CIDRs instead of resetting it.
useEc2Cloud({ quotas: { "vpcs-per-region": 20 } });

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
