/** Subnets: a CIDR inside the VPC's, not overlapping a sibling, in one AZ of the caller's region. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { cidrContains, cidrOverlaps, parseCidr, RESERVED_PER_SUBNET } from "./cidr.ts";
import { subnetUser } from "./dependencies.ts";
import { dependencyViolation, invalidParameterValue, required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { findAll, findSubnet, findVpc, regionRecords } from "./lookups.ts";
import { usedAddresses } from "./ip-allocation.ts";
import { pageOf } from "../../core/paging.ts";
import { describeAvailabilityZones, zoneById, zoneOf } from "./regions.ts";
import { ec2State, newId, type Ec2State, type SubnetRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";

export function subnetOut(state: Ec2State, subnet: SubnetRecord, ownerId: string) {
  const size = parseCidr(subnet.CidrBlock)!.size;
  return {
    SubnetId: subnet.SubnetId,
    SubnetArn: `arn:aws:ec2:${subnet.region}:${ownerId}:subnet/${subnet.SubnetId}`,
    VpcId: subnet.VpcId,
    CidrBlock: subnet.CidrBlock,
    AvailabilityZone: subnet.AvailabilityZone,
    AvailabilityZoneId: zoneOf(subnet.region, subnet.AvailabilityZone)?.ZoneId,
    AvailableIpAddressCount: size - RESERVED_PER_SUBNET - usedAddresses(state, subnet.SubnetId).size,
    DefaultForAz: false,
    MapPublicIpOnLaunch: subnet.MapPublicIpOnLaunch,
    MapCustomerOwnedIpOnLaunch: false,
    AssignIpv6AddressOnCreation: false,
    EnableDns64: false,
    Ipv6Native: false,
    State: "available",
    OwnerId: ownerId,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: "ip-name", EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    Tags: tagsOut(subnet.Tags),
  };
}

export function createSubnet(
  input: {
    VpcId?: string;
    CidrBlock?: string;
    AvailabilityZone?: string;
    AvailabilityZoneId?: string;
    TagSpecifications?: TagSpecification[];
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  const vpc = findVpc(ctx.cloud, ctx.region, required(input.VpcId, "VpcId"));
  const cidrText = required(input.CidrBlock, "CidrBlock");
  const cidr = parseCidr(cidrText);
  if (!cidr) throw invalidParameterValue(`Value (${cidrText}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (cidr.prefix < 16 || cidr.prefix > 28 || !cidrContains(parseCidr(vpc.CidrBlock)!, cidr)) {
    throw new AwsError("InvalidSubnet.Range", `The CIDR '${cidrText}' is invalid.`);
  }
  const conflict = Object.values(state.subnets).find((s) => s.VpcId === vpc.VpcId && cidrOverlaps(parseCidr(s.CidrBlock)!, cidr));
  if (conflict) throw new AwsError("InvalidSubnet.Conflict", `The CIDR '${cidrText}' conflicts with another subnet`);

  let zoneName = input.AvailabilityZone;
  if (zoneName) {
    if (!zoneOf(ctx.region, zoneName)) {
      const valid = describeAvailabilityZones(ctx.region)
        .map((z) => z.ZoneName)
        .join(", ");
      throw invalidParameterValue(
        `Value (${zoneName}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${valid}.`,
      );
    }
  } else if (input.AvailabilityZoneId) {
    const zone = zoneById(ctx.region, input.AvailabilityZoneId);
    if (!zone) throw invalidParameterValue(`Value (${input.AvailabilityZoneId}) for parameter availabilityZoneId is invalid.`);
    zoneName = zone.ZoneName;
  } else {
    // AWS picks a zone when none is given; spread new subnets across zones.
    const zones = describeAvailabilityZones(ctx.region);
    zoneName = zones[regionRecords(state.subnets, ctx.region).length % zones.length].ZoneName;
  }

  const subnet: SubnetRecord = {
    SubnetId: newId("subnet"),
    region: ctx.region,
    VpcId: vpc.VpcId,
    CidrBlock: cidrText,
    AvailabilityZone: zoneName,
    MapPublicIpOnLaunch: false,
    Tags: tagsFromSpecifications(input.TagSpecifications, "subnet"),
  };
  state.subnets[subnet.SubnetId] = subnet;
  ctx.cloud.markDirty();
  return { Subnet: { ...subnetOut(state, subnet, ctx.accountId), State: "pending" } };
}

export function describeSubnets(
  input: { SubnetIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let subnets = input.SubnetIds?.length
    ? findAll(state.subnets, ctx.region, input.SubnetIds, "InvalidSubnetID.NotFound", "subnet")
    : regionRecords(state.subnets, ctx.region);
  subnets = applyFilters(subnets, input.Filters, {
    "subnet-id": (s) => s.SubnetId,
    "vpc-id": (s) => s.VpcId,
    "cidr-block": (s) => s.CidrBlock,
    cidr: (s) => s.CidrBlock,
    cidrBlock: (s) => s.CidrBlock,
    "availability-zone": (s) => s.AvailabilityZone,
    availabilityZone: (s) => s.AvailabilityZone,
    "availability-zone-id": (s) => zoneOf(s.region, s.AvailabilityZone)?.ZoneId,
    "map-public-ip-on-launch": (s) => String(s.MapPublicIpOnLaunch),
    "default-for-az": () => "false",
    state: () => "available",
    "owner-id": () => ctx.accountId,
    "subnet-arn": (s) => `arn:aws:ec2:${s.region}:${ctx.accountId}:subnet/${s.SubnetId}`,
  });
  const { items: page, next: NextToken } = pageOf(subnets, input.NextToken, input.MaxResults, ec2Pages("DescribeSubnets"));
  return { Subnets: page.map((subnet) => subnetOut(state, subnet, ctx.accountId)), NextToken };
}

export function deleteSubnet(input: { SubnetId?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const subnet = findSubnet(ctx.cloud, ctx.region, required(input.SubnetId, "SubnetId"));
  // Instances, NAT gateways, interface endpoints, load balancers and DB instances all hold an interface in it.
  if (subnetUser(ctx.cloud, subnet)) throw dependencyViolation("subnet", subnet.SubnetId);
  // A subnet's explicit route table association disappears with it.
  for (const table of Object.values(state.routeTables)) {
    table.Associations = table.Associations.filter((a) => a.SubnetId !== subnet.SubnetId);
  }
  delete state.subnets[subnet.SubnetId];
  ctx.cloud.markDirty();
  return {};
}

export function modifySubnetAttribute(input: { SubnetId?: string; MapPublicIpOnLaunch?: { Value?: boolean } }, ctx: RequestContext) {
  const subnet = findSubnet(ctx.cloud, ctx.region, required(input.SubnetId, "SubnetId"));
  if (input.MapPublicIpOnLaunch) subnet.MapPublicIpOnLaunch = input.MapPublicIpOnLaunch.Value ?? false;
  ctx.cloud.markDirty();
  return {};
}
