/**
 * EC2 conformance through the real SDK v3 client: internet gateways, route tables and security
 * groups.
 */
import { describe, it, expect } from "vitest";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  DeleteInternetGatewayCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { ec2, network, useEc2Cloud } from "./ec2-fixture.ts";
import { expectError } from "./helpers.ts";

// One cloud for the file; tests use distinct CIDRs instead of resetting it.
useEc2Cloud({ quotas: { "vpcs-per-region": 20 } });

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
