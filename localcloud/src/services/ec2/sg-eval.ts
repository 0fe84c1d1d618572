/**
 * Evaluating security group rules against one flow (protocol tcp, a port, a peer), for the
 * reachability checks: does any of these groups let this traffic out (or in)?
 */
import { cidrContains, ipToInt, parseCidr } from "./cidr.ts";
import type { Ec2State, SecurityGroupRuleRecord } from "./state.ts";

/** The far end of a flow as rules can name it. */
export interface Peer {
  /** An address the flow goes to / comes from (an endpoint ENI, an instance). */
  ip?: string;
  /** "Anywhere": only a rule for 0.0.0.0/0 covers an arbitrary internet host. */
  anywhere?: boolean;
  /** The managed prefix list the destination belongs to (S3, DynamoDB). */
  prefixListId?: string;
  /** Security groups of the peer (a rule may reference one of them). */
  groupIds?: string[];
}

function coversPort(rule: SecurityGroupRuleRecord, port: number): boolean {
  if (rule.IpProtocol === "-1") return true;
  if (rule.IpProtocol !== "tcp") return false;
  return (rule.FromPort ?? 0) <= port && port <= (rule.ToPort ?? 65535);
}

function coversPeer(rule: SecurityGroupRuleRecord, peer: Peer): boolean {
  if (rule.CidrIpv4) {
    const cidr = parseCidr(rule.CidrIpv4);
    if (!cidr) return false;
    if (cidr.prefix === 0) return true;
    if (peer.anywhere) return false;
    if (peer.ip !== undefined) {
      const ip = ipToInt(peer.ip);
      return ip !== null && cidrContains(cidr, { base: ip, prefix: 32, size: 1 });
    }
    return false;
  }
  if (rule.PrefixListId) return rule.PrefixListId === peer.prefixListId;
  if (rule.ReferencedGroupId) return (peer.groupIds ?? []).includes(rule.ReferencedGroupId);
  return false;
}

/** The first rule of `groupIds` in direction `egress` allowing tcp/`port` to/from `peer`, if any. */
export function allowingRule(
  state: Ec2State,
  groupIds: string[],
  egress: boolean,
  port: number,
  peer: Peer,
): SecurityGroupRuleRecord | undefined {
  for (const id of groupIds) {
    const group = state.securityGroups[id];
    const rule = group?.Rules.find((r) => r.IsEgress === egress && coversPort(r, port) && coversPeer(r, peer));
    if (rule) return rule;
  }
  return undefined;
}
