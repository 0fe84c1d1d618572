/**
 * What keeps a subnet or a security group from being deleted: any network interface in it or
 * using it (instances, NAT gateways, interface endpoints, load balancers, DB instances), and
 * for groups also other groups' rules that reference them. AWS answers DependencyViolation.
 */
import type { CloudApi } from "../../core/types.ts";
import { networkInterfaces } from "./network-interfaces.ts";
import type { Ec2State, SecurityGroupRecord, SubnetRecord } from "./state.ts";

/** The first user of the subnet ("instance i-...", "NAT gateway nat-..."), if any. */
export function subnetUser(cloud: CloudApi, subnet: SubnetRecord): string | undefined {
  return networkInterfaces(cloud).find((eni) => eni.SubnetId === subnet.SubnetId)?.usedBy;
}

/** The first user of the group: an interface carrying it, or another group's rule naming it. */
export function groupUser(cloud: CloudApi, state: Ec2State, group: SecurityGroupRecord): string | undefined {
  const referencing = Object.values(state.securityGroups).find(
    (other) => other.GroupId !== group.GroupId && other.Rules.some((r) => r.ReferencedGroupId === group.GroupId),
  );
  if (referencing) return `security group ${referencing.GroupId}`;
  return networkInterfaces(cloud).find((eni) => eni.GroupIds.includes(group.GroupId))?.usedBy;
}
