/**
 * CreateRoute / ReplaceRoute / DeleteRoute: one destination (a CIDR or a prefix list) to one
 * target (internet gateway, NAT gateway, instance, interface, peering, transit gateway).
 * Routes to gateway endpoints exist only through the endpoint's route tables, as in AWS.
 */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { parseCidr } from "./cidr.ts";
import { invalidParameterValue, notFound, required } from "./errors.ts";
import { findRouteTable } from "./lookups.ts";
import { findPrefixList } from "./prefix-lists.ts";
import { ec2State, type RouteRecord, type RouteTableRecord } from "./state.ts";

const TARGET_FIELDS = [
  "GatewayId",
  "NatGatewayId",
  "InstanceId",
  "NetworkInterfaceId",
  "VpcPeeringConnectionId",
  "TransitGatewayId",
  "VpcEndpointId",
] as const;

type RouteInput = Partial<Record<(typeof TARGET_FIELDS)[number], string>> & {
  RouteTableId?: string;
  DestinationCidrBlock?: string;
  DestinationPrefixListId?: string;
  DestinationIpv6CidrBlock?: string;
};

/** The route's destination as given: exactly one of a CIDR or a prefix list. */
function destinationOf(input: RouteInput, ctx: RequestContext): { key: "DestinationCidrBlock" | "DestinationPrefixListId"; value: string } {
  if (input.DestinationIpv6CidrBlock) throw invalidParameterValue("IPv6 routes are not supported: this VPC has no IPv6 CIDR block.");
  if (input.DestinationCidrBlock && input.DestinationPrefixListId) {
    throw new AwsError("InvalidParameterCombination", "Specify only one of destinationCidrBlock or destinationPrefixListId.");
  }
  if (input.DestinationPrefixListId) {
    if (!findPrefixList(ctx.region, input.DestinationPrefixListId))
      throw notFound("InvalidPrefixListID.NotFound", "prefix list", [input.DestinationPrefixListId]);
    return { key: "DestinationPrefixListId", value: input.DestinationPrefixListId };
  }
  const cidr = required(input.DestinationCidrBlock, "DestinationCidrBlock");
  if (!parseCidr(cidr))
    throw invalidParameterValue(`Value (${cidr}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`);
  return { key: "DestinationCidrBlock", value: cidr };
}

const gatewayEndpointRoute = (id: string) =>
  invalidParameterValue(
    `Route target ${id} is a gateway VPC endpoint: its routes come from the endpoint's route tables (CreateVpcEndpoint RouteTableIds / ModifyVpcEndpoint AddRouteTableIds).`,
  );

/** Checks the one target exists in the region and belongs to the table's VPC; returns the route's target fields. */
function targetOf(input: RouteInput, table: RouteTableRecord, ctx: RequestContext): Partial<RouteRecord> {
  const state = ec2State(ctx.cloud);
  const targets = TARGET_FIELDS.filter((field) => input[field]);
  if (targets.length !== 1) {
    throw new AwsError(
      "InvalidParameterCombination",
      "The request must contain exactly one of gatewayId, natGatewayId, instanceId, networkInterfaceId, vpcPeeringConnectionId, transitGatewayId or vpcEndpointId",
    );
  }
  const differentNetworks = (id: string) =>
    invalidParameterValue(`route table ${table.RouteTableId} and network gateway ${id} belong to different networks`);
  if (input.GatewayId) {
    if (input.GatewayId.startsWith("vpce-")) throw gatewayEndpointRoute(input.GatewayId);
    const igw = state.internetGateways[input.GatewayId];
    if (!igw || igw.region !== ctx.region)
      throw new AwsError("InvalidGatewayID.NotFound", `The gateway ID '${input.GatewayId}' does not exist`);
    if (igw.VpcId !== table.VpcId) throw differentNetworks(input.GatewayId);
    return { GatewayId: input.GatewayId };
  }
  if (input.NatGatewayId) {
    const nat = state.natGateways[input.NatGatewayId];
    if (!nat || nat.region !== ctx.region || nat.State === "deleted" || nat.State === "failed") {
      throw new AwsError("InvalidNatGatewayID.NotFound", `The natGateway ID '${input.NatGatewayId}' does not exist`);
    }
    if (nat.VpcId !== table.VpcId) throw differentNetworks(input.NatGatewayId);
    return { NatGatewayId: input.NatGatewayId };
  }
  if (input.VpcEndpointId) {
    const endpoint = state.vpcEndpoints[input.VpcEndpointId];
    if (!endpoint || endpoint.region !== ctx.region)
      throw new AwsError("InvalidVpcEndpointId.NotFound", `The Vpc Endpoint Id '${input.VpcEndpointId}' does not exist`);
    if (endpoint.VpcEndpointType === "Gateway") throw gatewayEndpointRoute(input.VpcEndpointId);
    throw invalidParameterValue(
      `Route target ${input.VpcEndpointId} is an interface endpoint: only Gateway Load Balancer endpoints can be route targets.`,
    );
  }
  if (input.InstanceId) {
    const instance = state.instances[input.InstanceId];
    if (!instance || instance.region !== ctx.region)
      throw new AwsError("InvalidInstanceID.NotFound", `The instance ID '${input.InstanceId}' does not exist`);
    if (instance.VpcId !== table.VpcId) throw differentNetworks(input.InstanceId);
    return { InstanceId: input.InstanceId };
  }
  const field = targets[0] as "NetworkInterfaceId" | "VpcPeeringConnectionId" | "TransitGatewayId";
  return { [field]: input[field] };
}

function sameDestination(route: RouteRecord, destination: { key: string; value: string }): boolean {
  return destination.key === "DestinationPrefixListId"
    ? route.DestinationPrefixListId === destination.value
    : route.DestinationCidrBlock === destination.value;
}

export function createRoute(input: RouteInput, ctx: RequestContext) {
  const table = findRouteTable(ctx.cloud, ctx.region, required(input.RouteTableId, "RouteTableId"));
  const destination = destinationOf(input, ctx);
  const target = targetOf(input, table, ctx);
  if (table.Routes.some((r) => sameDestination(r, destination))) {
    throw new AwsError("RouteAlreadyExists", `The route identified by ${destination.value} already exists.`);
  }
  table.Routes.push({ [destination.key]: destination.value, ...target, Origin: "CreateRoute" });
  ctx.cloud.markDirty();
  return { Return: true };
}

/** The existing route for a destination that the caller may change (not local, not an endpoint's). */
function changeableRoute(table: RouteTableRecord, destination: { key: string; value: string }, verb: string): RouteRecord | undefined {
  const route = table.Routes.find((r) => sameDestination(r, destination));
  if (route?.GatewayId === "local")
    throw invalidParameterValue(`cannot ${verb} local route ${destination.value} in route table ${table.RouteTableId}`);
  if (route?.GatewayId?.startsWith("vpce-")) {
    throw invalidParameterValue(
      `cannot ${verb} route ${destination.value} in route table ${table.RouteTableId}: it is managed by VPC endpoint ${route.GatewayId} (ModifyVpcEndpoint RemoveRouteTableIds)`,
    );
  }
  return route;
}

export function replaceRoute(input: RouteInput, ctx: RequestContext) {
  const table = findRouteTable(ctx.cloud, ctx.region, required(input.RouteTableId, "RouteTableId"));
  const destination = destinationOf(input, ctx);
  const route = changeableRoute(table, destination, "replace");
  if (!route) {
    throw new AwsError(
      "InvalidRoute.NotFound",
      `There is no route defined for '${destination.value}' in the route table. Use CreateRoute instead.`,
    );
  }
  const target = targetOf(input, table, ctx);
  for (const field of TARGET_FIELDS) if (field !== "VpcEndpointId") delete route[field];
  Object.assign(route, target, { Origin: "CreateRoute" });
  ctx.cloud.markDirty();
  return {};
}

export function deleteRoute(input: RouteInput, ctx: RequestContext) {
  const table = findRouteTable(ctx.cloud, ctx.region, required(input.RouteTableId, "RouteTableId"));
  const destination = destinationOf(input, ctx);
  const route = changeableRoute(table, destination, "remove");
  if (!route) {
    const name = destination.key === "DestinationPrefixListId" ? "destination-prefix-list-id" : "destination-cidr-block";
    throw new AwsError("InvalidRoute.NotFound", `no route with ${name} ${destination.value} in route table ${table.RouteTableId}`);
  }
  table.Routes = table.Routes.filter((r) => r !== route);
  ctx.cloud.markDirty();
  return {};
}
