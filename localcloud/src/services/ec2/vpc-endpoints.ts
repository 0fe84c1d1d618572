/**
 * VPC endpoints to AWS services. Gateway endpoints (S3, DynamoDB) are available at once and
 * add a prefix-list route to each of their route tables; interface endpoints get one network
 * interface per subnet, security groups and (by default) private DNS, and are pending for
 * ENDPOINT_PENDING_MS simulated before available. Deleting removes the routes at once;
 * interface endpoints are `deleting` for ENDPOINT_DELETING_MS, then gone.
 */
import { AwsError, type CloudApi, type RequestContext } from "../../core/types.ts";
import { endpointService, type EndpointType } from "./endpoint-services.ts";
import { required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { findVpc, regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { ec2State, newId, type Ec2State, type VpcEndpointRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";
import {
  addEndpointRoutes,
  addInterfaces,
  checkGroups,
  checkPrivateDns,
  checkRouteTables,
  checkSubnets,
  DEFAULT_POLICY,
  dnsEntries,
  removeEndpointRoutes,
} from "./vpc-endpoint-rules.ts";

export const ENDPOINT_PENDING_MS = 60_000;
export const ENDPOINT_DELETING_MS = 30_000;

export function vpcEndpointOut(state: Ec2State, endpoint: VpcEndpointRecord, ownerId: string) {
  const isInterface = endpoint.VpcEndpointType === "Interface";
  return {
    VpcEndpointId: endpoint.VpcEndpointId,
    VpcEndpointType: endpoint.VpcEndpointType,
    VpcId: endpoint.VpcId,
    ServiceName: endpoint.ServiceName,
    State: endpoint.State,
    PolicyDocument: endpoint.PolicyDocument,
    RouteTableIds: endpoint.RouteTableIds,
    SubnetIds: endpoint.Interfaces.map((i) => i.SubnetId),
    Groups: endpoint.SecurityGroupIds.map((id) => ({ GroupId: id, GroupName: state.securityGroups[id]?.GroupName ?? "" })),
    IpAddressType: "ipv4",
    DnsOptions: isInterface ? { DnsRecordIpType: "ipv4" } : undefined,
    PrivateDnsEnabled: endpoint.PrivateDnsEnabled,
    RequesterManaged: false,
    NetworkInterfaceIds: endpoint.Interfaces.map((i) => i.NetworkInterfaceId),
    DnsEntries: dnsEntries(state, endpoint),
    CreationTimestamp: new Date(endpoint.CreationTimestamp),
    OwnerId: ownerId,
    Tags: tagsOut(endpoint.Tags),
  };
}

export function findEndpoint(ctx: RequestContext, id: string): VpcEndpointRecord {
  const endpoint = ec2State(ctx.cloud).vpcEndpoints[id];
  if (!endpoint || endpoint.region !== ctx.region)
    throw new AwsError("InvalidVpcEndpointId.NotFound", `The Vpc Endpoint Id '${id}' does not exist`);
  return endpoint;
}

export function createVpcEndpoint(
  input: {
    VpcId?: string;
    ServiceName?: string;
    VpcEndpointType?: string;
    PolicyDocument?: string;
    RouteTableIds?: string[];
    SubnetIds?: string[];
    SecurityGroupIds?: string[];
    PrivateDnsEnabled?: boolean;
    ClientToken?: string;
    TagSpecifications?: TagSpecification[];
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  const tokenKey = input.ClientToken ? `${ctx.region}/CreateVpcEndpoint/${input.ClientToken}` : undefined;
  const earlier = tokenKey ? state.vpcEndpoints[state.clientTokens[tokenKey]?.ids[0] ?? ""] : undefined;
  if (earlier) return { ClientToken: input.ClientToken, VpcEndpoint: vpcEndpointOut(state, earlier, ctx.accountId) };
  const vpc = findVpc(ctx.cloud, ctx.region, required(input.VpcId, "VpcId"));
  const serviceName = required(input.ServiceName, "ServiceName");
  const type = input.VpcEndpointType ?? "Gateway";
  if (type !== "Gateway" && type !== "Interface") {
    throw new AwsError("InvalidParameter", `Endpoint type ${type} is not supported by localcloud (Gateway and Interface are).`);
  }
  endpointService(ctx.region, serviceName, type as EndpointType);
  const tags = tagsFromSpecifications(input.TagSpecifications, "vpc-endpoint");
  const now = ctx.cloud.now();
  const endpoint: VpcEndpointRecord = {
    VpcEndpointId: newId("vpce"),
    region: ctx.region,
    VpcEndpointType: type,
    VpcId: vpc.VpcId,
    ServiceName: serviceName,
    State: type === "Gateway" ? "available" : "pending",
    PolicyDocument: input.PolicyDocument ?? DEFAULT_POLICY,
    RouteTableIds: [],
    Interfaces: [],
    SecurityGroupIds: [],
    PrivateDnsEnabled: false,
    CreationTimestamp: now,
    dueAt: type === "Gateway" ? undefined : now + ENDPOINT_PENDING_MS,
    Tags: tags,
  };
  if (type === "Gateway") {
    if (input.SubnetIds?.length || input.SecurityGroupIds?.length || input.PrivateDnsEnabled) {
      throw new AwsError("InvalidParameter", "Subnets, security groups and private DNS apply to interface endpoints only.");
    }
    const tables = [...new Set(input.RouteTableIds ?? [])];
    checkRouteTables(state, ctx.region, vpc.VpcId, tables);
    addEndpointRoutes(state, endpoint, tables);
    endpoint.RouteTableIds = tables;
  } else {
    if (input.RouteTableIds?.length) throw new AwsError("InvalidParameter", "Route tables apply to gateway endpoints only.");
    const subnets = [...new Set(input.SubnetIds ?? [])];
    checkSubnets(state, ctx.region, vpc.VpcId, subnets);
    // Without groups AWS uses the VPC's default security group.
    const groups = input.SecurityGroupIds?.length
      ? [...new Set(input.SecurityGroupIds)]
      : Object.values(state.securityGroups)
          .filter((g) => g.VpcId === vpc.VpcId && g.GroupName === "default")
          .map((g) => g.GroupId);
    checkGroups(state, ctx.region, vpc.VpcId, groups);
    endpoint.SecurityGroupIds = groups;
    // AWS enables private DNS by default for interface endpoints to AWS services.
    endpoint.PrivateDnsEnabled = input.PrivateDnsEnabled ?? true;
    if (endpoint.PrivateDnsEnabled) checkPrivateDns(state, endpoint);
    addInterfaces(state, endpoint, subnets);
  }
  state.vpcEndpoints[endpoint.VpcEndpointId] = endpoint;
  if (tokenKey) state.clientTokens[tokenKey] = { kind: "CreateVpcEndpoint", ids: [endpoint.VpcEndpointId], at: now };
  ctx.cloud.markDirty();
  return { ClientToken: input.ClientToken, VpcEndpoint: vpcEndpointOut(state, endpoint, ctx.accountId) };
}

export function describeVpcEndpoints(
  input: { VpcEndpointIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let endpoints = input.VpcEndpointIds?.length
    ? input.VpcEndpointIds.map((id) => findEndpoint(ctx, id))
    : regionRecords(state.vpcEndpoints, ctx.region);
  endpoints = applyFilters(endpoints, input.Filters, {
    "ip-address-type": () => "ipv4",
    "service-name": (e) => e.ServiceName,
    "vpc-id": (e) => e.VpcId,
    "vpc-endpoint-id": (e) => e.VpcEndpointId,
    "vpc-endpoint-state": (e) => e.State,
    "vpc-endpoint-type": (e) => e.VpcEndpointType,
  });
  const { items: page, next: NextToken } = pageOf(endpoints, input.NextToken, input.MaxResults, ec2Pages("DescribeVpcEndpoints"));
  return { VpcEndpoints: page.map((e) => vpcEndpointOut(state, e, ctx.accountId)), NextToken };
}

export function deleteVpcEndpoints(input: { VpcEndpointIds?: string[] }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const unsuccessful: Array<{ ResourceId: string; Error: { Code: string; Message: string } }> = [];
  for (const id of required(input.VpcEndpointIds, "VpcEndpointId")) {
    const endpoint = state.vpcEndpoints[id];
    if (!endpoint || endpoint.region !== ctx.region) {
      unsuccessful.push({
        ResourceId: id,
        Error: { Code: "InvalidVpcEndpoint.NotFound", Message: `The VPC endpoint '${id}' does not exist` },
      });
      continue;
    }
    removeEndpointRoutes(state, endpoint, endpoint.RouteTableIds);
    if (endpoint.VpcEndpointType === "Gateway") {
      delete state.vpcEndpoints[id];
    } else if (endpoint.State !== "deleting") {
      endpoint.State = "deleting";
      endpoint.dueAt = ctx.cloud.now() + ENDPOINT_DELETING_MS;
    }
  }
  ctx.cloud.markDirty();
  return { Unsuccessful: unsuccessful };
}

export function tickVpcEndpoints(cloud: CloudApi, now: number): void {
  const state = ec2State(cloud);
  let changed = false;
  for (const endpoint of Object.values(state.vpcEndpoints)) {
    if (endpoint.dueAt === undefined || endpoint.dueAt > now) continue;
    changed = true;
    if (endpoint.State === "pending") {
      endpoint.State = "available";
      endpoint.dueAt = undefined;
    } else if (endpoint.State === "deleting") {
      delete state.vpcEndpoints[endpoint.VpcEndpointId];
    }
  }
  if (changed) cloud.markDirty();
}
