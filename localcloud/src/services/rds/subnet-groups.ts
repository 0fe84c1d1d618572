/** CreateDBSubnetGroup / DescribeDBSubnetGroups / DeleteDBSubnetGroup. */
import { createHash } from "node:crypto";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { key, rdsState, subnetGroupArn, type SubnetGroupRecord, type Tag } from "./state.ts";
import { dbSubnetGroupNotFound, invalidParameterValue, rdsPages, rdsTagRules } from "./errors.ts";
import { lookupSubnet, SUBNET_ID } from "../elbv2/ec2-lookup.ts";
import { checkTags } from "../../core/tags.ts";
import { pageOf } from "../../core/paging.ts";

interface CreateInput {
  DBSubnetGroupName?: string;
  DBSubnetGroupDescription?: string;
  SubnetIds?: string[];
  Tags?: Tag[];
}

/** Resolve subnets through EC2 when it can tell; otherwise spread them over the region's AZs. */
function resolveSubnets(ctx: RequestContext, ids: string[]): { vpcId: string; subnets: SubnetGroupRecord["subnets"] } {
  const invalid = ids.filter((id) => !SUBNET_ID.test(id) || lookupSubnet(ctx.cloud, ctx.region, id) === null);
  if (invalid.length) throw new AwsError("InvalidSubnet", `Some input subnets in :[${invalid.join(", ")}] are invalid.`, 400);
  const letters = "abcdef";
  const facts = ids.map((id, i) => {
    const f = lookupSubnet(ctx.cloud, ctx.region, id);
    return { id, availabilityZone: f?.availabilityZone ?? `${ctx.region}${letters[i % letters.length]}`, vpcId: f?.vpcId };
  });
  const vpcs = new Set(facts.map((f) => f.vpcId).filter(Boolean));
  if (vpcs.size > 1) throw new AwsError("InvalidSubnet", "The subnets in a DB subnet group must all be in the same VPC.", 400);
  const vpcId = [...vpcs][0] ?? `vpc-${createHash("sha256").update(ids[0]).digest("hex").slice(0, 17)}`;
  return { vpcId, subnets: facts.map(({ id, availabilityZone }) => ({ id, availabilityZone })) };
}

export function toDbSubnetGroup(g: SubnetGroupRecord) {
  return {
    DBSubnetGroupName: g.name,
    DBSubnetGroupDescription: g.description,
    VpcId: g.vpcId,
    SubnetGroupStatus: "Complete",
    Subnets: g.subnets.map((sn) => ({
      SubnetIdentifier: sn.id,
      SubnetAvailabilityZone: { Name: sn.availabilityZone },
      SubnetOutpost: {},
      SubnetStatus: "Active",
    })),
    DBSubnetGroupArn: g.arn,
    SupportedNetworkTypes: ["IPV4"],
  };
}

export function createDbSubnetGroup(input: CreateInput, ctx: RequestContext) {
  const s = rdsState(ctx.cloud);
  const name = (input.DBSubnetGroupName ?? "").toLowerCase();
  if (!/^[a-z0-9 ._-]{1,255}$/.test(name)) {
    throw invalidParameterValue(
      "The parameter DBSubnetGroupName must contain no more than 255 letters, numbers, periods, underscores, spaces, or hyphens.",
    );
  }
  if (name === "default") throw invalidParameterValue("The parameter DBSubnetGroupName must not be 'default'.");
  if (!input.DBSubnetGroupDescription)
    throw invalidParameterValue("The parameter DBSubnetGroupDescription must be provided and must not be blank.");
  const ids = [...new Set(input.SubnetIds ?? [])];
  if (ids.length === 0) throw invalidParameterValue("The parameter SubnetIds must be provided and must not be empty.");
  if (s.subnetGroups[key(ctx.region, name)])
    throw new AwsError("DBSubnetGroupAlreadyExists", `The DB subnet group '${name}' already exists.`, 400);
  const tags = checkTags(input.Tags, rdsTagRules);
  const { vpcId, subnets } = resolveSubnets(ctx, ids);
  const azs = [...new Set(subnets.map((sn) => sn.availabilityZone))];
  if (azs.length < 2) {
    throw new AwsError(
      "DBSubnetGroupDoesNotCoverEnoughAZs",
      `The DB subnet group doesn't meet Availability Zone (AZ) coverage requirement. Current AZ coverage: ${azs.join(", ")}. Add subnets to cover at least 2 AZs.`,
      400,
    );
  }
  const group: SubnetGroupRecord = {
    name,
    region: ctx.region,
    description: input.DBSubnetGroupDescription,
    vpcId,
    subnets,
    arn: subnetGroupArn(ctx.region, ctx.accountId, name),
    tags,
  };
  s.subnetGroups[key(ctx.region, name)] = group;
  ctx.cloud.markDirty();
  return { DBSubnetGroup: toDbSubnetGroup(group) };
}

export function requireSubnetGroup(ctx: RequestContext, name: string): SubnetGroupRecord {
  const g = rdsState(ctx.cloud).subnetGroups[key(ctx.region, name)];
  if (!g) throw dbSubnetGroupNotFound(name);
  return g;
}

export function describeDbSubnetGroups(input: { DBSubnetGroupName?: string; MaxRecords?: number; Marker?: string }, ctx: RequestContext) {
  const s = rdsState(ctx.cloud);
  const groups = input.DBSubnetGroupName
    ? [requireSubnetGroup(ctx, input.DBSubnetGroupName)]
    : Object.values(s.subnetGroups).filter((g) => g.region === ctx.region);
  const { items, next: marker } = pageOf(groups, input.Marker, input.MaxRecords, rdsPages("DescribeDBSubnetGroups"));
  return { DBSubnetGroups: items.map(toDbSubnetGroup), Marker: marker };
}

export function deleteDbSubnetGroup(input: { DBSubnetGroupName?: string }, ctx: RequestContext) {
  const s = rdsState(ctx.cloud);
  const name = (input.DBSubnetGroupName ?? "").toLowerCase();
  if (name === "default") throw invalidParameterValue("The default DB subnet group cannot be deleted.");
  const group = requireSubnetGroup(ctx, name);
  const user = Object.values(s.instances).find((db) => db.region === ctx.region && db.subnetGroupName === group.name);
  if (user) {
    throw new AwsError(
      "InvalidDBSubnetGroupStateFault",
      `Cannot delete the subnet group '${group.name}' because at least one database instance: ${user.id} is still using it.`,
      400,
    );
  }
  delete s.subnetGroups[key(ctx.region, name)];
  ctx.cloud.markDirty();
  return {};
}
