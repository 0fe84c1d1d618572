/**
 * Network ACLs: every VPC has its default ACL (allow all in and out, then the catch-all deny),
 * associated with each of its subnets. Derived from the VPCs and subnets, so nothing is stored;
 * custom ACLs are not modelled.
 */
import { createHash } from "node:crypto";
import type { RequestContext } from "../../core/types.ts";
import { notFound, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { regionRecords } from "./lookups.ts";
import { pageOf } from "../../core/paging.ts";
import { ec2State, type Ec2State, type VpcRecord } from "./state.ts";

const derived = (prefix: string, seed: string) => `${prefix}-${createHash("sha256").update(seed).digest("hex").slice(0, 17)}`;

export function defaultAclId(vpcId: string): string {
  return derived("acl", `${vpcId}/default-acl`);
}

function entries() {
  return [false, true].flatMap((Egress) => [
    { RuleNumber: 100, Protocol: "-1", RuleAction: "allow", Egress, CidrBlock: "0.0.0.0/0" },
    { RuleNumber: 32767, Protocol: "-1", RuleAction: "deny", Egress, CidrBlock: "0.0.0.0/0" },
  ]);
}

function aclView(state: Ec2State, vpc: VpcRecord) {
  const NetworkAclId = defaultAclId(vpc.VpcId);
  const subnets = Object.values(state.subnets).filter((s) => s.VpcId === vpc.VpcId);
  return {
    NetworkAclId,
    VpcId: vpc.VpcId,
    IsDefault: true,
    Entries: entries(),
    Associations: subnets.map((s) => ({
      NetworkAclAssociationId: derived("aclassoc", `${s.SubnetId}/acl`),
      NetworkAclId,
      SubnetId: s.SubnetId,
    })),
  };
}

export function describeNetworkAcls(
  input: { NetworkAclIds?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let acls = regionRecords(state.vpcs, ctx.region).map((vpc) => aclView(state, vpc));
  const missing = (input.NetworkAclIds ?? []).filter((id) => !acls.some((a) => a.NetworkAclId === id));
  if (missing.length) throw notFound("InvalidNetworkAclID.NotFound", "network ACL", missing);
  if (input.NetworkAclIds?.length) acls = acls.filter((a) => input.NetworkAclIds!.includes(a.NetworkAclId));
  acls = applyFilters(acls, input.Filters, {
    "network-acl-id": (a) => a.NetworkAclId,
    "vpc-id": (a) => a.VpcId,
    default: () => "true",
    "owner-id": () => ctx.accountId,
    "association.association-id": (a) => a.Associations.map((x) => x.NetworkAclAssociationId),
    "association.network-acl-id": (a) => a.NetworkAclId,
    "association.subnet-id": (a) => a.Associations.map((x) => x.SubnetId),
    "entry.cidr": () => "0.0.0.0/0",
    "entry.egress": () => ["true", "false"],
    "entry.protocol": () => "-1",
    "entry.rule-action": () => ["allow", "deny"],
    "entry.rule-number": () => ["100", "32767"],
  });
  const { items: page, next: NextToken } = pageOf(
    acls,
    input.NextToken,
    input.MaxResults,
    ec2Pages("DescribeNetworkAcls", { min: 5, max: 1000 }),
  );
  return { NetworkAcls: page.map((a) => ({ ...a, OwnerId: ctx.accountId, Tags: [] })), NextToken };
}
