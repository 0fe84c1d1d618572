/**
 * Security group rules. The API takes and shows IpPermissions (one protocol/port range with
 * many sources); AWS stores one rule per source (each with a sgr- id), so we store that and
 * regroup on describe.
 */
import { AwsError } from "../../core/types.ts";
import { parseCidr } from "./cidr.ts";
import { invalidParameterValue } from "./errors.ts";
import { findPrefixList } from "./prefix-lists.ts";
import { tagsOut } from "./tagging.ts";
import { newId, type Ec2State, type SecurityGroupRecord, type SecurityGroupRuleRecord } from "./state.ts";

export interface IpPermission {
  IpProtocol?: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Array<{ CidrIp?: string; Description?: string }>;
  Ipv6Ranges?: Array<{ CidrIpv6?: string; Description?: string }>;
  PrefixListIds?: Array<{ PrefixListId?: string; Description?: string }>;
  UserIdGroupPairs?: Array<{ GroupId?: string; GroupName?: string; Description?: string }>;
}

export interface RuleChangeInput {
  IpPermissions?: IpPermission[];
  CidrIp?: string;
  FromPort?: number;
  ToPort?: number;
  IpProtocol?: string;
  SourceSecurityGroupName?: string;
}

const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", all: "-1" };

function normaliseProtocol(protocol: string | undefined): string {
  const lowered = (protocol ?? "").toLowerCase();
  const name = PROTOCOL_NUMBERS[lowered] ?? lowered;
  if (!["tcp", "udp", "icmp", "-1"].includes(name)) {
    throw invalidParameterValue(`Invalid value '${protocol}' for IP protocol. Unknown protocol.`);
  }
  return name;
}

/** An IPv6 CIDR such as ::/0 or 2001:db8::/32, lower-cased as AWS stores it. */
function parseIpv6Cidr(text: string | undefined): string | null {
  const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text ?? "");
  if (!match || Number(match[2]) > 128 || !match[1].includes(":") || (match[1].match(/::/g) ?? []).length > 1) return null;
  const groups = match[1].split(":").filter((g) => g !== "");
  if (groups.some((g) => g.length > 4) || groups.length > 8) return null;
  return `${match[1].toLowerCase()}/${match[2]}`;
}

function portRange(protocol: string, from?: number, to?: number): { FromPort?: number; ToPort?: number } {
  if (protocol === "-1") return {};
  if (protocol === "icmp") return { FromPort: from ?? -1, ToPort: to ?? -1 };
  if (from === undefined || to === undefined) {
    throw invalidParameterValue("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange");
  }
  if (from < 0 || to > 65535 || from > to) {
    throw invalidParameterValue(`Invalid value '${from}-${to}' for portRange. Ports must be 0-65535 with fromPort <= toPort.`);
  }
  return { FromPort: from, ToPort: to };
}

/** Turns a request's permissions (or its legacy flat fields) into one rule per source. */
export function rulesFromInput(
  state: Ec2State,
  group: SecurityGroupRecord,
  input: RuleChangeInput,
  isEgress: boolean,
): Omit<SecurityGroupRuleRecord, "SecurityGroupRuleId">[] {
  const permissions: IpPermission[] = input.IpPermissions?.length
    ? input.IpPermissions
    : [
        {
          IpProtocol: input.IpProtocol ?? (input.SourceSecurityGroupName ? "-1" : undefined),
          FromPort: input.FromPort,
          ToPort: input.ToPort,
          IpRanges: input.CidrIp ? [{ CidrIp: input.CidrIp }] : [],
          UserIdGroupPairs: input.SourceSecurityGroupName ? [{ GroupName: input.SourceSecurityGroupName }] : [],
        },
      ];
  const rules: Omit<SecurityGroupRuleRecord, "SecurityGroupRuleId">[] = [];
  for (const permission of permissions) {
    if (permission.IpProtocol === undefined) throw new AwsError("MissingParameter", "The request must contain the parameter ipProtocol");
    const protocol = normaliseProtocol(permission.IpProtocol);
    const ports = portRange(protocol, permission.FromPort, permission.ToPort);
    for (const range of permission.IpRanges ?? []) {
      if (!parseCidr(range.CidrIp)) throw invalidParameterValue(`CIDR block ${range.CidrIp} is malformed`);
      rules.push({ IsEgress: isEgress, IpProtocol: protocol, ...ports, CidrIpv4: range.CidrIp, Description: range.Description });
    }
    for (const range of permission.Ipv6Ranges ?? []) {
      const cidr = parseIpv6Cidr(range.CidrIpv6);
      if (!cidr) throw invalidParameterValue(`CIDR block ${range.CidrIpv6} is malformed`);
      rules.push({ IsEgress: isEgress, IpProtocol: protocol, ...ports, CidrIpv6: cidr, Description: range.Description });
    }
    for (const list of permission.PrefixListIds ?? []) {
      if (!list.PrefixListId || !findPrefixList(group.region, list.PrefixListId)) {
        throw new AwsError("InvalidPrefixListID.NotFound", `The prefix list ID '${list.PrefixListId ?? ""}' does not exist`);
      }
      rules.push({ IsEgress: isEgress, IpProtocol: protocol, ...ports, PrefixListId: list.PrefixListId, Description: list.Description });
    }
    for (const pair of permission.UserIdGroupPairs ?? []) {
      const source = pair.GroupId
        ? state.securityGroups[pair.GroupId]
        : Object.values(state.securityGroups).find((g) => g.VpcId === group.VpcId && g.GroupName === pair.GroupName);
      if (!source || source.region !== group.region) {
        throw new AwsError("InvalidGroup.NotFound", `The security group '${pair.GroupId ?? pair.GroupName}' does not exist`);
      }
      rules.push({ IsEgress: isEgress, IpProtocol: protocol, ...ports, ReferencedGroupId: source.GroupId, Description: pair.Description });
    }
    if (
      !(
        permission.IpRanges?.length ||
        permission.Ipv6Ranges?.length ||
        permission.PrefixListIds?.length ||
        permission.UserIdGroupPairs?.length
      )
    ) {
      throw new AwsError("MissingParameter", "The request must contain a source or destination: a CIDR range or a security group.");
    }
  }
  return rules;
}

export function sameRule(a: Omit<SecurityGroupRuleRecord, "SecurityGroupRuleId">, b: SecurityGroupRuleRecord): boolean {
  return (
    a.IsEgress === b.IsEgress &&
    a.IpProtocol === b.IpProtocol &&
    a.FromPort === b.FromPort &&
    a.ToPort === b.ToPort &&
    a.CidrIpv4 === b.CidrIpv4 &&
    a.CidrIpv6 === b.CidrIpv6 &&
    a.PrefixListId === b.PrefixListId &&
    a.ReferencedGroupId === b.ReferencedGroupId
  );
}

export function describeRule(rule: Omit<SecurityGroupRuleRecord, "SecurityGroupRuleId">): string {
  const peer = rule.CidrIpv4 ?? rule.CidrIpv6 ?? rule.PrefixListId ?? rule.ReferencedGroupId;
  const protocol = rule.IpProtocol === "-1" ? "ALL" : rule.IpProtocol.toUpperCase();
  const ports = rule.FromPort === undefined ? "" : `, from port: ${rule.FromPort}, to port: ${rule.ToPort}`;
  return `peer: ${peer}, ${protocol}${ports}, ALLOW`;
}

export function withRuleId(rule: Omit<SecurityGroupRuleRecord, "SecurityGroupRuleId">): SecurityGroupRuleRecord {
  return { SecurityGroupRuleId: newId("sgr"), ...rule };
}

/** The SecurityGroupRule shape Authorize* returns. */
export function ruleOut(group: SecurityGroupRecord, rule: SecurityGroupRuleRecord, ownerId: string) {
  return {
    SecurityGroupRuleId: rule.SecurityGroupRuleId,
    GroupId: group.GroupId,
    GroupOwnerId: ownerId,
    IsEgress: rule.IsEgress,
    IpProtocol: rule.IpProtocol,
    FromPort: rule.FromPort ?? -1,
    ToPort: rule.ToPort ?? -1,
    CidrIpv4: rule.CidrIpv4,
    CidrIpv6: rule.CidrIpv6,
    PrefixListId: rule.PrefixListId,
    ReferencedGroupInfo: rule.ReferencedGroupId ? { GroupId: rule.ReferencedGroupId, UserId: ownerId } : undefined,
    Description: rule.Description,
    Tags: tagsOut(rule.Tags ?? []),
  };
}

/** One IpPermission of DescribeSecurityGroups: a protocol and port range with every source of that range. */
interface PermissionOut {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges: Array<{ CidrIp: string; Description?: string }>;
  Ipv6Ranges: Array<{ CidrIpv6: string; Description?: string }>;
  PrefixListIds: Array<{ PrefixListId: string; Description?: string }>;
  UserIdGroupPairs: Array<{ GroupId: string; UserId: string; Description?: string }>;
}

/** Regroups stored rules into the IpPermissions lists DescribeSecurityGroups shows. */
export function permissionsOut(rules: SecurityGroupRuleRecord[], egress: boolean, ownerId: string): PermissionOut[] {
  const groups = new Map<string, PermissionOut>();
  for (const rule of rules.filter((r) => r.IsEgress === egress)) {
    const key = `${rule.IpProtocol}/${rule.FromPort}/${rule.ToPort}`;
    let permission = groups.get(key);
    if (!permission) {
      permission = {
        IpProtocol: rule.IpProtocol,
        FromPort: rule.FromPort,
        ToPort: rule.ToPort,
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      groups.set(key, permission);
    }
    if (rule.CidrIpv4) permission.IpRanges.push({ CidrIp: rule.CidrIpv4, Description: rule.Description });
    if (rule.CidrIpv6) permission.Ipv6Ranges.push({ CidrIpv6: rule.CidrIpv6, Description: rule.Description });
    if (rule.PrefixListId) permission.PrefixListIds.push({ PrefixListId: rule.PrefixListId, Description: rule.Description });
    if (rule.ReferencedGroupId)
      permission.UserIdGroupPairs.push({ GroupId: rule.ReferencedGroupId, UserId: ownerId, Description: rule.Description });
  }
  return [...groups.values()];
}
