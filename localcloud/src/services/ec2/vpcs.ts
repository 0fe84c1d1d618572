/** VPCs: each comes with its main route table and its default security group, as in AWS. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { parseCidr } from "./cidr.ts";
import { dependencyViolation, invalidParameterValue, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { findAll, findVpc, regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { enforceQuota, QUOTAS } from "./quotas.ts";
import { createMainRouteTable } from "./route-tables.ts";
import { createDefaultSecurityGroup } from "./security-groups.ts";
import { ec2State, newId, type VpcRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";

export function vpcOut(vpc: VpcRecord, ownerId: string) {
  return {
    VpcId: vpc.VpcId,
    CidrBlock: vpc.CidrBlock,
    State: "available",
    DhcpOptionsId: vpc.DhcpOptionsId,
    OwnerId: ownerId,
    InstanceTenancy: vpc.InstanceTenancy,
    IsDefault: false,
    CidrBlockAssociationSet: [{ AssociationId: vpc.CidrAssociationId, CidrBlock: vpc.CidrBlock, CidrBlockState: { State: "associated" } }],
    Tags: tagsOut(vpc.Tags),
  };
}

export function createVpc(
  input: { CidrBlock?: string; InstanceTenancy?: string; TagSpecifications?: TagSpecification[] },
  ctx: RequestContext,
) {
  if (!input.CidrBlock) throw new AwsError("MissingParameter", "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.");
  const cidr = parseCidr(input.CidrBlock);
  if (!cidr) throw invalidParameterValue(`Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`);
  if (cidr.prefix < 16 || cidr.prefix > 28) throw new AwsError("InvalidVpc.Range", `The CIDR '${input.CidrBlock}' is invalid.`);
  const tenancy = input.InstanceTenancy ?? "default";
  if (!["default", "dedicated", "host"].includes(tenancy)) {
    throw invalidParameterValue(`Value (${tenancy}) for parameter instanceTenancy is invalid.`);
  }
  const tags = tagsFromSpecifications(input.TagSpecifications, "vpc");
  const state = ec2State(ctx.cloud);
  enforceQuota(
    ctx,
    QUOTAS.vpcs,
    regionRecords(state.vpcs, ctx.region).length,
    "VpcLimitExceeded",
    "The maximum number of VPCs has been reached.",
  );
  const vpc: VpcRecord = {
    VpcId: newId("vpc"),
    region: ctx.region,
    CidrBlock: input.CidrBlock,
    InstanceTenancy: tenancy,
    CidrAssociationId: newId("vpc-cidr-assoc"),
    EnableDnsSupport: true,
    EnableDnsHostnames: false,
    EnableNetworkAddressUsageMetrics: false,
    DhcpOptionsId: newId("dopt"),
    Tags: tags,
  };
  state.vpcs[vpc.VpcId] = vpc;
  createMainRouteTable(state, vpc);
  createDefaultSecurityGroup(state, vpc);
  ctx.cloud.markDirty();
  return { Vpc: { ...vpcOut(vpc, ctx.accountId), State: "pending" } };
}

export function describeVpcs(
  input: { VpcIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let vpcs = input.VpcIds?.length
    ? findAll(state.vpcs, ctx.region, input.VpcIds, "InvalidVpcID.NotFound", "vpc")
    : regionRecords(state.vpcs, ctx.region);
  vpcs = applyFilters(vpcs, input.Filters, {
    "vpc-id": (v) => v.VpcId,
    // AWS documents `cidr` and `cidr-block-association.cidr-block` and also accepts these spellings.
    cidr: (v) => v.CidrBlock,
    "cidr-block": (v) => v.CidrBlock,
    cidrBlock: (v) => v.CidrBlock,
    "cidr-block-association.cidr-block": (v) => v.CidrBlock,
    "cidr-block-association.association-id": (v) => v.CidrAssociationId,
    "cidr-block-association.state": () => "associated",
    state: () => "available",
    "is-default": () => "false",
    isDefault: () => "false",
    // No IPv6 blocks are ever associated: these filters are valid and match nothing.
    "ipv6-cidr-block-association.ipv6-cidr-block": () => undefined,
    "ipv6-cidr-block-association.ipv6-pool": () => undefined,
    "ipv6-cidr-block-association.association-id": () => undefined,
    "ipv6-cidr-block-association.state": () => undefined,
    "owner-id": () => ctx.accountId,
    "dhcp-options-id": (v) => v.DhcpOptionsId,
    "instance-tenancy": (v) => v.InstanceTenancy,
  });
  const { items: page, next: NextToken } = pageOf(vpcs, input.NextToken, input.MaxResults, ec2Pages("DescribeVpcs"));
  return { Vpcs: page.map((vpc) => vpcOut(vpc, ctx.accountId)), NextToken };
}

export function deleteVpc(input: { VpcId?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const vpc = findVpc(ctx.cloud, ctx.region, input.VpcId ?? "");
  const id = vpc.VpcId;
  const hasDependents =
    Object.values(state.subnets).some((s) => s.VpcId === id) ||
    Object.values(state.internetGateways).some((g) => g.VpcId === id) ||
    Object.values(state.securityGroups).some((g) => g.VpcId === id && g.GroupName !== "default") ||
    Object.values(state.routeTables).some((t) => t.VpcId === id && !t.Associations.some((a) => a.Main)) ||
    Object.values(state.vpcEndpoints).some((e) => e.VpcId === id);
  if (hasDependents) throw dependencyViolation("vpc", id);
  // The main route table and the default security group go with the VPC.
  for (const table of Object.values(state.routeTables)) if (table.VpcId === id) delete state.routeTables[table.RouteTableId];
  for (const group of Object.values(state.securityGroups)) if (group.VpcId === id) delete state.securityGroups[group.GroupId];
  delete state.vpcs[id];
  ctx.cloud.markDirty();
  return {};
}

type BooleanAttribute = { Value?: boolean } | undefined;

export function modifyVpcAttribute(
  input: {
    VpcId?: string;
    EnableDnsSupport?: BooleanAttribute;
    EnableDnsHostnames?: BooleanAttribute;
    EnableNetworkAddressUsageMetrics?: BooleanAttribute;
  },
  ctx: RequestContext,
) {
  const vpc = findVpc(ctx.cloud, ctx.region, input.VpcId ?? "");
  const given = [input.EnableDnsSupport, input.EnableDnsHostnames, input.EnableNetworkAddressUsageMetrics].filter(
    (attribute) => attribute !== undefined,
  );
  if (given.length !== 1) {
    throw new AwsError(
      "InvalidParameterCombination",
      "Fields for multiple attribute types specified: exactly one attribute may be modified per request.",
    );
  }
  if (input.EnableDnsSupport) vpc.EnableDnsSupport = input.EnableDnsSupport.Value ?? false;
  if (input.EnableDnsHostnames) {
    if (input.EnableDnsHostnames.Value && !vpc.EnableDnsSupport) {
      throw new AwsError("InvalidParameterCombination", "Cannot enable DNS hostnames without DNS support.");
    }
    vpc.EnableDnsHostnames = input.EnableDnsHostnames.Value ?? false;
  }
  if (input.EnableNetworkAddressUsageMetrics) {
    vpc.EnableNetworkAddressUsageMetrics = input.EnableNetworkAddressUsageMetrics.Value ?? false;
  }
  ctx.cloud.markDirty();
  return {};
}

export function describeVpcAttribute(input: { VpcId?: string; Attribute?: string }, ctx: RequestContext) {
  const vpc = findVpc(ctx.cloud, ctx.region, input.VpcId ?? "");
  switch (input.Attribute) {
    case "enableDnsSupport":
      return { VpcId: vpc.VpcId, EnableDnsSupport: { Value: vpc.EnableDnsSupport } };
    case "enableDnsHostnames":
      return { VpcId: vpc.VpcId, EnableDnsHostnames: { Value: vpc.EnableDnsHostnames } };
    case "enableNetworkAddressUsageMetrics":
      return { VpcId: vpc.VpcId, EnableNetworkAddressUsageMetrics: { Value: vpc.EnableNetworkAddressUsageMetrics } };
    default:
      throw invalidParameterValue(`Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`);
  }
}
