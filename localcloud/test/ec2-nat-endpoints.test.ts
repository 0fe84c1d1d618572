/**
 * Elastic IPs, NAT gateways, VPC endpoints (gateway and interface), prefix lists, endpoint
 * services, network interfaces and network ACLs, through the SDK v3 with AWS's shapes, states
 * on the simulated clock and error codes.
 */
import { describe, it, expect } from "vitest";
import { ec2, lc, useEc2Cloud } from "./ec2-fixture.ts";
import {
  AllocateAddressCommand,
  AssociateAddressCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcEndpointCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DeleteVpcEndpointsCommand,
  DescribeAddressesCommand,
  DescribeInstancesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribePrefixListsCommand,
  DescribeRouteTablesCommand,
  DescribeVpcEndpointServicesCommand,
  DescribeVpcEndpointsCommand,
  DetachInternetGatewayCommand,
  DisassociateAddressCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
  ReleaseAddressCommand,
  ReplaceRouteCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { expectError } from "./helpers.ts";
import { awsOk, boto3, boto3Missing, hasAwsCli } from "./ec2-cli-helpers.ts";
import { al2023, buildNetwork, runOne } from "./ec2-net-helpers.ts";

useEc2Cloud({ resetBeforeEach: true });

const nat = async (id: string) => (await ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways![0];
const routesOf = async (id: string) => (await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [id] }))).RouteTables![0].Routes!;

describe("Elastic IPs", () => {
  it("allocates, associates with a running instance only through an internet gateway, and releases when free", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 1 });
    const eip = await ec2.send(
      new AllocateAddressCommand({
        Domain: "vpc",
        TagSpecifications: [{ ResourceType: "elastic-ip", Tags: [{ Key: "Name", Value: "web" }] }],
      }),
    );
    expect(eip).toMatchObject({ Domain: "vpc", PublicIpv4Pool: "amazon", NetworkBorderGroup: "us-east-1" });
    expect(eip.AllocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    const { Instances } = await ec2.send(
      new RunInstancesCommand({ ImageId: await al2023(ec2), InstanceType: "t3.micro", MinCount: 1, MaxCount: 1, SubnetId: net.subnets[0] }),
    );
    const pendingId = Instances![0].InstanceId!;
    expect((await expectError(ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: pendingId })))).name).toBe(
      "InvalidInstanceID",
    );
    const id = await runOne(ec2, { SubnetId: net.subnets[0] });
    expect((await expectError(ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: id })))).name).toBe(
      "Gateway.NotAttached",
    );

    const pub = await buildNetwork(ec2, { cidr: "10.1.0.0/16", subnetCount: 1, igw: true });
    const a = await runOne(ec2, { SubnetId: pub.subnets[0] });
    const b = await runOne(ec2, { SubnetId: pub.subnets[0] });
    const { AssociationId } = await ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: a }));
    expect(AssociationId).toMatch(/^eipassoc-/);
    const described = (await ec2.send(new DescribeAddressesCommand({ Filters: [{ Name: "tag:Name", Values: ["web"] }] }))).Addresses!;
    expect(described).toHaveLength(1);
    expect(described[0]).toMatchObject({
      AllocationId: eip.AllocationId,
      PublicIp: eip.PublicIp,
      InstanceId: a,
      AssociationId,
      Domain: "vpc",
    });
    expect(described[0].NetworkInterfaceId).toMatch(/^eni-/);
    const instance = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: [a] }))).Reservations![0].Instances![0];
    expect(instance.PublicIpAddress).toBe(eip.PublicIp);
    expect(instance.NetworkInterfaces![0].Association).toMatchObject({ PublicIp: eip.PublicIp, IpOwnerId: "000000000000" });

    expect((await expectError(ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: b })))).name).toBe(
      "Resource.AlreadyAssociated",
    );
    expect((await expectError(ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId })))).name).toBe(
      "InvalidIPAddress.InUse",
    );
    const detach = await expectError(ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: pub.igwId, VpcId: pub.vpcId })));
    expect(detach.name).toBe("DependencyViolation");
    expect(detach.message).toContain("mapped public address");
    await ec2.send(new AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: b, AllowReassociation: true }));
    expect((await ec2.send(new DescribeAddressesCommand({ AllocationIds: [eip.AllocationId!] }))).Addresses![0].InstanceId).toBe(b);
    const current = (await ec2.send(new DescribeAddressesCommand({ PublicIps: [eip.PublicIp!] }))).Addresses![0];
    await ec2.send(new DisassociateAddressCommand({ AssociationId: current.AssociationId }));
    await ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId }));
    expect((await expectError(ec2.send(new ReleaseAddressCommand({ AllocationId: eip.AllocationId })))).name).toBe(
      "InvalidAllocationID.NotFound",
    );
    expect((await expectError(ec2.send(new DescribeAddressesCommand({ PublicIps: ["203.0.113.9"] })))).name).toBe(
      "InvalidAddress.NotFound",
    );
  });
});

describe("NAT gateways", () => {
  it("goes pending -> available on the simulated clock, is idempotent per ClientToken, routes, and deletes to deleted", async () => {
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const { AllocationId, PublicIp } = await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const input = {
      SubnetId: net.subnets[0],
      AllocationId,
      ClientToken: "nat-once",
      TagSpecifications: [{ ResourceType: "natgateway" as const, Tags: [{ Key: "Name", Value: "nat-a" }] }],
    };
    const first = await ec2.send(new CreateNatGatewayCommand(input));
    const again = await ec2.send(new CreateNatGatewayCommand(input));
    expect(again.NatGateway!.NatGatewayId).toBe(first.NatGateway!.NatGatewayId);
    expect(first.ClientToken).toBe("nat-once");
    const id = first.NatGateway!.NatGatewayId!;
    expect(first.NatGateway).toMatchObject({ State: "pending", ConnectivityType: "public", SubnetId: net.subnets[0], VpcId: net.vpcId });
    expect(first.NatGateway!.NatGatewayAddresses![0]).toMatchObject({ AllocationId, PublicIp });
    expect((await expectError(ec2.send(new CreateNatGatewayCommand({ ...input, SubnetId: net.subnets[1] })))).name).toBe(
      "IdempotentParameterMismatch",
    );

    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }));
    const table = RouteTable!.RouteTableId!;
    await ec2.send(new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: id }));
    expect((await routesOf(table)).find((r) => r.DestinationCidrBlock === "0.0.0.0/0")).toMatchObject({
      NatGatewayId: id,
      State: "active",
      Origin: "CreateRoute",
    });
    await lc.advance(120_000);
    expect(await nat(id)).toMatchObject({ State: "available" });
    const byFilter = await ec2.send(
      new DescribeNatGatewaysCommand({
        Filter: [
          { Name: "state", Values: ["available"] },
          { Name: "vpc-id", Values: [net.vpcId] },
          { Name: "tag:Name", Values: ["nat-a"] },
        ],
      }),
    );
    expect(byFilter.NatGateways!.map((n) => n.NatGatewayId)).toEqual([id]);
    const eip = (await ec2.send(new DescribeAddressesCommand({ AllocationIds: [AllocationId!] }))).Addresses![0];
    expect(eip.NetworkInterfaceId).toBe(first.NatGateway!.NatGatewayAddresses![0].NetworkInterfaceId);
    expect((await expectError(ec2.send(new ReleaseAddressCommand({ AllocationId })))).name).toBe("InvalidIPAddress.InUse");

    await ec2.send(new ReplaceRouteCommand({ RouteTableId: table, DestinationCidrBlock: "0.0.0.0/0", GatewayId: net.igwId }));
    const replaced = (await routesOf(table)).find((r) => r.DestinationCidrBlock === "0.0.0.0/0")!;
    expect(replaced.GatewayId).toBe(net.igwId);
    expect(replaced.NatGatewayId).toBeUndefined();
    await ec2.send(new ReplaceRouteCommand({ RouteTableId: table, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: id }));
    expect(
      (await expectError(ec2.send(new ReplaceRouteCommand({ RouteTableId: table, DestinationCidrBlock: "10.9.0.0/16", NatGatewayId: id }))))
        .name,
    ).toBe("InvalidRoute.NotFound");

    expect(await ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: id }))).toMatchObject({ NatGatewayId: id });
    expect(await nat(id)).toMatchObject({ State: "deleting" });
    await lc.advance(120_000);
    const gone = await nat(id);
    expect(gone.State).toBe("deleted");
    expect(gone.DeleteTime).toBeInstanceOf(Date);
    expect((await routesOf(table)).find((r) => r.NatGatewayId === id)?.State).toBe("blackhole");
    await ec2.send(new ReleaseAddressCommand({ AllocationId }));
    expect((await expectError(ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: ["nat-0123456789abcdef0"] })))).name).toBe(
      "NatGatewayNotFound",
    );
    expect(
      (
        await expectError(
          ec2.send(
            new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: "10.8.0.0/16", NatGatewayId: "nat-0123456789abcdef0" }),
          ),
        )
      ).name,
    ).toBe("InvalidNatGatewayID.NotFound");
  });

  it("fails a public NAT gateway in a VPC without an internet gateway; private ones need no address", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 1 });
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({}));
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], AllocationId }));
    await lc.advance(120_000);
    expect(await nat(NatGateway!.NatGatewayId!)).toMatchObject({
      State: "failed",
      FailureCode: "Gateway.NotAttached",
      FailureMessage: `Network ${net.vpcId} has no Internet gateway attached`,
    });
    const priv = await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], ConnectivityType: "private" }));
    expect(priv.NatGateway).toMatchObject({ ConnectivityType: "private", State: "pending" });
    expect(priv.NatGateway!.NatGatewayAddresses![0].PublicIp).toBeUndefined();
    expect(
      (await expectError(ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], ConnectivityType: "private", AllocationId }))))
        .name,
    ).toBe("InvalidParameterCombination");
    expect(
      (await expectError(ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], AllocationId: "eipalloc-0123456789abcdef0" }))))
        .name,
    ).toBe("InvalidAllocationID.NotFound");
  });
});

describe("VPC endpoints", () => {
  it("gateway endpoints add prefix-list routes to their route tables, changed only through the endpoint", async () => {
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }));
    const table = RouteTable!.RouteTableId!;
    const lists = (
      await ec2.send(new DescribePrefixListsCommand({ Filters: [{ Name: "prefix-list-name", Values: ["com.amazonaws.us-east-1.s3"] }] }))
    ).PrefixLists!;
    expect(lists).toEqual([expect.objectContaining({ PrefixListId: "pl-63a5400a", PrefixListName: "com.amazonaws.us-east-1.s3" })]);
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIds: [table] }),
    );
    const id = VpcEndpoint!.VpcEndpointId!;
    expect(VpcEndpoint).toMatchObject({ VpcEndpointType: "Gateway", State: "available", RouteTableIds: [table], PrivateDnsEnabled: false });
    expect(JSON.parse(VpcEndpoint!.PolicyDocument!).Statement[0]).toMatchObject({ Effect: "Allow", Action: "*" });
    expect((await routesOf(table)).find((r) => r.DestinationPrefixListId === "pl-63a5400a")).toMatchObject({
      GatewayId: id,
      State: "active",
    });
    expect(
      (
        await expectError(
          ec2.send(
            new CreateRouteCommand({ RouteTableId: net.publicRouteTableId, DestinationPrefixListId: "pl-63a5400a", VpcEndpointId: id }),
          ),
        )
      ).name,
    ).toBe("InvalidParameterValue");
    expect(
      (await expectError(ec2.send(new DeleteRouteCommand({ RouteTableId: table, DestinationPrefixListId: "pl-63a5400a" })))).name,
    ).toBe("InvalidParameterValue");
    await ec2.send(
      new ModifyVpcEndpointCommand({ VpcEndpointId: id, AddRouteTableIds: [net.publicRouteTableId!], RemoveRouteTableIds: [table] }),
    );
    expect((await routesOf(table)).some((r) => r.GatewayId === id)).toBe(false);
    expect((await routesOf(net.publicRouteTableId!)).some((r) => r.GatewayId === id)).toBe(true);
    const out = await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: [id, "vpce-0123456789abcdef0"] }));
    expect(out.Unsuccessful).toEqual([
      {
        ResourceId: "vpce-0123456789abcdef0",
        Error: { Code: "InvalidVpcEndpoint.NotFound", Message: "The VPC endpoint 'vpce-0123456789abcdef0' does not exist" },
      },
    ]);
    expect((await routesOf(net.publicRouteTableId!)).some((r) => r.GatewayId === id)).toBe(false);
    expect((await expectError(ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [id] })))).name).toBe(
      "InvalidVpcEndpointId.NotFound",
    );
    expect(
      (await expectError(ec2.send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: "com.amazonaws.us-east-1.nope" })))).name,
    ).toBe("InvalidServiceName");
    expect(
      (await expectError(ec2.send(new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: "com.amazonaws.us-east-1.ssm" })))).name,
    ).toBe("InvalidParameter");
  });

  it("interface endpoints need VPC DNS for private DNS, one subnet per zone, and get network interfaces", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 3 });
    const ssm = {
      VpcId: net.vpcId,
      VpcEndpointType: "Interface" as const,
      ServiceName: "com.amazonaws.us-east-1.ssm",
      SubnetIds: [net.subnets[0], net.subnets[1]],
    };
    const noDns = await expectError(ec2.send(new CreateVpcEndpointCommand(ssm)));
    expect(noDns.name).toBe("InvalidParameter");
    expect(noDns.message).toContain("enableDnsSupport and enableDnsHostnames");
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: net.vpcId, EnableDnsHostnames: { Value: true } }));
    const { VpcEndpoint } = await ec2.send(new CreateVpcEndpointCommand(ssm));
    expect(VpcEndpoint).toMatchObject({
      VpcEndpointType: "Interface",
      State: "pending",
      PrivateDnsEnabled: true,
      SubnetIds: ssm.SubnetIds,
    });
    expect(VpcEndpoint!.NetworkInterfaceIds).toHaveLength(2);
    expect(VpcEndpoint!.Groups![0].GroupName).toBe("default");
    expect(VpcEndpoint!.DnsEntries!.map((d) => d.DnsName)).toContain("ssm.us-east-1.amazonaws.com");
    const conflict = await expectError(ec2.send(new CreateVpcEndpointCommand({ ...ssm, SubnetIds: [net.subnets[2]] })));
    expect(conflict.message).toContain("conflicting DNS domain for ssm.us-east-1.amazonaws.com");
    await lc.advance(120_000);
    const [described] = (
      await ec2.send(
        new DescribeVpcEndpointsCommand({
          Filters: [
            { Name: "service-name", Values: [ssm.ServiceName] },
            { Name: "vpc-endpoint-state", Values: ["available"] },
          ],
        }),
      )
    ).VpcEndpoints!;
    expect(described.VpcEndpointId).toBe(VpcEndpoint!.VpcEndpointId);
    const enis = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "interface-type", Values: ["vpc_endpoint"] }] })))
      .NetworkInterfaces!;
    expect(enis.map((e) => e.NetworkInterfaceId).sort()).toEqual([...VpcEndpoint!.NetworkInterfaceIds!].sort());
    expect(enis[0]).toMatchObject({
      RequesterManaged: true,
      Status: "in-use",
      Description: `VPC Endpoint Interface ${VpcEndpoint!.VpcEndpointId}`,
    });
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: net.vpcId, CidrBlock: "10.0.9.0/24", AvailabilityZone: "us-east-1b" }),
    );
    const dup = await expectError(
      ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: VpcEndpoint!.VpcEndpointId, AddSubnetIds: [Subnet!.SubnetId!] })),
    );
    expect(dup.name).toBe("DuplicateSubnetsInSameZone");
    await ec2.send(
      new ModifyVpcEndpointCommand({
        VpcEndpointId: VpcEndpoint!.VpcEndpointId,
        AddSubnetIds: [net.subnets[2]],
        RemoveSubnetIds: [net.subnets[0]],
      }),
    );
    const after = (await ec2.send(new DescribeVpcEndpointsCommand({ VpcEndpointIds: [VpcEndpoint!.VpcEndpointId!] }))).VpcEndpoints![0];
    expect(after.SubnetIds!.sort()).toEqual([net.subnets[1], net.subnets[2]].sort());
    const services = await ec2.send(
      new DescribeVpcEndpointServicesCommand({ ServiceNames: ["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.ssm"] }),
    );
    expect(services.ServiceNames).toEqual(["com.amazonaws.us-east-1.s3", "com.amazonaws.us-east-1.ssm"]);
    expect(services.ServiceDetails!.map((d) => `${d.ServiceName}/${d.ServiceType![0].ServiceType}`)).toEqual([
      "com.amazonaws.us-east-1.s3/Gateway",
      "com.amazonaws.us-east-1.s3/Interface",
      "com.amazonaws.us-east-1.ssm/Interface",
    ]);
  });
});

describe("network interfaces and ACLs", () => {
  it("lists instance and NAT gateway interfaces with filters, and the default ACL of each VPC", async () => {
    const net = await buildNetwork(ec2, { igw: true });
    const id = await runOne(ec2, { SubnetId: net.subnets[1] });
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({}));
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], AllocationId }));
    const mine = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [id] }] })))
      .NetworkInterfaces!;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      SubnetId: net.subnets[1],
      VpcId: net.vpcId,
      InterfaceType: "interface",
      RequesterManaged: false,
      Attachment: { InstanceId: id, DeviceIndex: 0, Status: "attached" },
    });
    const natEni = (
      await ec2.send(
        new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [NatGateway!.NatGatewayAddresses![0].NetworkInterfaceId!] }),
      )
    ).NetworkInterfaces![0];
    expect(natEni).toMatchObject({
      InterfaceType: "nat_gateway",
      Description: `Interface for NAT Gateway ${NatGateway!.NatGatewayId}`,
      RequesterManaged: true,
    });
    expect(natEni.Association?.PublicIp).toBe(NatGateway!.NatGatewayAddresses![0].PublicIp);
    expect(
      (await expectError(ec2.send(new DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ["eni-0123456789abcdef0"] })))).name,
    ).toBe("InvalidNetworkInterfaceID.NotFound");
    const acls = (await ec2.send(new DescribeNetworkAclsCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }] }))).NetworkAcls!;
    expect(acls).toHaveLength(1);
    expect(acls[0]).toMatchObject({ IsDefault: true, VpcId: net.vpcId });
    expect(acls[0].Associations!.map((a) => a.SubnetId).sort()).toEqual([...net.subnets].sort());
    expect(acls[0].Entries).toContainEqual(
      expect.objectContaining({ RuleNumber: 100, RuleAction: "allow", Egress: true, CidrBlock: "0.0.0.0/0", Protocol: "-1" }),
    );
    expect(acls[0].Entries).toContainEqual(expect.objectContaining({ RuleNumber: 32767, RuleAction: "deny", Egress: false }));
  });
});

describe("through awscli and boto3", () => {
  it("awscli parses addresses, NAT gateway addresses, endpoint DNS entries, interfaces and ACLs", async () => {
    if (!hasAwsCli()) throw new Error("/usr/bin/aws is missing: apt-get install awscli");
    const net = await buildNetwork(ec2, { igw: true });
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: net.vpcId, EnableDnsHostnames: { Value: true } }));
    const id = await runOne(ec2, { SubnetId: net.subnets[1] });
    const eni = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "attachment.instance-id", Values: [id] }] })))
      .NetworkInterfaces![0].NetworkInterfaceId!;
    const eip = await awsOk<{ AllocationId: string; PublicIp: string }>(lc.url, ["ec2", "allocate-address"]);
    await awsOk(lc.url, ["ec2", "associate-address", "--allocation-id", eip.AllocationId, "--network-interface-id", eni]);
    const addresses = await awsOk<{ Addresses: Array<{ InstanceId: string; NetworkInterfaceId: string }> }>(lc.url, [
      "ec2",
      "describe-addresses",
      "--allocation-ids",
      eip.AllocationId,
    ]);
    expect(addresses.Addresses[0]).toMatchObject({ InstanceId: id, NetworkInterfaceId: eni });
    const second = await awsOk<{ AllocationId: string }>(lc.url, ["ec2", "allocate-address", "--domain", "vpc"]);
    const nat = await awsOk<{
      NatGateway: { NatGatewayId: string; NatGatewayAddresses: Array<{ AllocationId: string; PrivateIp: string }> };
    }>(lc.url, ["ec2", "create-nat-gateway", "--subnet-id", net.subnets[0], "--allocation-id", second.AllocationId]);
    expect(nat.NatGateway.NatGatewayAddresses[0].AllocationId).toBe(second.AllocationId);
    expect(nat.NatGateway.NatGatewayAddresses[0].PrivateIp).toMatch(/^10\.0\.0\./);
    const endpoint = await awsOk<{ VpcEndpoint: { DnsEntries: Array<{ DnsName: string }>; NetworkInterfaceIds: string[] } }>(lc.url, [
      "ec2",
      "create-vpc-endpoint",
      "--vpc-endpoint-type",
      "Interface",
      "--vpc-id",
      net.vpcId,
      "--service-name",
      "com.amazonaws.us-east-1.secretsmanager",
      "--subnet-ids",
      net.subnets[1],
    ]);
    expect(endpoint.VpcEndpoint.DnsEntries.map((d) => d.DnsName)).toContain("secretsmanager.us-east-1.amazonaws.com");
    const enis = await awsOk<{ NetworkInterfaces: Array<{ InterfaceType: string }> }>(lc.url, [
      "ec2",
      "describe-network-interfaces",
      "--filters",
      `Name=vpc-id,Values=${net.vpcId}`,
    ]);
    expect(enis.NetworkInterfaces.map((e) => e.InterfaceType).sort()).toEqual(["interface", "nat_gateway", "vpc_endpoint"]);
    const acls = await awsOk<{ NetworkAcls: Array<{ IsDefault: boolean; Entries: unknown[] }> }>(lc.url, [
      "ec2",
      "describe-network-acls",
      "--filters",
      `Name=vpc-id,Values=${net.vpcId}`,
    ]);
    expect(acls.NetworkAcls[0].IsDefault).toBe(true);
    expect(acls.NetworkAcls[0].Entries).toHaveLength(4);
    const services = await awsOk<{ ServiceNames: string[] }>(lc.url, [
      "ec2",
      "describe-vpc-endpoint-services",
      "--filters",
      "Name=service-type,Values=Gateway",
    ]);
    expect(services.ServiceNames).toEqual(["com.amazonaws.us-east-1.dynamodb", "com.amazonaws.us-east-1.s3"]);
    await awsOk(lc.url, ["ec2", "delete-nat-gateway", "--nat-gateway-id", nat.NatGateway.NatGatewayId]);
  });

  it("boto3: addresses, endpoints, interfaces and routes with AWS's error codes", async (ctx) => {
    const missing = boto3Missing();
    if (missing) {
      console.warn(missing);
      ctx.skip();
    }
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const out = await boto3(
      lc.url,
      [
        `eip = ec2.allocate_address(Domain="vpc")`,
        `nat = ec2.create_nat_gateway(SubnetId="${net.subnets[0]}", AllocationId=eip["AllocationId"], ClientToken="same")["NatGateway"]`,
        `again = ec2.create_nat_gateway(SubnetId="${net.subnets[0]}", AllocationId=eip["AllocationId"], ClientToken="same")["NatGateway"]`,
        `rtb = ec2.create_route_table(VpcId="${net.vpcId}")["RouteTable"]["RouteTableId"]`,
        `ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat["NatGatewayId"])`,
        `ec2.replace_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId="${net.igwId}")`,
        `vpce = ec2.create_vpc_endpoint(VpcId="${net.vpcId}", ServiceName="com.amazonaws.us-east-1.dynamodb", RouteTableIds=[rtb])["VpcEndpoint"]`,
        `routes = ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]`,
        `enis = ec2.describe_network_interfaces(Filters=[{"Name": "interface-type", "Values": ["nat_gateway"]}])["NetworkInterfaces"]`,
        `deleted = ec2.delete_vpc_endpoints(VpcEndpointIds=[vpce["VpcEndpointId"], "vpce-0123456789abcdef0"])["Unsuccessful"]`,
        "try:",
        `    ec2.release_address(AllocationId=eip["AllocationId"])`,
        `    release = "released"`,
        "except botocore.exceptions.ClientError as e:",
        `    release = e.response["Error"]["Code"]`,
        `out = {"same": nat["NatGatewayId"] == again["NatGatewayId"], "targets": sorted(r.get("GatewayId", "") for r in routes), "pl": [r.get("DestinationPrefixListId") for r in routes if r.get("DestinationPrefixListId")], "enis": [e["NetworkInterfaceId"] for e in enis], "natEni": nat["NatGatewayAddresses"][0]["NetworkInterfaceId"], "unsuccessful": [u["ResourceId"] for u in deleted], "release": release}`,
      ].join("\n"),
    );
    expect(out.same).toBe(true);
    expect(out.pl).toEqual(["pl-02cd2c6b"]);
    expect(out.targets).toEqual(expect.arrayContaining([net.igwId, "local"]));
    expect(out.enis).toEqual([out.natEni]);
    expect(out.unsuccessful).toEqual(["vpce-0123456789abcdef0"]);
    expect(out.release).toBe("InvalidIPAddress.InUse");
  });
});
