/** CreateCacheSubnetGroup / DescribeCacheSubnetGroups / DeleteCacheSubnetGroup: the subnets must exist, in one VPC. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { lookupSubnet, SUBNET_ID } from "../elbv2/ec2-lookup.ts";
import { cacheSubnetGroupNotFound, invalidParameterValue, pageRecords } from "./errors.ts";
import { recordEvent } from "./events.ts";
import { arnOf, type CacheSubnetGroupRecord, elastiCacheState, key, type Tag } from "./state.ts";
import { validateTags } from "./tags.ts";

interface CreateInput {
  CacheSubnetGroupName?: string;
  CacheSubnetGroupDescription?: string;
  SubnetIds?: string[];
  Tags?: Tag[];
}

export function toCacheSubnetGroup(g: CacheSubnetGroupRecord) {
  return {
    CacheSubnetGroupName: g.name,
    CacheSubnetGroupDescription: g.description,
    VpcId: g.vpcId,
    Subnets: g.subnets.map((sn) => ({
      SubnetIdentifier: sn.id,
      SubnetAvailabilityZone: { Name: sn.availabilityZone },
      SupportedNetworkTypes: ["ipv4"],
    })),
    ARN: g.arn,
    SupportedNetworkTypes: ["ipv4"],
  };
}

export function createCacheSubnetGroup(input: CreateInput, ctx: RequestContext) {
  const s = elastiCacheState(ctx.cloud);
  const name = (input.CacheSubnetGroupName ?? "").toLowerCase();
  if (!/^[a-z][a-z0-9-]{0,254}$/.test(name) || name.includes("--") || name.endsWith("-")) {
    throw invalidParameterValue(
      "The parameter CacheSubnetGroupName must be provided, begin with a letter, contain only ASCII letters, digits and hyphens, and not end with a hyphen or contain two consecutive hyphens.",
    );
  }
  if (name === "default") throw invalidParameterValue("The parameter CacheSubnetGroupName must not be 'default'.");
  if (!input.CacheSubnetGroupDescription?.trim())
    throw invalidParameterValue("The parameter CacheSubnetGroupDescription must be provided and must not be blank.");
  if (s.subnetGroups[key(ctx.region, name)])
    throw new AwsError("CacheSubnetGroupAlreadyExists", `Cache subnet group ${name} already exists.`);
  const ids = [...new Set(input.SubnetIds ?? [])];
  if (ids.length === 0) throw invalidParameterValue("The parameter SubnetIds must be provided and must not be empty.");
  const facts = ids.map((id) => (SUBNET_ID.test(id) ? lookupSubnet(ctx.cloud, ctx.region, id) : null));
  const invalid = ids.filter((_, i) => facts[i] === null);
  if (invalid.length) throw new AwsError("InvalidSubnet", `The subnet ID ${invalid.join(", ")} does not exist`);
  const vpcs = new Set(facts.map((f) => f?.vpcId).filter(Boolean));
  if (vpcs.size > 1) throw new AwsError("InvalidSubnet", "The subnets in a cache subnet group must all be in the same VPC.");
  const letters = "abcdef";
  const group: CacheSubnetGroupRecord = {
    name,
    region: ctx.region,
    description: input.CacheSubnetGroupDescription,
    vpcId: [...vpcs][0] ?? "",
    subnets: ids.map((id, i) => ({ id, availabilityZone: facts[i]?.availabilityZone ?? `${ctx.region}${letters[i % 6]}` })),
    arn: arnOf(ctx.region, ctx.accountId, "subnetgroup", name),
    tags: validateTags(input.Tags),
  };
  s.subnetGroups[key(ctx.region, name)] = group;
  recordEvent(ctx.cloud, ctx.region, "cache-subnet-group", name, `Cache subnet group ${name} created`);
  ctx.cloud.markDirty();
  return { CacheSubnetGroup: toCacheSubnetGroup(group) };
}

export function requireSubnetGroup(ctx: RequestContext, name: string): CacheSubnetGroupRecord {
  const g = elastiCacheState(ctx.cloud).subnetGroups[key(ctx.region, name)];
  if (!g) throw cacheSubnetGroupNotFound(name);
  return g;
}

export function describeCacheSubnetGroups(
  input: { CacheSubnetGroupName?: string; MaxRecords?: number; Marker?: string },
  ctx: RequestContext,
) {
  const groups = input.CacheSubnetGroupName
    ? [requireSubnetGroup(ctx, input.CacheSubnetGroupName)]
    : Object.values(elastiCacheState(ctx.cloud).subnetGroups).filter((g) => g.region === ctx.region);
  const { items, marker } = pageRecords(groups, input.Marker, input.MaxRecords, "DescribeCacheSubnetGroups");
  return { CacheSubnetGroups: items.map(toCacheSubnetGroup), Marker: marker };
}

export function deleteCacheSubnetGroup(input: { CacheSubnetGroupName?: string }, ctx: RequestContext) {
  const s = elastiCacheState(ctx.cloud);
  const group = requireSubnetGroup(ctx, input.CacheSubnetGroupName ?? "");
  const user = Object.values(s.replicationGroups).find((rg) => rg.region === ctx.region && rg.subnetGroupName === group.name);
  if (user) throw new AwsError("CacheSubnetGroupInUse", `Cache subnet group ${group.name} is currently in use by a cache cluster.`);
  delete s.subnetGroups[key(ctx.region, group.name)];
  ctx.cloud.markDirty();
  return undefined;
}
