/** Internet gateways: created detached, attached to at most one VPC, deletable only when detached. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { dependencyViolation, required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { findAll, findInternetGateway, findVpc, regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { enforceQuota, QUOTAS } from "./quotas.ts";
import { ec2State, newId, type Ec2State, type InternetGatewayRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";

function internetGatewayOut(igw: InternetGatewayRecord, ownerId: string) {
  return {
    InternetGatewayId: igw.InternetGatewayId,
    OwnerId: ownerId,
    // AWS reports an attached gateway's attachment state as "available".
    Attachments: igw.VpcId ? [{ VpcId: igw.VpcId, State: "available" }] : [],
    Tags: tagsOut(igw.Tags),
  };
}

export function createInternetGateway(input: { TagSpecifications?: TagSpecification[] }, ctx: RequestContext) {
  const count = regionRecords(ec2State(ctx.cloud).internetGateways, ctx.region).length;
  enforceQuota(
    ctx,
    QUOTAS.internetGateways,
    count,
    "InternetGatewayLimitExceeded",
    "The maximum number of internet gateways has been reached.",
  );
  const igw: InternetGatewayRecord = {
    InternetGatewayId: newId("igw"),
    region: ctx.region,
    Tags: tagsFromSpecifications(input.TagSpecifications, "internet-gateway"),
  };
  ec2State(ctx.cloud).internetGateways[igw.InternetGatewayId] = igw;
  ctx.cloud.markDirty();
  return { InternetGateway: internetGatewayOut(igw, ctx.accountId) };
}

export function describeInternetGateways(
  input: { InternetGatewayIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let gateways = input.InternetGatewayIds?.length
    ? findAll(state.internetGateways, ctx.region, input.InternetGatewayIds, "InvalidInternetGatewayID.NotFound", "internet gateway")
    : regionRecords(state.internetGateways, ctx.region);
  gateways = applyFilters(gateways, input.Filters, {
    "internet-gateway-id": (g) => g.InternetGatewayId,
    "attachment.vpc-id": (g) => g.VpcId,
    "attachment.state": (g) => (g.VpcId ? "available" : undefined),
    "owner-id": () => ctx.accountId,
  });
  const { items: page, next: NextToken } = pageOf(gateways, input.NextToken, input.MaxResults, ec2Pages("DescribeInternetGateways"));
  return { InternetGateways: page.map((g) => internetGatewayOut(g, ctx.accountId)), NextToken };
}

export function attachInternetGateway(input: { InternetGatewayId?: string; VpcId?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const igw = findInternetGateway(ctx.cloud, ctx.region, required(input.InternetGatewayId, "InternetGatewayId"));
  const vpc = findVpc(ctx.cloud, ctx.region, required(input.VpcId, "VpcId"));
  if (igw.VpcId) {
    throw new AwsError("Resource.AlreadyAssociated", `resource ${igw.InternetGatewayId} is already attached to network ${igw.VpcId}`);
  }
  const other = Object.values(state.internetGateways).find((g) => g.VpcId === vpc.VpcId);
  if (other) {
    throw new AwsError("InvalidParameterValue", `Network ${vpc.VpcId} already has an internet gateway attached`);
  }
  igw.VpcId = vpc.VpcId;
  ctx.cloud.markDirty();
  return {};
}

/** Public addresses that only work through the gateway: Elastic IPs in use, public NAT gateways, instances' public IPs. */
function hasMappedPublicAddresses(state: Ec2State, vpcId: string): boolean {
  const liveInstance = (id: string | undefined) => {
    const instance = id ? state.instances[id] : undefined;
    return instance !== undefined && instance.VpcId === vpcId && instance.State !== "terminated";
  };
  return (
    Object.values(state.addresses).some(
      (a) => a.AssociationId && (liveInstance(a.InstanceId) || natInVpc(state, a.NetworkInterfaceId, vpcId)),
    ) ||
    Object.values(state.natGateways).some(
      (n) => n.VpcId === vpcId && n.ConnectivityType === "public" && n.State !== "deleted" && n.State !== "failed",
    ) ||
    Object.values(state.instances).some(
      (i) => i.VpcId === vpcId && i.PublicIpAddress !== undefined && ["pending", "running", "stopping", "shutting-down"].includes(i.State),
    )
  );
}

function natInVpc(state: Ec2State, eniId: string | undefined, vpcId: string): boolean {
  return Object.values(state.natGateways).some((n) => n.NetworkInterfaceId === eniId && n.VpcId === vpcId && n.State !== "deleted");
}

export function detachInternetGateway(input: { InternetGatewayId?: string; VpcId?: string }, ctx: RequestContext) {
  const igw = findInternetGateway(ctx.cloud, ctx.region, required(input.InternetGatewayId, "InternetGatewayId"));
  const vpcId = required(input.VpcId, "VpcId");
  findVpc(ctx.cloud, ctx.region, vpcId);
  if (igw.VpcId !== vpcId) {
    throw new AwsError("Gateway.NotAttached", `resource ${igw.InternetGatewayId} is not attached to network ${vpcId}`);
  }
  if (hasMappedPublicAddresses(ec2State(ctx.cloud), vpcId)) {
    throw new AwsError(
      "DependencyViolation",
      `Network ${vpcId} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`,
    );
  }
  delete igw.VpcId;
  ctx.cloud.markDirty();
  return {};
}

export function deleteInternetGateway(input: { InternetGatewayId?: string }, ctx: RequestContext) {
  const igw = findInternetGateway(ctx.cloud, ctx.region, required(input.InternetGatewayId, "InternetGatewayId"));
  if (igw.VpcId) throw dependencyViolation("internetGateway", igw.InternetGatewayId);
  delete ec2State(ctx.cloud).internetGateways[igw.InternetGatewayId];
  ctx.cloud.markDirty();
  return {};
}
