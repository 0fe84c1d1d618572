/**
 * Network interfaces, derived from what owns them rather than stored: each instance's primary
 * interface, NAT gateways', interface endpoints', and the requester-managed ones of ELBv2 load
 * balancers (one per subnet) and RDS DB instances (in their zone's subnet). ELBv2 and RDS
 * state is read through their state getters, read-only.
 */
import { createHash } from "node:crypto";
import type { CloudApi, RequestContext } from "../../core/types.ts";
import { elbState } from "../elbv2/state.ts";
import { key as rdsKey, rdsState } from "../rds/state.ts";
import { intToIp, parseCidr } from "./cidr.ts";
import { notFound, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { privateDnsName, publicDnsName } from "./instance-launch.ts";
import { instanceEniAttachmentId, instanceEniId, instanceMacAddress } from "./instance-view.ts";
import { pageOf } from "../../core/paging.ts";
import { ec2State, type Ec2State, type SubnetRecord } from "./state.ts";

export interface NetworkInterfaceView {
  NetworkInterfaceId: string;
  region: string;
  SubnetId: string;
  VpcId: string;
  AvailabilityZone: string;
  PrivateIpAddress: string;
  Description: string;
  InterfaceType: string;
  RequesterId?: string;
  RequesterManaged: boolean;
  GroupIds: string[];
  MacAddress: string;
  /** Who owns the interface, for DependencyViolation messages: "instance i-...", "load balancer app/web/...". */
  usedBy: string;
  attachment?: { AttachmentId: string; InstanceId?: string; AttachTime: number; DeviceIndex: number };
  association?: { PublicIp: string; IpOwnerId: string; AllocationId?: string; AssociationId?: string };
}

function hashed(prefix: string, seed: string, length = 17): string {
  return `${prefix}-${createHash("sha256").update(seed).digest("hex").slice(0, length)}`;
}

function mac(seed: string): string {
  return `0e:${createHash("sha256").update(`${seed}/mac`).digest("hex").slice(0, 10).match(/../g)!.join(":")}`;
}

/** Managed interfaces of other services take a stable address from the top of the subnet, away from EC2's lowest-first allocation. */
function managedAddress(state: Ec2State, subnetId: string, seed: string): string {
  const cidr = parseCidr(state.subnets[subnetId]?.CidrBlock);
  if (!cidr) return "0.0.0.0";
  const span = Math.max(1, Math.floor(cidr.size / 4));
  const offset = parseInt(createHash("sha256").update(seed).digest("hex").slice(0, 8), 16) % span;
  return intToIp(cidr.base + cidr.size - 2 - offset);
}

/** An interface another service manages in one of the account's subnets; its ids, address and MAC derive from `seed`. */
function managedInterface(
  state: Ec2State,
  subnet: SubnetRecord,
  seed: string,
  owner: Pick<NetworkInterfaceView, "region" | "Description" | "RequesterId" | "GroupIds" | "usedBy" | "attachment">,
): NetworkInterfaceView {
  return {
    NetworkInterfaceId: hashed("eni", seed),
    region: owner.region,
    SubnetId: subnet.SubnetId,
    VpcId: subnet.VpcId,
    AvailabilityZone: subnet.AvailabilityZone,
    PrivateIpAddress: managedAddress(state, subnet.SubnetId, seed),
    Description: owner.Description,
    InterfaceType: "interface",
    RequesterId: owner.RequesterId,
    RequesterManaged: true,
    GroupIds: owner.GroupIds,
    MacAddress: mac(seed),
    usedBy: owner.usedBy,
    attachment: owner.attachment,
  };
}

function otherServiceInterfaces(cloud: CloudApi, state: Ec2State, out: NetworkInterfaceView[]): void {
  let lbs: ReturnType<typeof elbState>["loadBalancers"] = {};
  let dbs: ReturnType<typeof rdsState> | undefined;
  try {
    lbs = elbState(cloud).loadBalancers;
    dbs = rdsState(cloud);
  } catch {
    // A cloud started with a subset of services (core tests) has no such state.
  }
  for (const lb of Object.values(lbs)) {
    const suffix = lb.arn.split(":loadbalancer/")[1] ?? lb.name;
    for (const zone of lb.availabilityZones) {
      const subnet = state.subnets[zone.SubnetId];
      if (!subnet) continue;
      const seed = `${lb.arn}/${zone.SubnetId}`;
      out.push(
        managedInterface(state, subnet, seed, {
          region: lb.region,
          Description: `ELB ${suffix}`,
          RequesterId: "amazon-elb",
          GroupIds: lb.securityGroups,
          usedBy: `load balancer ${lb.name}`,
          attachment: { AttachmentId: hashed("ela-attach", seed), AttachTime: lb.createdAt, DeviceIndex: 1 },
        }),
      );
    }
  }
  for (const db of Object.values(dbs?.instances ?? {})) {
    const group = db.subnetGroupName ? dbs!.subnetGroups[rdsKey(db.region, db.subnetGroupName)] : undefined;
    const member = group?.subnets.find((s) => s.availabilityZone === db.availabilityZone) ?? group?.subnets[0];
    const subnet = member ? state.subnets[member.id] : undefined;
    if (!subnet) continue;
    const seed = `${db.arn}/eni`;
    out.push(
      managedInterface(state, subnet, seed, {
        region: db.region,
        Description: "RDSNetworkInterface",
        RequesterId: "amazon-rds",
        GroupIds: db.vpcSecurityGroupIds,
        usedBy: `DB instance ${db.id}`,
        attachment: { AttachmentId: hashed("eni-attach", seed), AttachTime: db.createdAt, DeviceIndex: 1 },
      }),
    );
  }
}

/** Every network interface in the cloud (all regions). */
export function networkInterfaces(cloud: CloudApi): NetworkInterfaceView[] {
  const state = ec2State(cloud);
  const out: NetworkInterfaceView[] = [];
  for (const i of Object.values(state.instances)) {
    if (i.State === "terminated") continue;
    const elastic = Object.values(state.addresses).find((a) => a.InstanceId === i.InstanceId);
    const publicIp = elastic?.PublicIp ?? (i.State === "running" || i.State === "pending" ? i.PublicIpAddress : undefined);
    out.push({
      NetworkInterfaceId: instanceEniId(i),
      region: i.region,
      SubnetId: i.SubnetId,
      VpcId: i.VpcId,
      AvailabilityZone: i.AvailabilityZone,
      PrivateIpAddress: i.PrivateIpAddress,
      Description: "",
      InterfaceType: "interface",
      RequesterManaged: false,
      GroupIds: i.SecurityGroupIds,
      MacAddress: instanceMacAddress(i),
      usedBy: `instance ${i.InstanceId}`,
      attachment: { AttachmentId: instanceEniAttachmentId(i), InstanceId: i.InstanceId, AttachTime: i.LaunchTime, DeviceIndex: 0 },
      association: publicIp
        ? {
            PublicIp: publicIp,
            IpOwnerId: elastic ? "self" : "amazon",
            AllocationId: elastic?.AllocationId,
            AssociationId: elastic?.AssociationId,
          }
        : undefined,
    });
  }
  for (const n of Object.values(state.natGateways)) {
    if (n.State === "deleted" || n.State === "failed") continue;
    const subnet = state.subnets[n.SubnetId];
    const address = n.AllocationId ? state.addresses[n.AllocationId] : undefined;
    out.push({
      NetworkInterfaceId: n.NetworkInterfaceId,
      region: n.region,
      SubnetId: n.SubnetId,
      VpcId: n.VpcId,
      AvailabilityZone: subnet?.AvailabilityZone ?? "",
      PrivateIpAddress: n.PrivateIp,
      Description: `Interface for NAT Gateway ${n.NatGatewayId}`,
      InterfaceType: "nat_gateway",
      RequesterId: "amazon",
      RequesterManaged: true,
      GroupIds: [],
      MacAddress: mac(n.NatGatewayId),
      usedBy: `NAT gateway ${n.NatGatewayId}`,
      association: n.PublicIp
        ? { PublicIp: n.PublicIp, IpOwnerId: "self", AllocationId: n.AllocationId, AssociationId: address?.AssociationId }
        : undefined,
    });
  }
  for (const e of Object.values(state.vpcEndpoints)) {
    for (const eni of e.Interfaces) {
      const subnet = state.subnets[eni.SubnetId];
      out.push({
        NetworkInterfaceId: eni.NetworkInterfaceId,
        region: e.region,
        SubnetId: eni.SubnetId,
        VpcId: e.VpcId,
        AvailabilityZone: subnet?.AvailabilityZone ?? "",
        PrivateIpAddress: eni.PrivateIpAddress,
        Description: `VPC Endpoint Interface ${e.VpcEndpointId}`,
        InterfaceType: "vpc_endpoint",
        RequesterId: "amazon",
        RequesterManaged: true,
        GroupIds: e.SecurityGroupIds,
        MacAddress: mac(eni.NetworkInterfaceId),
        usedBy: `VPC endpoint ${e.VpcEndpointId}`,
      });
    }
  }
  otherServiceInterfaces(cloud, state, out);
  return out;
}

function interfaceOut(state: Ec2State, eni: NetworkInterfaceView, ownerId: string) {
  const dns = privateDnsName(eni.region, eni.PrivateIpAddress);
  return {
    NetworkInterfaceId: eni.NetworkInterfaceId,
    SubnetId: eni.SubnetId,
    VpcId: eni.VpcId,
    AvailabilityZone: eni.AvailabilityZone,
    Description: eni.Description,
    InterfaceType: eni.InterfaceType,
    RequesterId: eni.RequesterId,
    RequesterManaged: eni.RequesterManaged,
    OwnerId: ownerId,
    Status: "in-use",
    MacAddress: eni.MacAddress,
    PrivateIpAddress: eni.PrivateIpAddress,
    PrivateDnsName: dns,
    PrivateIpAddresses: [
      { Primary: true, PrivateIpAddress: eni.PrivateIpAddress, PrivateDnsName: dns, Association: associationOut(eni, ownerId) },
    ],
    Groups: eni.GroupIds.map((id) => ({ GroupId: id, GroupName: state.securityGroups[id]?.GroupName ?? "" })),
    SourceDestCheck: eni.InterfaceType !== "nat_gateway",
    Ipv6Addresses: [],
    Attachment: eni.attachment
      ? {
          AttachmentId: eni.attachment.AttachmentId,
          InstanceId: eni.attachment.InstanceId,
          InstanceOwnerId: eni.attachment.InstanceId ? ownerId : eni.RequesterId,
          AttachTime: new Date(eni.attachment.AttachTime),
          DeleteOnTermination: true,
          DeviceIndex: eni.attachment.DeviceIndex,
          NetworkCardIndex: 0,
          Status: "attached",
        }
      : undefined,
    Association: associationOut(eni, ownerId),
    TagSet: [],
  };
}

function associationOut(eni: NetworkInterfaceView, ownerId: string) {
  if (!eni.association) return undefined;
  const { PublicIp, IpOwnerId, AllocationId, AssociationId } = eni.association;
  return {
    PublicIp,
    PublicDnsName: publicDnsName(eni.region, PublicIp),
    IpOwnerId: IpOwnerId === "self" ? ownerId : IpOwnerId,
    AllocationId,
    AssociationId,
  };
}

export function describeNetworkInterfaces(
  input: { NetworkInterfaceIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let enis = networkInterfaces(ctx.cloud).filter((e) => e.region === ctx.region);
  const missing = (input.NetworkInterfaceIds ?? []).filter((id) => !enis.some((e) => e.NetworkInterfaceId === id));
  if (missing.length) throw notFound("InvalidNetworkInterfaceID.NotFound", "networkInterface", missing);
  if (input.NetworkInterfaceIds?.length) enis = enis.filter((e) => input.NetworkInterfaceIds!.includes(e.NetworkInterfaceId));
  enis = applyFilters(enis, input.Filters, {
    "network-interface-id": (e) => e.NetworkInterfaceId,
    "subnet-id": (e) => e.SubnetId,
    "vpc-id": (e) => e.VpcId,
    "availability-zone": (e) => e.AvailabilityZone,
    "group-id": (e) => e.GroupIds,
    "group-name": (e) => e.GroupIds.map((id) => state.securityGroups[id]?.GroupName),
    description: (e) => e.Description,
    "interface-type": (e) => e.InterfaceType,
    "requester-id": (e) => e.RequesterId,
    "requester-managed": (e) => String(e.RequesterManaged),
    status: () => "in-use",
    "owner-id": () => ctx.accountId,
    "mac-address": (e) => e.MacAddress,
    "private-ip-address": (e) => e.PrivateIpAddress,
    "addresses.private-ip-address": (e) => e.PrivateIpAddress,
    "addresses.primary": () => "true",
    "attachment.attachment-id": (e) => e.attachment?.AttachmentId,
    "attachment.instance-id": (e) => e.attachment?.InstanceId,
    "attachment.status": (e) => (e.attachment ? "attached" : undefined),
    "attachment.device-index": (e) => e.attachment?.DeviceIndex,
    "association.public-ip": (e) => e.association?.PublicIp,
    "association.allocation-id": (e) => e.association?.AllocationId,
    "association.association-id": (e) => e.association?.AssociationId,
  });
  const { items: page, next: NextToken } = pageOf(enis, input.NextToken, input.MaxResults, ec2Pages("DescribeNetworkInterfaces"));
  return { NetworkInterfaces: page.map((e) => interfaceOut(state, e, ctx.accountId)), NextToken };
}
