/**
 * Private addresses in a subnet: instances, NAT gateways and interface endpoints all take one,
 * so a launch never reuses a NAT gateway's address and AvailableIpAddressCount counts them all.
 */
import { firstFreeAddress, parseCidr } from "./cidr.ts";
import type { Ec2State, SubnetRecord } from "./state.ts";

export function usedAddresses(state: Ec2State, subnetId: string): Set<string> {
  const used = new Set<string>();
  for (const i of Object.values(state.instances)) if (i.SubnetId === subnetId && i.State !== "terminated") used.add(i.PrivateIpAddress);
  for (const n of Object.values(state.natGateways))
    if (n.SubnetId === subnetId && n.State !== "deleted" && n.State !== "failed") used.add(n.PrivateIp);
  for (const e of Object.values(state.vpcEndpoints))
    for (const eni of e.Interfaces) if (eni.SubnetId === subnetId) used.add(eni.PrivateIpAddress);
  return used;
}

/** The lowest free address of the subnet, or null when it is full. */
export function allocateAddress(state: Ec2State, subnet: SubnetRecord): string | null {
  return firstFreeAddress(parseCidr(subnet.CidrBlock)!, usedAddresses(state, subnet.SubnetId));
}
