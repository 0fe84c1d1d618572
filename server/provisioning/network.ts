/**
 * Network step (no dependency), found again by the `switchyard:environment` tag:
 *   ensureNetwork  VPC 10.x.0.0/16 with DNS hostnames; per zone a public and a private subnet;
 *                  an internet gateway; one public route table (0.0.0.0/0 -> IGW) for the public
 *                  subnets; a private route table per zone (its way out is added by egress.ts);
 *                  an S3 gateway endpoint on every route table (free: S3 and Amazon Linux
 *                  2023's package repositories never cross a NAT gateway or the internet).
 * Security groups are in security-groups.ts, NAT gateways in egress.ts.
 */
import { createHash } from "node:crypto";
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  CreateVpcEndpointCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  ModifyVpcEndpointCommand,
  type RouteTable,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { zonesOf } from "../catalog/aws.ts";
import { defineStep, envFilter, tagsOf, tokenOf, type StepContext, type StepInput } from "./context.ts";

/** The port the app listens on in each instance; the target groups send traffic there. */
export const APP_PORT = 8080;
export const DB_PORT = { postgres: 5432, mysql: 3306 } as const;
export const TAG_TIER = "switchyard:tier";
export const TAG_ZONE = "switchyard:zone";

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
  /** Zone -> its public subnet (NAT gateways live there). */
  publicSubnetByZone: Record<string, string>;
  internetGatewayId: string;
  routeTableId: string;
  /** Zone -> its private route table. */
  privateRouteTableIds: Record<string, string>;
  s3EndpointId: string;
}

type Ec2TagType = "vpc" | "subnet" | "internet-gateway" | "route-table" | "vpc-endpoint";
const tagSpec = (input: StepInput, type: Ec2TagType, name: string, extra: Record<string, string> = {}) => [
  { ResourceType: type, Tags: tagsOf(input, undefined, { Name: name, ...extra }) },
];
const tagOf = (t: { Tags?: Array<{ Key?: string; Value?: string }> }, key: string) => t.Tags?.find((x) => x.Key === key)?.Value;

async function ensureVpc(input: StepInput, ctx: StepContext): Promise<{ vpcId: string; cidr: string }> {
  const { aws, names, touch } = ctx;
  let vpc = (await aws.ec2.send(new DescribeVpcsCommand({ Filters: [envFilter(input.envId)] }))).Vpcs?.[0];
  if (vpc?.VpcId) touch("ec2:vpc", vpc.VpcId, "found");
  else {
    vpc = (
      await aws.ec2.send(new CreateVpcCommand({ CidrBlock: vpcCidrOf(input.envId), TagSpecifications: tagSpec(input, "vpc", names.vpc) }))
    ).Vpc;
    if (!vpc?.VpcId) throw new Error("CreateVpc returned no VPC id");
    const vpcId = vpc.VpcId;
    await afterCreate(() => aws.ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } })));
    touch("ec2:vpc", vpcId, "created");
  }
  return { vpcId: vpc.VpcId, cidr: vpc.CidrBlock ?? vpcCidrOf(input.envId) };
}

async function ensureSubnets(input: StepInput, ctx: StepContext, vpcId: string, cidr: string) {
  const { aws, touch } = ctx;
  const { spec } = input;
  const existing =
    (await aws.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, envFilter(input.envId)] }))).Subnets ??
    [];
  const out = { public: [] as string[], private: [] as string[], publicByZone: {} as Record<string, string> };
  for (const [i, az] of spec.availabilityZones.entries()) {
    for (const tier of ["public", "private"] as const) {
      const found = existing.find((s) => s.AvailabilityZone === az && tagOf(s, TAG_TIER) === tier);
      let id = found?.SubnetId;
      if (id) touch("ec2:subnet", id, "found");
      else {
        const created = await aws.ec2.send(
          new CreateSubnetCommand({
            VpcId: vpcId,
            AvailabilityZone: az,
            CidrBlock: subnetCidr(cidr, tier, spec.region, az, i),
            TagSpecifications: tagSpec(input, "subnet", `${ctx.names.prefix}${spec.name}-${tier}-${az}`, { [TAG_TIER]: tier }),
          }),
        );
        id = created.Subnet?.SubnetId;
        if (!id) throw new Error("CreateSubnet returned no subnet id");
        touch("ec2:subnet", id, "created");
      }
      if (tier === "public" && !found?.MapPublicIpOnLaunch) {
        const subnetId = id;
        await afterCreate(() =>
          aws.ec2.send(new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } })),
        );
        if (found) touch("ec2:subnet", id, "updated");
      }
      out[tier].push(id);
      if (tier === "public") out.publicByZone[az] = id;
    }
  }
  return out;
}

async function ensureInternetGateway(input: StepInput, ctx: StepContext, vpcId: string): Promise<string> {
  const { aws, touch } = ctx;
  let igw = ((await aws.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [envFilter(input.envId)] }))).InternetGateways ?? [])[0];
  if (igw?.InternetGatewayId) touch("ec2:internet-gateway", igw.InternetGatewayId, "found");
  else {
    igw = (
      await aws.ec2.send(
        new CreateInternetGatewayCommand({
          TagSpecifications: tagSpec(input, "internet-gateway", `${ctx.names.prefix}${input.spec.name}-igw`),
        }),
      )
    ).InternetGateway!;
    touch("ec2:internet-gateway", igw.InternetGatewayId!, "created");
  }
  const igwId = igw.InternetGatewayId!;
  if (!igw.Attachments?.some((a) => a.VpcId === vpcId))
    await afterCreate(() => aws.ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: igwId, VpcId: vpcId })));
  return igwId;
}

/** A route table tagged `tier` (and `zone`), created with an idempotency token when missing. */
async function ensureTable(
  input: StepInput,
  ctx: StepContext,
  tables: RouteTable[],
  vpcId: string,
  tier: "public" | "private",
  zone?: string,
): Promise<RouteTable> {
  const found = tables.find((t) => (tagOf(t, TAG_TIER) ?? "public") === tier && tagOf(t, TAG_ZONE) === zone);
  if (found?.RouteTableId) {
    ctx.touch("ec2:route-table", found.RouteTableId, "found");
    return found;
  }
  const name = `${ctx.names.prefix}${input.spec.name}-${tier}${zone ? `-${zone}` : ""}`;
  const extra: Record<string, string> = { [TAG_TIER]: tier, ...(zone ? { [TAG_ZONE]: zone } : {}) };
  const table = (
    await ctx.aws.ec2.send(
      new CreateRouteTableCommand({
        VpcId: vpcId,
        ClientToken: tokenOf(input.envId, "route-table", tier, zone ?? ""),
        TagSpecifications: tagSpec(input, "route-table", name, extra),
      }),
    )
  ).RouteTable!;
  ctx.touch("ec2:route-table", table.RouteTableId!, "created");
  return table;
}

async function associate(ctx: StepContext, table: RouteTable, subnetIds: string[]) {
  for (const subnetId of subnetIds) {
    if (!table.Associations?.some((a) => a.SubnetId === subnetId))
      await afterCreate(() => ctx.aws.ec2.send(new AssociateRouteTableCommand({ RouteTableId: table.RouteTableId, SubnetId: subnetId })));
  }
}

/** The S3 gateway endpoint, on every one of the environment's route tables. */
async function ensureS3Endpoint(input: StepInput, ctx: StepContext, vpcId: string, tableIds: string[]): Promise<string> {
  const serviceName = `com.amazonaws.${input.spec.region}.s3`;
  const filters = [
    { Name: "vpc-id", Values: [vpcId] },
    { Name: "service-name", Values: [serviceName] },
    { Name: "vpc-endpoint-state", Values: ["pending", "available"] },
    envFilter(input.envId),
  ];
  const found = (await ctx.aws.ec2.send(new DescribeVpcEndpointsCommand({ Filters: filters }))).VpcEndpoints?.[0];
  if (found?.VpcEndpointId) {
    const missing = tableIds.filter((t) => !found.RouteTableIds?.includes(t));
    if (missing.length)
      await ctx.aws.ec2.send(new ModifyVpcEndpointCommand({ VpcEndpointId: found.VpcEndpointId, AddRouteTableIds: missing }));
    ctx.touch("ec2:vpc-endpoint", found.VpcEndpointId, missing.length ? "updated" : "found");
    return found.VpcEndpointId;
  }
  const created = await afterCreate(() =>
    ctx.aws.ec2.send(
      new CreateVpcEndpointCommand({
        VpcId: vpcId,
        VpcEndpointType: "Gateway",
        ServiceName: serviceName,
        RouteTableIds: tableIds,
        ClientToken: tokenOf(input.envId, "s3-endpoint", vpcId),
        TagSpecifications: tagSpec(input, "vpc-endpoint", `${ctx.names.prefix}${input.spec.name}-s3`),
      }),
    ),
  );
  const id = created.VpcEndpoint?.VpcEndpointId;
  if (!id) throw new Error("CreateVpcEndpoint returned no endpoint id");
  ctx.touch("ec2:vpc-endpoint", id, "created");
  return id;
}

export const ensureNetwork = defineStep("create the network", async (input: StepInput, ctx): Promise<NetworkOutput> => {
  const { vpcId, cidr } = await ensureVpc(input, ctx);
  const subnets = await ensureSubnets(input, ctx, vpcId, cidr);
  const igwId = await ensureInternetGateway(input, ctx, vpcId);

  const tables =
    (await ctx.aws.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, envFilter(input.envId)] })))
      .RouteTables ?? [];
  const publicTable = await ensureTable(input, ctx, tables, vpcId, "public");
  if (!publicTable.Routes?.some((r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.GatewayId === igwId)) {
    await afterCreate(() =>
      ctx.aws.ec2.send(
        new CreateRouteCommand({ RouteTableId: publicTable.RouteTableId, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }),
      ),
    );
  }
  await associate(ctx, publicTable, subnets.public);
  const privateRouteTableIds: Record<string, string> = {};
  for (const [i, az] of input.spec.availabilityZones.entries()) {
    const table = await ensureTable(input, ctx, tables, vpcId, "private", az);
    await associate(ctx, table, [subnets.private[i]]);
    privateRouteTableIds[az] = table.RouteTableId!;
  }
  const s3EndpointId = await ensureS3Endpoint(input, ctx, vpcId, [publicTable.RouteTableId!, ...Object.values(privateRouteTableIds)]);
  return {
    vpcId,
    publicSubnetIds: subnets.public,
    privateSubnetIds: subnets.private,
    publicSubnetByZone: subnets.publicByZone,
    internetGatewayId: igwId,
    routeTableId: publicTable.RouteTableId!,
    privateRouteTableIds,
    s3EndpointId,
  };
});
