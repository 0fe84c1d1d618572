/** Security groups: a default group per VPC, named groups with ingress/egress rules. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { groupUser } from "./dependencies.ts";
import { required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { findAll, findSecurityGroup, findVpc, regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { enforceQuota, quota, QUOTAS } from "./quotas.ts";
import {
  describeRule,
  permissionsOut,
  ruleOut,
  rulesFromInput,
  sameRule,
  withRuleId,
  type RuleChangeInput,
} from "./security-group-rules.ts";
import { ec2State, newId, type Ec2State, type SecurityGroupRecord, type VpcRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";

const ALLOW_ALL_EGRESS = { IsEgress: true, IpProtocol: "-1", CidrIpv4: "0.0.0.0/0" };

export function createDefaultSecurityGroup(state: Ec2State, vpc: VpcRecord): SecurityGroupRecord {
  const groupId = newId("sg");
  const group: SecurityGroupRecord = {
    GroupId: groupId,
    region: vpc.region,
    GroupName: "default",
    Description: "default VPC security group",
    VpcId: vpc.VpcId,
    // AWS's default group lets members talk to each other and everything out.
    Rules: [withRuleId({ IsEgress: false, IpProtocol: "-1", ReferencedGroupId: groupId }), withRuleId(ALLOW_ALL_EGRESS)],
    Tags: [],
  };
  state.securityGroups[groupId] = group;
  return group;
}

function securityGroupOut(group: SecurityGroupRecord, ownerId: string) {
  return {
    GroupId: group.GroupId,
    GroupName: group.GroupName,
    Description: group.Description,
    VpcId: group.VpcId,
    OwnerId: ownerId,
    IpPermissions: permissionsOut(group.Rules, false, ownerId),
    IpPermissionsEgress: permissionsOut(group.Rules, true, ownerId),
    Tags: tagsOut(group.Tags),
  };
}

export function createSecurityGroup(
  input: { GroupName?: string; Description?: string; VpcId?: string; TagSpecifications?: TagSpecification[] },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  const name = required(input.GroupName, "GroupName");
  const description = required(input.Description, "GroupDescription");
  if (!input.VpcId) throw new AwsError("VPCIdNotSpecified", "No default VPC for this user");
  const vpc = findVpc(ctx.cloud, ctx.region, input.VpcId);
  if (name.startsWith("sg-")) throw new AwsError("InvalidParameterValue", "Group names may not be in the format sg-*");
  if (Object.values(state.securityGroups).some((g) => g.VpcId === vpc.VpcId && g.GroupName === name)) {
    throw new AwsError("InvalidGroup.Duplicate", `The security group '${name}' already exists for VPC '${vpc.VpcId}'`);
  }
  const tags = tagsFromSpecifications(input.TagSpecifications, "security-group");
  const count = regionRecords(state.securityGroups, ctx.region).length;
  enforceQuota(ctx, QUOTAS.securityGroups, count, "SecurityGroupLimitExceeded", "The maximum number of security groups has been reached.");
  const group: SecurityGroupRecord = {
    GroupId: newId("sg"),
    region: ctx.region,
    GroupName: name,
    Description: description,
    VpcId: vpc.VpcId,
    Rules: [withRuleId(ALLOW_ALL_EGRESS)],
    Tags: tags,
  };
  state.securityGroups[group.GroupId] = group;
  ctx.cloud.markDirty();
  return { GroupId: group.GroupId, Tags: tagsOut(group.Tags) };
}

export function describeSecurityGroups(
  input: { GroupIds?: string[]; GroupNames?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let groups = input.GroupIds?.length
    ? findAll(state.securityGroups, ctx.region, input.GroupIds, "InvalidGroup.NotFound", "security group")
    : regionRecords(state.securityGroups, ctx.region);
  if (input.GroupNames?.length) {
    const missing = input.GroupNames.filter((name) => !groups.some((g) => g.GroupName === name));
    if (missing.length) throw new AwsError("InvalidGroup.NotFound", `The security group '${missing.join(", ")}' does not exist`);
    groups = groups.filter((g) => input.GroupNames!.includes(g.GroupName));
  }
  const ingress = (g: SecurityGroupRecord) => g.Rules.filter((r) => !r.IsEgress);
  const egress = (g: SecurityGroupRecord) => g.Rules.filter((r) => r.IsEgress);
  groups = applyFilters(groups, input.Filters, {
    "group-id": (g) => g.GroupId,
    "group-name": (g) => g.GroupName,
    description: (g) => g.Description,
    "vpc-id": (g) => g.VpcId,
    "owner-id": () => ctx.accountId,
    "ip-permission.cidr": (g) => ingress(g).map((r) => r.CidrIpv4),
    "ip-permission.from-port": (g) => ingress(g).map((r) => r.FromPort),
    "ip-permission.to-port": (g) => ingress(g).map((r) => r.ToPort),
    "ip-permission.protocol": (g) => ingress(g).map((r) => r.IpProtocol),
    "ip-permission.group-id": (g) => ingress(g).map((r) => r.ReferencedGroupId),
    "ip-permission.ipv6-cidr": (g) => ingress(g).map((r) => r.CidrIpv6),
    "ip-permission.prefix-list-id": (g) => ingress(g).map((r) => r.PrefixListId),
    "egress.ip-permission.cidr": (g) => egress(g).map((r) => r.CidrIpv4),
    "egress.ip-permission.protocol": (g) => egress(g).map((r) => r.IpProtocol),
    "egress.ip-permission.group-id": (g) => egress(g).map((r) => r.ReferencedGroupId),
    "egress.ip-permission.ipv6-cidr": (g) => egress(g).map((r) => r.CidrIpv6),
    "egress.ip-permission.prefix-list-id": (g) => egress(g).map((r) => r.PrefixListId),
    "egress.ip-permission.from-port": (g) => egress(g).map((r) => r.FromPort),
    "egress.ip-permission.to-port": (g) => egress(g).map((r) => r.ToPort),
  });
  const { items: page, next: NextToken } = pageOf(groups, input.NextToken, input.MaxResults, ec2Pages("DescribeSecurityGroups"));
  return { SecurityGroups: page.map((g) => securityGroupOut(g, ctx.accountId)), NextToken };
}

function groupFor(input: { GroupId?: string; GroupName?: string }, ctx: RequestContext): SecurityGroupRecord {
  if (input.GroupId) return findSecurityGroup(ctx.cloud, ctx.region, input.GroupId);
  const name = required(input.GroupName, "GroupId");
  const group = regionRecords(ec2State(ctx.cloud).securityGroups, ctx.region).find((g) => g.GroupName === name);
  if (!group) throw new AwsError("InvalidGroup.NotFound", `The security group '${name}' does not exist`);
  return group;
}

/** AWS's quota applies to each direction, and to IPv4 and IPv6 sources separately (group and prefix list references count in both). */
function checkRuleQuota(
  ctx: RequestContext,
  group: SecurityGroupRecord,
  added: Array<{ IsEgress: boolean; CidrIpv4?: string; CidrIpv6?: string }>,
  isEgress: boolean,
) {
  const all = [...group.Rules.filter((r) => r.IsEgress === isEgress), ...added];
  const ipv4 = all.filter((r) => !r.CidrIpv6).length;
  const ipv6 = all.filter((r) => !r.CidrIpv4).length;
  if (Math.max(ipv4, ipv6) > quota(ctx, QUOTAS.rulesPerGroup)) {
    throw new AwsError("RulesPerSecurityGroupLimitExceeded", "The maximum number of rules per security group has been reached.");
  }
}

function authorize(
  input: RuleChangeInput & { GroupId?: string; GroupName?: string; TagSpecifications?: TagSpecification[] },
  ctx: RequestContext,
  isEgress: boolean,
) {
  const state = ec2State(ctx.cloud);
  const group = groupFor(input, ctx);
  const tags = tagsFromSpecifications(input.TagSpecifications, "security-group-rule");
  const wanted = rulesFromInput(state, group, input, isEgress);
  for (const rule of wanted) {
    if (group.Rules.some((existing) => sameRule(rule, existing))) {
      throw new AwsError("InvalidPermission.Duplicate", `the specified rule "${describeRule(rule)}" already exists`);
    }
  }
  checkRuleQuota(ctx, group, wanted, isEgress);
  const added = wanted.map((rule) => ({ ...withRuleId(rule), ...(tags.length ? { Tags: tags.map((t) => ({ ...t })) } : {}) }));
  group.Rules.push(...added);
  ctx.cloud.markDirty();
  return { Return: true, SecurityGroupRules: added.map((rule) => ruleOut(group, rule, ctx.accountId)) };
}

function revoke(
  input: RuleChangeInput & { GroupId?: string; GroupName?: string; SecurityGroupRuleIds?: string[] },
  ctx: RequestContext,
  isEgress: boolean,
) {
  const group = groupFor(input, ctx);
  if (input.SecurityGroupRuleIds?.length) {
    const missing = input.SecurityGroupRuleIds.filter(
      (id) => !group.Rules.some((r) => r.SecurityGroupRuleId === id && r.IsEgress === isEgress),
    );
    if (missing.length) {
      throw new AwsError("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${missing.join(", ")}' does not exist`);
    }
    group.Rules = group.Rules.filter((r) => !input.SecurityGroupRuleIds!.includes(r.SecurityGroupRuleId));
  } else {
    const unwanted = rulesFromInput(ec2State(ctx.cloud), group, input, isEgress);
    for (const rule of unwanted) {
      if (!group.Rules.some((existing) => sameRule(rule, existing))) {
        throw new AwsError("InvalidPermission.NotFound", "The specified rule does not exist in this security group.");
      }
    }
    group.Rules = group.Rules.filter((existing) => !unwanted.some((rule) => sameRule(rule, existing)));
  }
  ctx.cloud.markDirty();
  return { Return: true };
}

type AuthorizeInput = Parameters<typeof authorize>[0];
type RevokeInput = Parameters<typeof revoke>[0];
export const authorizeSecurityGroupIngress = (input: AuthorizeInput, ctx: RequestContext) => authorize(input, ctx, false);
export const authorizeSecurityGroupEgress = (input: AuthorizeInput, ctx: RequestContext) => authorize(input, ctx, true);
export const revokeSecurityGroupIngress = (input: RevokeInput, ctx: RequestContext) => revoke(input, ctx, false);
export const revokeSecurityGroupEgress = (input: RevokeInput, ctx: RequestContext) => revoke(input, ctx, true);

export function deleteSecurityGroup(input: { GroupId?: string; GroupName?: string }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const group = groupFor(input, ctx);
  if (group.GroupName === "default") {
    throw new AwsError("CannotDelete", `the specified group: "${group.GroupId}" name: "default" cannot be deleted by a user`);
  }
  // Another group's rule, or an interface of an instance, endpoint, load balancer or DB instance.
  if (groupUser(ctx.cloud, state, group)) throw new AwsError("DependencyViolation", `resource ${group.GroupId} has a dependent object`);
  delete state.securityGroups[group.GroupId];
  ctx.cloud.markDirty();
  return { Return: true, GroupId: group.GroupId };
}
