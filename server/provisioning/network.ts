/**
 * Network steps, in order:
 *   1. ensureNetwork          (no dependency)  VPC 10.x.0.0/16, per AZ a public and a private
 *                                              subnet, internet gateway, public route table
 *                                              with 0.0.0.0/0 -> IGW, associations.
 *   2. ensureSecurityGroups   (needs ensureNetwork.vpcId)  <name>-alb: 80 from anywhere;
 *                                              <name>-app: APP_PORT from alb; <name>-db: the
 *                                              engine's port from app.
 * Each first describes by the `switchyard:environment` tag (or name) and only then creates.
 */
import { createHash } from "node:crypto";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  type IpPermission,
  type SecurityGroup,
} from "../aws/sdk.ts";
import { zonesOf } from "../catalog/aws.ts";
import { defineStep, envFilter, tagsOf, tokenOf, type StepInput } from "./context.ts";

/** The port the app listens on in each instance; the target groups send traffic there. */
export const APP_PORT = 8080;
export const DB_PORT = { postgres: 5432, mysql: 3306 } as const;

/** 10.<16..239>.0.0/16 derived from the environment id, so a re-create picks the same range. */
export function vpcCidrOf(envId: string): string {
  const byte = createHash("sha256").update(envId).digest()[0];
  return `10.${16 + (byte % 224)}.0.0/16`;
}

/** A /20 per tier and zone, placed by the zone's letter so adding or reordering zones never collides. */
function subnetCidr(vpcCidr: string, tier: "public" | "private", region: string, az: string, fallbackIndex: number): string {
  const [a, b] = vpcCidr.split(".");
  const known = zonesOf(region).indexOf(az);
  const index = known >= 0 && known < 8 ? known : fallbackIndex;
  return `${a}.${b}.${(tier === "public" ? 0 : 128) + index * 16}.0/20`;
}

export interface NetworkOutput {
  vpcId: string;
  publicSubnetIds: string[];
  privateSubnetIds: string[];
  internetGatewayId: string;
  routeTableId: string;
}

export const ensureNetwork = defineStep("create the network", async (input: StepInput, { aws, names, touch }): Promise<NetworkOutput> => {
  const { envId, spec } = input;
  const tagSpec = (type: "vpc" | "subnet" | "internet-gateway" | "route-table", name: string, extra: Record<string, string> = {}) => [
    { ResourceType: type, Tags: tagsOf(input, undefined, { Name: name, ...extra }) },
  ];

  const vpcs = await aws.ec2.send(new DescribeVpcsCommand({ Filters: [envFilter(envId)] }));
  let vpc = vpcs.Vpcs?.[0];
  if (vpc?.VpcId) touch("ec2:vpc", vpc.VpcId, "found");
  else {
    vpc = (await aws.ec2.send(new CreateVpcCommand({ CidrBlock: vpcCidrOf(envId), TagSpecifications: tagSpec("vpc", names.vpc) }))).Vpc;
    if (!vpc?.VpcId) throw new Error("CreateVpc returned no VPC id");
    await aws.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpc.VpcId, EnableDnsHostnames: { Value: true } }));
    touch("ec2:vpc", vpc.VpcId, "created");
  }
  const vpcId = vpc.VpcId!;
  const cidr = vpc.CidrBlock ?? vpcCidrOf(envId);

  const existing = (await aws.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, envFilter(envId)] }))).Subnets ?? [];
  const subnetIds = { public: [] as string[], private: [] as string[] };
  for (const [i, az] of spec.availabilityZones.entries()) {
    for (const tier of ["public", "private"] as const) {
      const found = existing.find((s) => s.AvailabilityZone === az && s.Tags?.some((t) => t.Key === "switchyard:tier" && t.Value === tier));
      let id = found?.SubnetId;
      if (id) touch("ec2:subnet", id, "found");
      else {
        const created = await aws.ec2.send(
          new CreateSubnetCommand({ VpcId: vpcId, AvailabilityZone: az, CidrBlock: subnetCidr(cidr, tier, spec.region, az, i), TagSpecifications: tagSpec("subnet", `${spec.name}-${tier}-${az}`, { "switchyard:tier": tier }) }),
        );
        id = created.Subnet?.SubnetId;
        if (!id) throw new Error("CreateSubnet returned no subnet id");
        touch("ec2:subnet", id, "created");
      }
      if (tier === "public" && !found?.MapPublicIpOnLaunch) {
        await aws.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: id, MapPublicIpOnLaunch: { Value: true } }));
        if (found) touch("ec2:subnet", id, "updated");
      }
      subnetIds[tier].push(id);
    }
  }

  const igws = (await aws.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [envFilter(envId)] }))).InternetGateways ?? [];
  let igw = igws[0];
  if (igw?.InternetGatewayId) touch("ec2:internet-gateway", igw.InternetGatewayId, "found");
  else {
    igw = (await aws.ec2.send(new CreateInternetGatewayCommand({ TagSpecifications: tagSpec("internet-gateway", `${spec.name}-igw`) }))).InternetGateway!;
    touch("ec2:internet-gateway", igw.InternetGatewayId!, "created");
  }
  const igwId = igw.InternetGatewayId!;
  if (!igw.Attachments?.some((a) => a.VpcId === vpcId)) await aws.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId }));

  const tables = (await aws.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, envFilter(envId)] }))).RouteTables ?? [];
  let table = tables[0];
  if (table?.RouteTableId) touch("ec2:route-table", table.RouteTableId, "found");
  else {
    table = (await aws.ec2.send(new CreateRouteTableCommand({ VpcId: vpcId, ClientToken: tokenOf(envId, "route-table"), TagSpecifications: tagSpec("route-table", `${spec.name}-public`) }))).RouteTable!;
    touch("ec2:route-table", table.RouteTableId!, "created");
  }
  const tableId = table.RouteTableId!;
  if (!table.Routes?.some((r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.GatewayId === igwId)) {
    await aws.ec2.send(new CreateRouteCommand({ RouteTableId: tableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }));
  }
  for (const subnetId of subnetIds.public) {
    if (!table.Associations?.some((a) => a.SubnetId === subnetId)) await aws.ec2.send(new AssociateRouteTableCommand({ RouteTableId: tableId, SubnetId: subnetId }));
  }
  return { vpcId, publicSubnetIds: subnetIds.public, privateSubnetIds: subnetIds.private, internetGatewayId: igwId, routeTableId: tableId };
});

export interface SecurityGroupsOutput {
  albSgId: string;
  appSgId: string;
  dbSgId: string;
}

function hasRule(group: SecurityGroup, port: number, source: { cidr?: string; groupId?: string }): boolean {
  return (group.IpPermissions ?? []).some(
    (p) =>
      p.IpProtocol === "tcp" &&
      p.FromPort === port &&
      p.ToPort === port &&
      (source.cidr ? p.IpRanges?.some((r) => r.CidrIp === source.cidr) : p.UserIdGroupPairs?.some((g) => g.GroupId === source.groupId)),
  );
}

export const ensureSecurityGroups = defineStep(
  "create the security groups",
  async (input: StepInput & { vpcId: string }, { aws, names, touch }): Promise<SecurityGroupsOutput> => {
    const roles = ["alb", "app", "db"] as const;
    const found = (await aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [input.vpcId] }, { Name: "group-name", Values: roles.map(names.sg) }] })))
      .SecurityGroups ?? [];
    const groups = {} as Record<(typeof roles)[number], SecurityGroup>;
    for (const role of roles) {
      const name = names.sg(role);
      const group = found.find((g) => g.GroupName === name);
      if (group?.GroupId) {
        groups[role] = group;
        touch("ec2:security-group", group.GroupId, "found");
        continue;
      }
      const created = await aws.ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: name,
          Description: `Switchyard ${input.spec.name}: ${role}`,
          VpcId: input.vpcId,
          TagSpecifications: [{ ResourceType: "security-group", Tags: tagsOf(input, undefined, { Name: name }) }],
        }),
      );
      groups[role] = { GroupId: created.GroupId, GroupName: name, IpPermissions: [] };
      touch("ec2:security-group", created.GroupId!, "created");
    }
    const dbPort = DB_PORT[input.spec.database?.engine ?? "postgres"];
    const wanted: Array<[(typeof roles)[number], number, { cidr?: string; groupId?: string }]> = [
      ["alb", 80, { cidr: "0.0.0.0/0" }],
      ["app", APP_PORT, { groupId: groups.alb.GroupId }],
      ["db", dbPort, { groupId: groups.app.GroupId }],
    ];
    for (const [role, port, source] of wanted) {
      if (hasRule(groups[role], port, source)) continue;
      const permission: IpPermission = {
        IpProtocol: "tcp",
        FromPort: port,
        ToPort: port,
        ...(source.cidr ? { IpRanges: [{ CidrIp: source.cidr }] } : { UserIdGroupPairs: [{ GroupId: source.groupId }] }),
      };
      await aws.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groups[role].GroupId, IpPermissions: [permission] }));
    }
    return { albSgId: groups.alb.GroupId!, appSgId: groups.app.GroupId!, dbSgId: groups.db.GroupId! };
  },
);
