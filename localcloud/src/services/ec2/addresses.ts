/**
 * Elastic IPs (domain vpc): allocated per region up to the quota, associated with an
 * instance (or its primary network interface) or used by a public NAT gateway. While
 * associated with an instance, the EIP is the instance's public IP; after disassociation
 * the instance gets a new auto-assigned address only if it launched with one, as in AWS.
 */
import { randomInt } from "node:crypto";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { notFound, required } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { randomPublicIp } from "./instance-launch.ts";
import { instanceEniId } from "./instance-view.ts";
import { findAll, findInstance, regionRecords } from "./lookups.ts";
import { enforceQuota, QUOTAS } from "./quotas.ts";
import { ec2State, newId, type AddressRecord, type Ec2State, type InstanceRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";

function addressOut(address: AddressRecord, ownerId: string) {
  return {
    AllocationId: address.AllocationId,
    PublicIp: address.PublicIp,
    Domain: "vpc",
    AssociationId: address.AssociationId,
    InstanceId: address.InstanceId,
    NetworkInterfaceId: address.NetworkInterfaceId,
    NetworkInterfaceOwnerId: address.NetworkInterfaceId ? ownerId : undefined,
    PrivateIpAddress: address.PrivateIpAddress,
    PublicIpv4Pool: "amazon",
    NetworkBorderGroup: address.region,
    Tags: tagsOut(address.Tags),
  };
}

function uniquePublicIp(state: Ec2State): string {
  const taken = new Set(Object.values(state.addresses).map((a) => a.PublicIp));
  for (;;) {
    // Elastic IPs come from other Amazon blocks than auto-assigned addresses, so the two never collide.
    const ip = `54.${160 + randomInt(32)}.${randomInt(256)}.${1 + randomInt(254)}`;
    if (!taken.has(ip)) return ip;
  }
}

export function findAddress(ctx: RequestContext, allocationId: string): AddressRecord {
  const address = ec2State(ctx.cloud).addresses[allocationId];
  if (!address || address.region !== ctx.region) throw notFound("InvalidAllocationID.NotFound", "allocation", [allocationId]);
  return address;
}

function byPublicIp(ctx: RequestContext, ip: string): AddressRecord {
  const address = regionRecords(ec2State(ctx.cloud).addresses, ctx.region).find((a) => a.PublicIp === ip);
  if (!address) throw new AwsError("InvalidAddress.NotFound", `Address '${ip}' not found.`);
  return address;
}

/** The NAT gateway (not deleted) that uses an allocation, if any. */
export function natUsing(state: Ec2State, allocationId: string) {
  return Object.values(state.natGateways).find((n) => n.AllocationId === allocationId && n.State !== "deleted" && n.State !== "failed");
}

export function allocateAddress(
  input: {
    Domain?: string;
    Address?: string;
    PublicIpv4Pool?: string;
    NetworkBorderGroup?: string;
    TagSpecifications?: TagSpecification[];
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  if (input.Domain !== undefined && input.Domain !== "vpc") {
    // EC2-Classic is retired: every Elastic IP is a VPC address now.
    throw new AwsError("InvalidParameterValue", `Invalid value '${input.Domain}' for domain.`);
  }
  if (input.Address || (input.PublicIpv4Pool && input.PublicIpv4Pool !== "amazon")) {
    throw new AwsError("InvalidParameterValue", "Bring-your-own-IP address pools are not available in this account.");
  }
  if (input.NetworkBorderGroup && input.NetworkBorderGroup !== ctx.region) {
    throw new AwsError("InvalidParameterValue", `Invalid value '${input.NetworkBorderGroup}' for networkBorderGroup.`);
  }
  const tags = tagsFromSpecifications(input.TagSpecifications, "elastic-ip");
  enforceQuota(
    ctx,
    QUOTAS.elasticIps,
    regionRecords(state.addresses, ctx.region).length,
    "AddressLimitExceeded",
    "The maximum number of addresses has been reached.",
  );
  const address: AddressRecord = { AllocationId: newId("eipalloc"), PublicIp: uniquePublicIp(state), region: ctx.region, Tags: tags };
  state.addresses[address.AllocationId] = address;
  ctx.cloud.markDirty();
  return {
    PublicIp: address.PublicIp,
    AllocationId: address.AllocationId,
    PublicIpv4Pool: "amazon",
    NetworkBorderGroup: ctx.region,
    Domain: "vpc",
  };
}

export function releaseAddress(input: { AllocationId?: string; PublicIp?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  if (!input.AllocationId && input.PublicIp) {
    throw new AwsError("InvalidParameterValue", "You must specify an allocation id when releasing a VPC elastic IP address");
  }
  const address = findAddress(ctx, required(input.AllocationId, "AllocationId"));
  if (address.AssociationId || natUsing(state, address.AllocationId)) {
    throw new AwsError("InvalidIPAddress.InUse", `Address ${address.PublicIp} is in use.`);
  }
  delete state.addresses[address.AllocationId];
  ctx.cloud.markDirty();
  return {};
}

/** Drops an instance's Elastic IP association (disassociation, termination) and gives back an auto-assigned address if it had one. */
export function unmapInstanceAddress(state: Ec2State, address: AddressRecord): void {
  const instance = address.InstanceId ? state.instances[address.InstanceId] : undefined;
  delete address.AssociationId;
  delete address.InstanceId;
  delete address.NetworkInterfaceId;
  delete address.PrivateIpAddress;
  if (instance) instance.PublicIpAddress = instance.AutoPublicIp && instance.State !== "terminated" ? randomPublicIp() : undefined;
}

function instanceForInterface(ctx: RequestContext, eniId: string): InstanceRecord {
  const instance = regionRecords(ec2State(ctx.cloud).instances, ctx.region).find(
    (i) => i.State !== "terminated" && instanceEniId(i) === eniId,
  );
  if (!instance) throw notFound("InvalidNetworkInterfaceID.NotFound", "network interface", [eniId]);
  return instance;
}

export function associateAddress(
  input: {
    AllocationId?: string;
    PublicIp?: string;
    InstanceId?: string;
    NetworkInterfaceId?: string;
    PrivateIpAddress?: string;
    AllowReassociation?: boolean;
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  const address = input.AllocationId ? findAddress(ctx, input.AllocationId) : byPublicIp(ctx, required(input.PublicIp, "AllocationId"));
  if (!input.InstanceId && !input.NetworkInterfaceId)
    throw new AwsError("MissingParameter", "Either instance ID or network interface ID must be specified.");
  const instance = input.InstanceId
    ? findInstance(ctx.cloud, ctx.region, input.InstanceId)
    : instanceForInterface(ctx, input.NetworkInterfaceId!);
  if (input.InstanceId && input.NetworkInterfaceId && instanceEniId(instance) !== input.NetworkInterfaceId) {
    throw new AwsError(
      "InvalidParameterCombination",
      `Network interface ${input.NetworkInterfaceId} is not attached to instance ${instance.InstanceId}.`,
    );
  }
  if (instance.State === "pending")
    throw new AwsError("InvalidInstanceID", `The pending instance '${instance.InstanceId}' is not in a valid state for this operation.`);
  if (instance.State === "terminated" || instance.State === "shutting-down") {
    throw new AwsError("IncorrectInstanceState", `The instance '${instance.InstanceId}' is not in a valid state for this operation.`);
  }
  if (input.PrivateIpAddress && input.PrivateIpAddress !== instance.PrivateIpAddress) {
    throw new AwsError(
      "InvalidParameterValue",
      `The private IP address ${input.PrivateIpAddress} is not assigned to ${instanceEniId(instance)}.`,
    );
  }
  if (!Object.values(state.internetGateways).some((g) => g.VpcId === instance.VpcId)) {
    throw new AwsError("Gateway.NotAttached", `Network ${instance.VpcId} is not attached to any internet gateway.`);
  }
  const nat = natUsing(state, address.AllocationId);
  if (nat)
    throw new AwsError("Resource.AlreadyAssociated", `resource ${address.AllocationId} is already associated with ${nat.NatGatewayId}`);
  if (address.AssociationId && address.InstanceId !== instance.InstanceId && !input.AllowReassociation) {
    throw new AwsError(
      "Resource.AlreadyAssociated",
      `resource ${address.AllocationId} is already associated with associate-id ${address.AssociationId}`,
    );
  }
  if (address.AssociationId) unmapInstanceAddress(state, address);
  // An instance's interface holds one public address: an Elastic IP already on it is replaced.
  for (const other of Object.values(state.addresses)) if (other.InstanceId === instance.InstanceId) unmapInstanceAddress(state, other);
  address.AssociationId = newId("eipassoc");
  address.InstanceId = instance.InstanceId;
  address.NetworkInterfaceId = instanceEniId(instance);
  address.PrivateIpAddress = instance.PrivateIpAddress;
  instance.PublicIpAddress = address.PublicIp;
  ctx.cloud.markDirty();
  return { AssociationId: address.AssociationId };
}

export function disassociateAddress(input: { AssociationId?: string; PublicIp?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const address = input.AssociationId
    ? regionRecords(state.addresses, ctx.region).find((a) => a.AssociationId === input.AssociationId)
    : byPublicIp(ctx, required(input.PublicIp, "AssociationId"));
  if (!address?.AssociationId)
    throw notFound("InvalidAssociationID.NotFound", "association", [input.AssociationId ?? input.PublicIp ?? ""]);
  const nat = natUsing(state, address.AllocationId);
  if (nat)
    throw new AwsError(
      "OperationNotPermitted",
      `The Elastic IP ${address.PublicIp} is used by NAT gateway ${nat.NatGatewayId}: delete the NAT gateway to release it.`,
    );
  unmapInstanceAddress(state, address);
  ctx.cloud.markDirty();
  return {};
}

export function describeAddresses(input: { AllocationIds?: string[]; PublicIps?: string[]; Filters?: Filter[] }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  let addresses = input.AllocationIds?.length
    ? findAll(state.addresses, ctx.region, input.AllocationIds, "InvalidAllocationID.NotFound", "allocation")
    : regionRecords(state.addresses, ctx.region);
  if (input.PublicIps?.length) addresses = input.PublicIps.map((ip) => byPublicIp(ctx, ip)).filter((a) => addresses.includes(a));
  addresses = applyFilters(addresses, input.Filters, {
    "allocation-id": (a) => a.AllocationId,
    "association-id": (a) => a.AssociationId,
    domain: () => "vpc",
    "instance-id": (a) => a.InstanceId,
    "network-border-group": (a) => a.region,
    "network-interface-id": (a) => a.NetworkInterfaceId,
    "network-interface-owner-id": (a) => (a.NetworkInterfaceId ? ctx.accountId : undefined),
    "private-ip-address": (a) => a.PrivateIpAddress,
    "public-ip": (a) => a.PublicIp,
  });
  return { Addresses: addresses.map((a) => addressOut(a, ctx.accountId)) };
}
