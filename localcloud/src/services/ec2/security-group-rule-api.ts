/**
 * The per-rule API (rules have had ids since 2021): DescribeSecurityGroupRules and
 * ModifySecurityGroupRules, which rewrites a rule in place keeping its id and tags.
 */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { findSecurityGroup, regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { describeRule, ruleOut, rulesFromInput, sameRule, type IpPermission } from "./security-group-rules.ts";
import { ec2State, type SecurityGroupRecord, type SecurityGroupRuleRecord } from "./state.ts";

function ruleNotFound(ids: string[]): AwsError {
  return new AwsError("InvalidSecurityGroupRuleId.NotFound", `The security group rule ID '${ids.join(", ")}' does not exist`);
}

export function describeSecurityGroupRules(
  input: { SecurityGroupRuleIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const groups = regionRecords(ec2State(ctx.cloud).securityGroups, ctx.region);
  let rules = groups.flatMap((group) => group.Rules.map((rule) => ({ group, rule, Tags: rule.Tags ?? [] })));
  const missing = (input.SecurityGroupRuleIds ?? []).filter((id) => !rules.some((r) => r.rule.SecurityGroupRuleId === id));
  if (missing.length) throw ruleNotFound(missing);
  if (input.SecurityGroupRuleIds?.length) rules = rules.filter((r) => input.SecurityGroupRuleIds!.includes(r.rule.SecurityGroupRuleId));
  rules = applyFilters(rules, input.Filters, {
    "group-id": (r) => r.group.GroupId,
    "security-group-rule-id": (r) => r.rule.SecurityGroupRuleId,
  });
  const { items: page, next: NextToken } = pageOf(rules, input.NextToken, input.MaxResults, ec2Pages("DescribeSecurityGroupRules"));
  return { SecurityGroupRules: page.map((r) => ruleOut(r.group, r.rule, ctx.accountId)), NextToken };
}

interface RuleUpdate {
  SecurityGroupRuleId?: string;
  /** The rule's new fields: those of a stored rule, less its id, direction and tags. */
  SecurityGroupRule?: Partial<Omit<SecurityGroupRuleRecord, "SecurityGroupRuleId" | "IsEgress" | "Tags">>;
}

/** The request's flat rule as the one-source IpPermission that rulesFromInput validates. */
function asPermission(rule: NonNullable<RuleUpdate["SecurityGroupRule"]>): IpPermission {
  const sources = [rule.CidrIpv4, rule.CidrIpv6, rule.PrefixListId, rule.ReferencedGroupId].filter(Boolean);
  if (sources.length !== 1) {
    throw new AwsError(
      "InvalidParameterCombination",
      "A security group rule must have exactly one of CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupId.",
    );
  }
  const description = rule.Description;
  return {
    IpProtocol: rule.IpProtocol,
    FromPort: rule.FromPort,
    ToPort: rule.ToPort,
    IpRanges: rule.CidrIpv4 ? [{ CidrIp: rule.CidrIpv4, Description: description }] : [],
    Ipv6Ranges: rule.CidrIpv6 ? [{ CidrIpv6: rule.CidrIpv6, Description: description }] : [],
    PrefixListIds: rule.PrefixListId ? [{ PrefixListId: rule.PrefixListId, Description: description }] : [],
    UserIdGroupPairs: rule.ReferencedGroupId ? [{ GroupId: rule.ReferencedGroupId, Description: description }] : [],
  };
}

export function modifySecurityGroupRules(input: { GroupId?: string; SecurityGroupRules?: RuleUpdate[] }, ctx: RequestContext) {
  const state = ec2State(ctx.cloud);
  const group: SecurityGroupRecord = findSecurityGroup(ctx.cloud, ctx.region, required(input.GroupId, "GroupId"));
  const updates = required(input.SecurityGroupRules, "SecurityGroupRule");
  const missing = updates.map((u) => u.SecurityGroupRuleId ?? "").filter((id) => !group.Rules.some((r) => r.SecurityGroupRuleId === id));
  if (missing.length) throw ruleNotFound(missing);
  // Validate every update first, so a refused call changes nothing.
  const replacements = updates.map((update) => {
    const current = group.Rules.find((r) => r.SecurityGroupRuleId === update.SecurityGroupRuleId)!;
    const [rule] = rulesFromInput(
      state,
      group,
      { IpPermissions: [asPermission(required(update.SecurityGroupRule, "SecurityGroupRule"))] },
      current.IsEgress,
    );
    const clash = group.Rules.find((other) => other !== current && sameRule(rule, other));
    if (clash) throw new AwsError("InvalidPermission.Duplicate", `the specified rule "${describeRule(rule)}" already exists`);
    const replaced: SecurityGroupRuleRecord = { ...rule, SecurityGroupRuleId: current.SecurityGroupRuleId, Tags: current.Tags };
    return { current, replaced };
  });
  for (const { current, replaced } of replacements) group.Rules[group.Rules.indexOf(current)] = replaced;
  ctx.cloud.markDirty();
  return { Return: true };
}
