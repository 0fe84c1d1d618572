/**
 * How a subnet's traffic is routed, from state: which route table applies (the subnet's
 * explicit association, else the VPC's main table), the route for a destination, and
 * whether a route's target is usable (AWS shows unusable ones as "blackhole").
 */
import type { Ec2State, RouteRecord, RouteTableRecord, SubnetRecord } from "./state.ts";

/** The table a subnet uses: its explicit association, else its VPC's main route table. */
export function routeTableOf(state: Ec2State, subnet: SubnetRecord): RouteTableRecord | undefined {
  const tables = Object.values(state.routeTables).filter((t) => t.VpcId === subnet.VpcId);
  return (
    tables.find((t) => t.Associations.some((a) => a.SubnetId === subnet.SubnetId)) ?? tables.find((t) => t.Associations.some((a) => a.Main))
  );
}

export function defaultRoute(table: RouteTableRecord): RouteRecord | undefined {
  return table.Routes.find((r) => r.DestinationCidrBlock === "0.0.0.0/0");
}

/** What a route points at, as AWS names it in messages. */
export function routeTarget(route: RouteRecord): string {
  return (
    route.GatewayId ??
    route.NatGatewayId ??
    route.InstanceId ??
    route.NetworkInterfaceId ??
    route.VpcPeeringConnectionId ??
    route.TransitGatewayId ??
    "unknown"
  );
}

/** A route whose target is gone or not usable (detached gateway, deleted NAT gateway, terminated instance) is a blackhole. */
export function routeState(state: Ec2State, table: RouteTableRecord, route: RouteRecord): "active" | "blackhole" {
  const gateway = route.GatewayId;
  if (gateway?.startsWith("igw-")) return state.internetGateways[gateway]?.VpcId === table.VpcId ? "active" : "blackhole";
  if (gateway?.startsWith("vpce-")) return state.vpcEndpoints[gateway] ? "active" : "blackhole";
  if (route.NatGatewayId) {
    const nat = state.natGateways[route.NatGatewayId];
    // AWS shows routes to a NAT gateway that is still pending as active; deleted or failed ones are blackholes.
    return nat && (nat.State === "pending" || nat.State === "available") ? "active" : "blackhole";
  }
  if (route.InstanceId) {
    const instance = state.instances[route.InstanceId];
    return instance && instance.State === "running" ? "active" : "blackhole";
  }
  return "active";
}
