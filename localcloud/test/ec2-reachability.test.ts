/**
 * pathOut(cloud, instanceId, destination): the instance's real way out, worked out from the
 * networking state built through the SDK (route tables, gateways, NAT gateways, endpoints,
 * security groups), with concrete reasons when there is none.
 */
import { describe, it, expect } from "vitest";
import { ec2, lc, useEc2Cloud } from "./ec2-fixture.ts";
import {
  AllocateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  AssociateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateVpcEndpointCommand,
  DescribeSecurityGroupsCommand,
  ModifyVpcAttributeCommand,
  RevokeSecurityGroupEgressCommand,
} from "@aws-sdk/client-ec2";
import { pathOut } from "../src/services/ec2/reachability.ts";

import { buildNetwork, runOne, type TestNetwork } from "./ec2-net-helpers.ts";

useEc2Cloud({ resetBeforeEach: true });

/** A private route table for subnet index 1 (no default route yet). */
async function privateTable(net: TestNetwork): Promise<string> {
  const { RouteTable } = await ec2.send(new CreateRouteTableCommand({ VpcId: net.vpcId }));
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: RouteTable!.RouteTableId, SubnetId: net.subnets[1] }));
  return RouteTable!.RouteTableId!;
}

describe("pathOut", () => {
  it("public subnet with an internet gateway and a public IP reaches everything through the gateway", async () => {
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const id = await runOne(ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnets[0], AssociatePublicIpAddress: true }] });
    for (const dest of [{ kind: "internet" as const }, { kind: "s3" as const }, { kind: "service" as const, service: "secretsmanager" }]) {
      const path = pathOut(lc.cloud, id, dest);
      expect(path).toMatchObject({ ok: true });
      expect(path.ok && path.via).toContain(net.igwId!);
    }
  });

  it("the same subnet without a public IP has no way out, and says why", async () => {
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const id = await runOne(ec2, { SubnetId: net.subnets[0] });
    const path = pathOut(lc.cloud, id, { kind: "internet" });
    expect(path.ok).toBe(false);
    expect(!path.ok && path.reason).toContain(`0.0.0.0/0 -> ${net.igwId} but ${id} has no public IP`);
  });

  it("private subnet with a NAT gateway reaches the internet once the NAT gateway is available", async () => {
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const table = await privateTable(net);
    const { AllocationId } = await ec2.send(new AllocateAddressCommand({ Domain: "vpc" }));
    const { NatGateway } = await ec2.send(new CreateNatGatewayCommand({ SubnetId: net.subnets[0], AllocationId }));
    await ec2.send(
      new CreateRouteCommand({ RouteTableId: table, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: NatGateway!.NatGatewayId }),
    );
    const id = await runOne(ec2, { SubnetId: net.subnets[1] });
    const pending = pathOut(lc.cloud, id, { kind: "internet" });
    if (!pending.ok) expect(pending.reason).toContain("still pending");
    await lc.advance(5 * 60_000);
    const path = pathOut(lc.cloud, id, { kind: "internet" });
    expect(path).toMatchObject({ ok: true });
    expect(path.ok && path.via).toContain(NatGateway!.NatGatewayId!);
    expect(pathOut(lc.cloud, id, { kind: "service", service: "sts" })).toMatchObject({ ok: true });
  });

  it("private subnet with only an S3 gateway endpoint reaches S3 but not the internet", async () => {
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const table = await privateTable(net);
    const id = await runOne(ec2, { SubnetId: net.subnets[1] });
    const before = pathOut(lc.cloud, id, { kind: "s3" });
    expect(before).toEqual({
      ok: false,
      reason: `no route to S3 from ${net.subnets[1]} (route table ${table}): no NAT gateway, no internet gateway route with a public IP, no S3 gateway endpoint`,
    });
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIds: [table] }),
    );
    const s3 = pathOut(lc.cloud, id, { kind: "s3" });
    expect(s3).toEqual({ ok: true, via: `S3 gateway endpoint ${VpcEndpoint!.VpcEndpointId} (route table ${table})` });
    const internet = pathOut(lc.cloud, id, { kind: "internet" });
    expect(internet.ok).toBe(false);
    expect(!internet.ok && internet.reason).toBe(
      `no route to the internet from ${net.subnets[1]} (route table ${table}): no NAT gateway, no internet gateway route with a public IP`,
    );
    const sm = pathOut(lc.cloud, id, { kind: "service", service: "secretsmanager" });
    expect(!sm.ok && sm.reason).toContain("no interface endpoint for com.amazonaws.us-east-1.secretsmanager with private DNS");
  });

  it("an interface endpoint with private DNS serves its service only when its security group admits 443 from the instance", async () => {
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    await privateTable(net);
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: net.vpcId, EnableDnsHostnames: { Value: true } }));
    const { GroupId: endpointSg } = await ec2.send(
      new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "vpce", Description: "endpoint" }),
    );
    const { GroupId: appSg } = await ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "app", Description: "app" }));
    const { VpcEndpoint } = await ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: net.vpcId,
        VpcEndpointType: "Interface",
        ServiceName: "com.amazonaws.us-east-1.secretsmanager",
        SubnetIds: [net.subnets[1]],
        SecurityGroupIds: [endpointSg!],
        PrivateDnsEnabled: true,
      }),
    );
    await lc.advance(5 * 60_000);
    const id = await runOne(ec2, { SubnetId: net.subnets[1], SecurityGroupIds: [appSg!] });
    const blocked = pathOut(lc.cloud, id, { kind: "service", service: "secretsmanager" });
    expect(!blocked.ok && blocked.reason).toContain(
      `security groups ${endpointSg} of interface endpoint ${VpcEndpoint!.VpcEndpointId} (secretsmanager) allow no inbound tcp/443`,
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: endpointSg,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 443, ToPort: 443, UserIdGroupPairs: [{ GroupId: appSg }] }],
      }),
    );
    const open = pathOut(lc.cloud, id, { kind: "service", service: "secretsmanager" });
    expect(open).toMatchObject({ ok: true });
    expect(open.ok && open.via).toContain(VpcEndpoint!.VpcEndpointId!);
    expect(pathOut(lc.cloud, id, { kind: "service", service: "ssm" }).ok).toBe(false);
  });

  it("fails on egress once the security group's outbound rule is removed", async () => {
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ VpcId: net.vpcId, GroupName: "web", Description: "web" }));
    const id = await runOne(ec2, {
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnets[0], AssociatePublicIpAddress: true, Groups: [GroupId!] }],
    });
    expect(pathOut(lc.cloud, id, { kind: "internet" }).ok).toBe(true);
    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }));
    await ec2.send(new RevokeSecurityGroupEgressCommand({ GroupId, IpPermissions: described.SecurityGroups![0].IpPermissionsEgress }));
    const path = pathOut(lc.cloud, id, { kind: "internet" });
    expect(path).toEqual({ ok: false, reason: `security groups ${GroupId} of ${id} allow no egress on tcp/443 to 0.0.0.0/0` });
    expect(pathOut(lc.cloud, id, { kind: "s3" })).toEqual({
      ok: false,
      reason: `security groups ${GroupId} of ${id} allow no egress on tcp/443 to 0.0.0.0/0 or pl-63a5400a`,
    });
  });

  it("reports a missing instance and a VPC without DNS support", async () => {
    expect(pathOut(lc.cloud, "i-0000000000000000f", { kind: "internet" })).toEqual({
      ok: false,
      reason: "instance i-0000000000000000f does not exist",
    });
    const net = await buildNetwork(ec2, { igw: true, publicSubnets: [0] });
    const id = await runOne(ec2, { NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: net.subnets[0], AssociatePublicIpAddress: true }] });
    await ec2.send(new ModifyVpcAttributeCommand({ VpcId: net.vpcId, EnableDnsSupport: { Value: false } }));
    const path = pathOut(lc.cloud, id, { kind: "s3" });
    expect(!path.ok && path.reason).toContain("DNS support disabled");
  });
});
