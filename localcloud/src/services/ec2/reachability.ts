/**
 * Can an instance reach the internet, S3, or an AWS service API? Worked out from state the
 * way AWS's network would decide it, so a bootstrap that needs `dnf` (S3) or Secrets Manager
 * fails locally for the same reason it would fail on AWS:
 *
 *   - the subnet's route table (explicit association, else the VPC's main table);
 *   - internet: 0.0.0.0/0 to the VPC's attached internet gateway AND a public IP on the
 *     instance, or 0.0.0.0/0 to an available public NAT gateway whose own subnet routes to
 *     the internet gateway;
 *   - S3: a gateway endpoint route (the S3 prefix list) in that table, else the internet;
 *   - other services: an available interface endpoint with private DNS in the VPC whose
 *     security groups admit tcp/443 from the instance (private DNS captures the service's
 *     hostname, so a blocked endpoint does NOT fall back to the NAT), else the internet;
 *   - and the instance's security groups must allow egress tcp/443 to the destination.
 *
 * Network ACLs are AWS's default (allow all) and endpoint policies are not evaluated.
 */
import type { CloudApi } from "../../core/types.ts";
import { prefixListId } from "./prefix-lists.ts";
import { defaultRoute, routeTableOf, routeTarget } from "./routing.ts";
import { allowingRule, type Peer } from "./sg-eval.ts";
import { ec2State, type Ec2State, type InstanceRecord, type RouteTableRecord, type SubnetRecord } from "./state.ts";

export type Destination = { kind: "internet" } | { kind: "s3" } | { kind: "service"; service: string }; // e.g. "secretsmanager", "ssm", "sts"

export type PathResult = { ok: true; via: string } | { ok: false; reason: string };

/** Everything the checks need about the instance's place in the network. */
interface Origin {
  state: Ec2State;
  instance: InstanceRecord;
  subnet: SubnetRecord;
  table: RouteTableRecord;
  where: string;
}

/** HTTPS: dnf's S3 mirrors and every AWS API. */
const PORT = 443;

type Hop = { ok: true; via: string } | { ok: false; problem?: string };

/** The internet hop from the route table: an IGW with a public IP, or a working public NAT gateway. */
function internetHop(o: Origin): Hop {
  const route = defaultRoute(o.table);
  if (!route) return { ok: false };
  const { state, instance } = o;
  if (route.GatewayId?.startsWith("igw-")) {
    const igw = state.internetGateways[route.GatewayId];
    if (!igw || igw.VpcId !== instance.VpcId)
      return { ok: false, problem: `0.0.0.0/0 -> ${route.GatewayId} is a blackhole (the gateway is not attached to ${instance.VpcId})` };
    if (!instance.PublicIpAddress) {
      return {
        ok: false,
        problem: `0.0.0.0/0 -> ${igw.InternetGatewayId} but ${instance.InstanceId} has no public IP (no AssociatePublicIpAddress, ${o.subnet.SubnetId} does not map public IPs on launch, no Elastic IP)`,
      };
    }
    return { ok: true, via: `internet gateway ${igw.InternetGatewayId} (public IP ${instance.PublicIpAddress})` };
  }
  if (route.NatGatewayId) {
    const nat = state.natGateways[route.NatGatewayId];
    if (!nat || nat.State === "deleted" || nat.State === "deleting" || nat.State === "failed") {
      return { ok: false, problem: `0.0.0.0/0 -> ${route.NatGatewayId} is a blackhole (the NAT gateway is ${nat?.State ?? "gone"})` };
    }
    if (nat.State !== "available") return { ok: false, problem: `NAT gateway ${nat.NatGatewayId} is still ${nat.State}` };
    if (nat.ConnectivityType === "private")
      return { ok: false, problem: `${nat.NatGatewayId} is a private NAT gateway (no internet access)` };
    const natSubnet = state.subnets[nat.SubnetId];
    const natTable = natSubnet && routeTableOf(state, natSubnet);
    const natRoute = natTable && defaultRoute(natTable);
    const igw = natRoute?.GatewayId ? state.internetGateways[natRoute.GatewayId] : undefined;
    if (!natTable || !igw || igw.VpcId !== nat.VpcId) {
      return {
        ok: false,
        problem: `NAT gateway ${nat.NatGatewayId} is in ${nat.SubnetId}, whose route table ${natTable?.RouteTableId ?? "(none)"} has no 0.0.0.0/0 route to an attached internet gateway`,
      };
    }
    return { ok: true, via: `NAT gateway ${nat.NatGatewayId} (${nat.PublicIp}) in ${nat.SubnetId} -> ${igw.InternetGatewayId}` };
  }
  return { ok: false, problem: `0.0.0.0/0 -> ${routeTarget(route)}, which localcloud does not model as a way out` };
}

function groupList(ids: string[]): string {
  return ids.length ? ids.join(", ") : "(none)";
}

/** The instance's security groups must let tcp/443 out to `peer`. */
function egressCheck(o: Origin, peer: Peer, what: string): PathResult | undefined {
  if (allowingRule(o.state, o.instance.SecurityGroupIds, true, PORT, peer)) return undefined;
  return {
    ok: false,
    reason: `security groups ${groupList(o.instance.SecurityGroupIds)} of ${o.instance.InstanceId} allow no egress on tcp/${PORT} to ${what}`,
  };
}

function internetPath(o: Origin, label: string, alternatives: string, peer: Peer): PathResult {
  const hop = internetHop(o);
  if (!hop.ok) {
    const cause = hop.problem
      ? `${hop.problem}${alternatives ? `; ${alternatives}` : ""}`
      : `no NAT gateway, no internet gateway route with a public IP${alternatives ? `, ${alternatives}` : ""}`;
    return { ok: false, reason: `no route to ${label} ${o.where}: ${cause}` };
  }
  return egressCheck(o, peer, peer.prefixListId ? `0.0.0.0/0 or ${peer.prefixListId}` : "0.0.0.0/0") ?? { ok: true, via: hop.via };
}

function s3Path(o: Origin): PathResult {
  const region = o.instance.region;
  const pl = prefixListId(region, "s3");
  const route = o.table.Routes.find((r) => r.DestinationPrefixListId === pl && r.GatewayId?.startsWith("vpce-"));
  const endpoint = route ? o.state.vpcEndpoints[route.GatewayId!] : undefined;
  if (endpoint && endpoint.State === "available") {
    // The prefix-list route is more specific than 0.0.0.0/0: S3 traffic takes the endpoint.
    return (
      egressCheck(o, { prefixListId: pl }, `${pl} (S3) or 0.0.0.0/0`) ?? {
        ok: true,
        via: `S3 gateway endpoint ${endpoint.VpcEndpointId} (route table ${o.table.RouteTableId})`,
      }
    );
  }
  const elsewhere = Object.values(o.state.vpcEndpoints).find(
    (e) => e.VpcId === o.instance.VpcId && e.VpcEndpointType === "Gateway" && e.ServiceName === `com.amazonaws.${region}.s3`,
  );
  const alternative = elsewhere
    ? `S3 gateway endpoint ${elsewhere.VpcEndpointId} is not associated with route table ${o.table.RouteTableId}`
    : "no S3 gateway endpoint";
  return internetPath(o, "S3", alternative, { anywhere: true, prefixListId: pl });
}

function servicePath(o: Origin, service: string): PathResult {
  const serviceName = `com.amazonaws.${o.instance.region}.${service}`;
  const endpoints = Object.values(o.state.vpcEndpoints).filter(
    (e) => e.VpcId === o.instance.VpcId && e.VpcEndpointType === "Interface" && e.ServiceName === serviceName,
  );
  const endpoint = endpoints.find((e) => e.State === "available" && e.PrivateDnsEnabled);
  if (endpoint) {
    // Private DNS answers the service's hostname with the endpoint's addresses: no fallback past it.
    const eni =
      endpoint.Interfaces.find((i) => o.state.subnets[i.SubnetId]?.AvailabilityZone === o.instance.AvailabilityZone) ??
      endpoint.Interfaces[0];
    const self: Peer = { ip: o.instance.PrivateIpAddress, groupIds: o.instance.SecurityGroupIds };
    if (!allowingRule(o.state, endpoint.SecurityGroupIds, false, PORT, self)) {
      return {
        ok: false,
        reason: `security groups ${groupList(endpoint.SecurityGroupIds)} of interface endpoint ${endpoint.VpcEndpointId} (${service}) allow no inbound tcp/${PORT} from ${o.instance.InstanceId} (${o.instance.PrivateIpAddress}, ${groupList(o.instance.SecurityGroupIds)})`,
      };
    }
    const peer: Peer = { ip: eni?.PrivateIpAddress, groupIds: endpoint.SecurityGroupIds };
    return (
      egressCheck(o, peer, `interface endpoint ${endpoint.VpcEndpointId} (${eni?.PrivateIpAddress ?? "no address"})`) ?? {
        ok: true,
        via: `interface endpoint ${endpoint.VpcEndpointId} (private DNS) in ${eni?.SubnetId ?? "no subnet"}`,
      }
    );
  }
  const unusable = endpoints[0];
  const alternative = unusable
    ? `interface endpoint ${unusable.VpcEndpointId} for ${serviceName} is ${unusable.State !== "available" ? unusable.State : "without private DNS"}`
    : `no interface endpoint for ${serviceName} with private DNS`;
  return internetPath(o, service, alternative, { anywhere: true });
}

/**
 * The instance's way out to `dest`, or a concrete reason there is none, e.g.
 * "no route to S3 from subnet-0abc (route table rtb-0123): no NAT gateway, no internet gateway
 * route with a public IP, no S3 gateway endpoint".
 */
export function pathOut(cloud: CloudApi, instanceId: string, dest: Destination): { ok: true; via: string } | { ok: false; reason: string } {
  const state = ec2State(cloud);
  const instance = state.instances[instanceId];
  if (!instance) return { ok: false, reason: `instance ${instanceId} does not exist` };
  if (instance.State === "terminated" || instance.State === "shutting-down")
    return { ok: false, reason: `instance ${instanceId} is ${instance.State}` };
  const subnet = state.subnets[instance.SubnetId];
  if (!subnet) return { ok: false, reason: `subnet ${instance.SubnetId} of ${instanceId} no longer exists` };
  const table = routeTableOf(state, subnet);
  if (!table) return { ok: false, reason: `${subnet.SubnetId} has no route table (its VPC ${subnet.VpcId} has no main route table)` };
  const vpc = state.vpcs[instance.VpcId];
  if (vpc && !vpc.EnableDnsSupport) {
    // Without the Amazon DNS server no AWS hostname (mirror, API endpoint) resolves.
    return {
      ok: false,
      reason: `${vpc.VpcId} has DNS support disabled (enableDnsSupport false): ${instanceId} cannot resolve any hostname`,
    };
  }
  const origin: Origin = { state, instance, subnet, table, where: `from ${subnet.SubnetId} (route table ${table.RouteTableId})` };
  if (dest.kind === "s3" || (dest.kind === "service" && dest.service === "s3")) return s3Path(origin);
  if (dest.kind === "service") return servicePath(origin, dest.service);
  return internetPath(origin, "the internet", "", { anywhere: true });
}
