/**
 * NAT gateways: public (with an Elastic IP, needs the VPC's internet gateway) or private.
 * pending -> available after NAT_PENDING_MS simulated, or -> failed with AWS's FailureCode
 * (no internet gateway attached by then, EIP already in use); deleting -> deleted after
 * NAT_DELETING_MS; deleted and failed ones stay visible for an hour, as in AWS.
 */
import { AwsError, type CloudApi, type RequestContext } from "../../core/types.ts";
import { findAddress } from "./addresses.ts";
import { cidrContains, ipToInt, parseCidr } from "./cidr.ts";
import { required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { allocateAddress, usedAddresses } from "./ip-allocation.ts";
import { findSubnet, regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { enforceQuota, QUOTAS } from "./quotas.ts";
import { ec2State, newId, type Ec2State, type NatGatewayRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";

export const NAT_PENDING_MS = 90_000;
export const NAT_DELETING_MS = 60_000;
const GONE_VISIBLE_MS = 3_600_000;

export function natOut(nat: NatGatewayRecord) {
  return {
    NatGatewayId: nat.NatGatewayId,
    SubnetId: nat.SubnetId,
    VpcId: nat.VpcId,
    State: nat.State,
    ConnectivityType: nat.ConnectivityType,
    CreateTime: new Date(nat.CreateTime),
    DeleteTime: nat.DeleteTime === undefined ? undefined : new Date(nat.DeleteTime),
    FailureCode: nat.FailureCode,
    FailureMessage: nat.FailureMessage,
    NatGatewayAddresses: [
      { AllocationId: nat.AllocationId, NetworkInterfaceId: nat.NetworkInterfaceId, PrivateIp: nat.PrivateIp, PublicIp: nat.PublicIp },
    ],
    Tags: tagsOut(nat.Tags),
  };
}

/** NAT gateways that count against the per-AZ quota (AWS counts pending, available and deleting ones). */
function countInZone(state: Ec2State, region: string, zone: string): number {
  return regionRecords(state.natGateways, region).filter(
    (n) => ["pending", "available", "deleting"].includes(n.State) && state.subnets[n.SubnetId]?.AvailabilityZone === zone,
  ).length;
}

function privateIpFor(state: Ec2State, subnetId: string, wanted: string | undefined): string {
  const subnet = state.subnets[subnetId];
  if (wanted) {
    const ip = ipToInt(wanted);
    if (ip === null || !cidrContains(parseCidr(subnet.CidrBlock)!, { base: ip, prefix: 32, size: 1 })) {
      throw new AwsError("InvalidParameterValue", `Address ${wanted} does not fall within the subnet's address range`);
    }
    if (usedAddresses(state, subnetId).has(wanted)) throw new AwsError("InvalidIPAddress.InUse", `Address ${wanted} is in use.`);
    return wanted;
  }
  const ip = allocateAddress(state, subnet);
  if (!ip)
    throw new AwsError(
      "InsufficientFreeAddressesInSubnet",
      `There are not enough free addresses in subnet '${subnetId}' to satisfy the requested number of instances.`,
    );
  return ip;
}

function rememberToken(state: Ec2State, key: string | undefined, id: string, at: number, subnetId: string) {
  if (key) state.clientTokens[key] = { kind: `CreateNatGateway/${subnetId}`, ids: [id], at };
}

export function createNatGateway(
  input: {
    SubnetId?: string;
    AllocationId?: string;
    ConnectivityType?: string;
    PrivateIpAddress?: string;
    ClientToken?: string;
    TagSpecifications?: TagSpecification[];
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  const subnetId = required(input.SubnetId, "SubnetId");
  const tokenKey = input.ClientToken ? `${ctx.region}/CreateNatGateway/${input.ClientToken}` : undefined;
  const earlier = tokenKey ? state.clientTokens[tokenKey] : undefined;
  if (earlier) {
    // A retry with the same token returns the first result; the same token for another request is an error.
    if (earlier.kind !== `CreateNatGateway/${subnetId}`) {
      throw new AwsError(
        "IdempotentParameterMismatch",
        "The client token you have provided is associated with a resource that has different parameters.",
      );
    }
    const nat = state.natGateways[earlier.ids[0]];
    if (nat) return { ClientToken: input.ClientToken, NatGateway: natOut(nat) };
  }
  const subnet = findSubnet(ctx.cloud, ctx.region, subnetId);
  const connectivity = input.ConnectivityType ?? "public";
  if (connectivity !== "public" && connectivity !== "private") {
    throw new AwsError("InvalidParameterValue", `Value (${connectivity}) for parameter connectivityType is invalid.`);
  }
  const address = connectivity === "public" ? findAddress(ctx, required(input.AllocationId, "AllocationId")) : undefined;
  if (connectivity === "private" && input.AllocationId) {
    throw new AwsError("InvalidParameterCombination", "An Elastic IP address cannot be specified for a private NAT gateway.");
  }
  const tags = tagsFromSpecifications(input.TagSpecifications, "natgateway");
  enforceQuota(
    ctx,
    QUOTAS.natGatewaysPerAz,
    countInZone(state, ctx.region, subnet.AvailabilityZone),
    "NatGatewayLimitExceeded",
    "The maximum number of NAT Gateways has been reached.",
  );
  const now = ctx.cloud.now();
  const nat: NatGatewayRecord = {
    NatGatewayId: newId("nat"),
    region: ctx.region,
    SubnetId: subnet.SubnetId,
    VpcId: subnet.VpcId,
    ConnectivityType: connectivity,
    AllocationId: address?.AllocationId,
    PublicIp: address?.PublicIp,
    PrivateIp: privateIpFor(state, subnet.SubnetId, input.PrivateIpAddress),
    NetworkInterfaceId: newId("eni"),
    State: "pending",
    CreateTime: now,
    dueAt: now + NAT_PENDING_MS,
    Tags: tags,
  };
  if (
    address &&
    (address.AssociationId ||
      Object.values(state.natGateways).some(
        (n) => n.AllocationId === address.AllocationId && n.State !== "deleted" && n.State !== "failed",
      ))
  ) {
    // AWS accepts the call and fails the gateway while provisioning.
    nat.FailureCode = "Resource.AlreadyAssociated";
    nat.FailureMessage = `Elastic IP address [${address.AllocationId}] is already associated`;
  }
  state.natGateways[nat.NatGatewayId] = nat;
  if (address && !nat.FailureCode) {
    address.AssociationId = newId("eipassoc");
    address.NetworkInterfaceId = nat.NetworkInterfaceId;
    address.PrivateIpAddress = nat.PrivateIp;
  }
  rememberToken(state, tokenKey, nat.NatGatewayId, now, subnet.SubnetId);
  ctx.cloud.markDirty();
  return { ClientToken: input.ClientToken, NatGateway: natOut(nat) };
}

function notFoundNat(id: string): AwsError {
  return new AwsError("NatGatewayNotFound", `NAT gateway ${id} was not found`);
}

export function describeNatGateways(
  input: { NatGatewayIds?: string[]; Filter?: Filter[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let gateways = regionRecords(state.natGateways, ctx.region);
  for (const id of input.NatGatewayIds ?? []) if (!gateways.some((g) => g.NatGatewayId === id)) throw notFoundNat(id);
  if (input.NatGatewayIds?.length) gateways = gateways.filter((g) => input.NatGatewayIds!.includes(g.NatGatewayId));
  // The model names this operation's filter list `Filter` (Filter.N on the wire), unlike most.
  gateways = applyFilters(gateways, input.Filter ?? input.Filters, {
    "nat-gateway-id": (g) => g.NatGatewayId,
    state: (g) => g.State,
    "subnet-id": (g) => g.SubnetId,
    "vpc-id": (g) => g.VpcId,
  });
  const { items: page, next: NextToken } = pageOf(gateways, input.NextToken, input.MaxResults, ec2Pages("DescribeNatGateways"));
  return { NatGateways: page.map(natOut), NextToken };
}

export function deleteNatGateway(input: { NatGatewayId?: string }, ctx: RequestContext) {
  const id = required(input.NatGatewayId, "NatGatewayId");
  const nat = ec2State(ctx.cloud).natGateways[id];
  if (!nat || nat.region !== ctx.region) throw notFoundNat(id);
  if (nat.State === "pending" || nat.State === "available") {
    nat.State = "deleting";
    nat.dueAt = ctx.cloud.now() + NAT_DELETING_MS;
    ctx.cloud.markDirty();
  }
  return { NatGatewayId: nat.NatGatewayId };
}

function releaseAddress(state: Ec2State, nat: NatGatewayRecord): void {
  const address = nat.AllocationId ? state.addresses[nat.AllocationId] : undefined;
  if (address && address.NetworkInterfaceId === nat.NetworkInterfaceId) {
    delete address.AssociationId;
    delete address.NetworkInterfaceId;
    delete address.PrivateIpAddress;
  }
}

/** Provisioning outcome, decided when pending ends (so attaching the gateway meanwhile is fine, as on AWS). */
function finishPending(state: Ec2State, nat: NatGatewayRecord, at: number): void {
  const hasGateway = Object.values(state.internetGateways).some((g) => g.VpcId === nat.VpcId);
  if (!nat.FailureCode && nat.ConnectivityType === "public" && !hasGateway) {
    nat.FailureCode = "Gateway.NotAttached";
    nat.FailureMessage = `Network ${nat.VpcId} has no Internet gateway attached`;
  }
  if (nat.FailureCode) {
    releaseAddress(state, nat);
    nat.State = "failed";
    nat.dueAt = at + GONE_VISIBLE_MS;
  } else {
    nat.State = "available";
    nat.dueAt = undefined;
  }
}

export function tickNatGateways(cloud: CloudApi, now: number): void {
  const state = ec2State(cloud);
  let changed = false;
  for (const nat of Object.values(state.natGateways)) {
    // Several transitions may be due at once when the clock jumps.
    while (nat.dueAt !== undefined && nat.dueAt <= now && state.natGateways[nat.NatGatewayId]) {
      const at = nat.dueAt;
      changed = true;
      if (nat.State === "pending") finishPending(state, nat, at);
      else if (nat.State === "deleting") {
        releaseAddress(state, nat);
        nat.State = "deleted";
        nat.DeleteTime = at;
        nat.dueAt = at + GONE_VISIBLE_MS;
      } else delete state.natGateways[nat.NatGatewayId];
    }
  }
  if (changed) cloud.markDirty();
}
