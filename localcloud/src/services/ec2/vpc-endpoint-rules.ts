/**
 * What CreateVpcEndpoint and ModifyVpcEndpoint share: validating route tables, subnets,
 * groups and private DNS against the VPC, adding and removing the prefix-list routes of a
 * gateway endpoint, and creating an interface endpoint's network interfaces.
 */
import { createHash } from "node:crypto";
import { AwsError } from "../../core/types.ts";
import { notFound } from "./errors.ts";
import { servicePrivateDnsName } from "./endpoint-services.ts";
import { allocateAddress } from "./ip-allocation.ts";
import { prefixListId } from "./prefix-lists.ts";
import { newId, type Ec2State, type VpcEndpointRecord } from "./state.ts";

export const DEFAULT_POLICY = JSON.stringify({
  Version: "2008-10-17",
  Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }],
});

/** The service part of com.amazonaws.<region>.<service>. */
export function serviceOf(endpoint: VpcEndpointRecord): string {
  return endpoint.ServiceName.slice(`com.amazonaws.${endpoint.region}.`.length);
}

export function checkRouteTables(state: Ec2State, region: string, vpcId: string, ids: string[]): void {
  for (const id of ids) {
    const table = state.routeTables[id];
    if (!table || table.region !== region) throw notFound("InvalidRouteTableId.NotFound", "route table", [id]);
    if (table.VpcId !== vpcId) throw new AwsError("InvalidParameter", `Route table ${id} does not belong to ${vpcId}.`);
  }
}

export function checkGroups(state: Ec2State, region: string, vpcId: string, ids: string[]): void {
  for (const id of ids) {
    const group = state.securityGroups[id];
    if (!group || group.region !== region) throw notFound("InvalidGroup.NotFound", "security group", [id]);
    if (group.VpcId !== vpcId) throw new AwsError("InvalidParameter", `Security group ${id} does not belong to ${vpcId}.`);
  }
}

/** Subnets in the VPC, at most one per Availability Zone (counting those the endpoint already has). */
export function checkSubnets(state: Ec2State, region: string, vpcId: string, ids: string[], existing: string[] = []): void {
  const zones = new Map(existing.map((id) => [state.subnets[id]?.AvailabilityZone, id]));
  for (const id of ids) {
    const subnet = state.subnets[id];
    if (!subnet || subnet.region !== region) throw notFound("InvalidSubnetID.NotFound", "subnet", [id]);
    if (subnet.VpcId !== vpcId) throw new AwsError("InvalidParameter", `Subnet ${id} does not belong to ${vpcId}.`);
    if (zones.has(subnet.AvailabilityZone)) {
      throw new AwsError(
        "DuplicateSubnetsInSameZone",
        `Found another VPC endpoint subnet in the availability zone of ${id}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
      );
    }
    zones.set(subnet.AvailabilityZone, id);
  }
}

/** Private DNS needs both VPC DNS attributes and no other endpoint already owning the service's name in the VPC. */
export function checkPrivateDns(
  state: Ec2State,
  endpoint: Pick<VpcEndpointRecord, "VpcId" | "ServiceName" | "region" | "VpcEndpointId">,
): void {
  const vpc = state.vpcs[endpoint.VpcId];
  if (!vpc?.EnableDnsSupport || !vpc.EnableDnsHostnames) {
    throw new AwsError(
      "InvalidParameter",
      `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${endpoint.VpcId}`,
    );
  }
  const conflict = Object.values(state.vpcEndpoints).find(
    (e) =>
      e.VpcEndpointId !== endpoint.VpcEndpointId &&
      e.VpcId === endpoint.VpcId &&
      e.ServiceName === endpoint.ServiceName &&
      e.PrivateDnsEnabled &&
      e.VpcEndpointType === "Interface",
  );
  if (conflict) {
    const name = servicePrivateDnsName(endpoint.region, endpoint.ServiceName.split(".").slice(3).join("."));
    throw new AwsError(
      "InvalidParameter",
      `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ${name} in the VPC ${endpoint.VpcId}`,
    );
  }
}

/** Gateway endpoints route the service's prefix list through themselves in every associated table. */
export function addEndpointRoutes(state: Ec2State, endpoint: VpcEndpointRecord, tableIds: string[]): void {
  const pl = prefixListId(endpoint.region, serviceOf(endpoint));
  for (const id of tableIds) {
    const table = state.routeTables[id];
    if (table.Routes.some((r) => r.DestinationPrefixListId === pl)) {
      throw new AwsError("RouteAlreadyExists", `route table ${id} already has a route with destination-prefix-list-id ${pl}`);
    }
  }
  for (const id of tableIds) {
    state.routeTables[id].Routes.push({ DestinationPrefixListId: pl, GatewayId: endpoint.VpcEndpointId, Origin: "CreateRoute" });
  }
}

export function removeEndpointRoutes(state: Ec2State, endpoint: VpcEndpointRecord, tableIds: string[]): void {
  for (const id of tableIds) {
    const table = state.routeTables[id];
    if (table) table.Routes = table.Routes.filter((r) => r.GatewayId !== endpoint.VpcEndpointId);
  }
}

/** One requester-managed network interface per subnet, with the subnet's next free address. */
export function addInterfaces(state: Ec2State, endpoint: VpcEndpointRecord, subnetIds: string[]): void {
  for (const id of subnetIds) {
    const ip = allocateAddress(state, state.subnets[id]);
    if (!ip) throw new AwsError("InsufficientFreeAddressesInSubnet", `There are not enough free addresses in subnet '${id}'.`);
    endpoint.Interfaces.push({ SubnetId: id, NetworkInterfaceId: newId("eni"), PrivateIpAddress: ip });
  }
}

/** The endpoint-specific DNS names AWS hands out (regional, then one per zone), plus the service's name with private DNS. */
export function dnsEntries(state: Ec2State, endpoint: VpcEndpointRecord) {
  if (endpoint.VpcEndpointType !== "Interface") return [];
  const suffix = createHash("sha256").update(endpoint.VpcEndpointId).digest("hex").slice(0, 8);
  const base = `${endpoint.VpcEndpointId}-${suffix}.${serviceOf(endpoint)}.${endpoint.region}.vpce.amazonaws.com`;
  const zone = "Z7HUB22UULQXV";
  const entries = [{ DnsName: base, HostedZoneId: zone }];
  for (const eni of endpoint.Interfaces) {
    const az = state.subnets[eni.SubnetId]?.AvailabilityZone;
    if (az) entries.push({ DnsName: base.replace(`-${suffix}.`, `-${suffix}-${az}.`), HostedZoneId: zone });
  }
  if (endpoint.PrivateDnsEnabled)
    entries.push({ DnsName: servicePrivateDnsName(endpoint.region, serviceOf(endpoint)), HostedZoneId: "ZONEIDPENDING" });
  return entries;
}
