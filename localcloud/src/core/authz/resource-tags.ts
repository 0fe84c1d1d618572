/**
 * The tags of a resource by ARN, for aws:ResourceTag/<key> conditions. Each service may register
 * its own lookup (`registerResourceTags("rds", (cloud, arn) => ...)`); EC2 (by resource id),
 * ELBv2 (by ARN), IAM roles, Secrets Manager secrets and SSM parameters are looked up here from
 * their persisted state, which keeps tags in the API's { Key, Value } form. A resource without a lookup has no tags, so a condition on
 * one fails, as it would on AWS for an untagged resource.
 */
import type { CloudApi, ServiceName } from "../types.ts";
import { iamState, key } from "../../services/iam/state.ts";

export type TagMap = Record<string, string>;
export type ResourceTagLookup = (cloud: CloudApi, arn: string) => TagMap | undefined;

interface TagList {
  Key: string;
  Value: string;
}

const lookups = new Map<string, ResourceTagLookup>();

/** Let a service answer aws:ResourceTag for its ARNs (the ARN's service field, e.g. "secretsmanager"). */
export function registerResourceTags(arnService: ServiceName | string, lookup: ResourceTagLookup): void {
  lookups.set(arnService, lookup);
}

function toMap(tags: TagList[] | undefined): TagMap | undefined {
  return tags ? Object.fromEntries(tags.map((t) => [t.Key, t.Value ?? ""])) : undefined;
}

/** EC2 keeps every resource kind in its own collection keyed by id: search them all, so new kinds need no change here. */
function ec2Tags(cloud: CloudApi, arn: string): TagMap | undefined {
  const id = arn.slice(arn.lastIndexOf("/") + 1);
  const state = cloud.state<Record<string, unknown>>("ec2");
  for (const collection of Object.values(state)) {
    if (!collection || typeof collection !== "object" || Array.isArray(collection)) continue;
    const record = (collection as Record<string, unknown>)[id];
    if (record && typeof record === "object" && "Tags" in record) return toMap((record as { Tags?: TagList[] }).Tags);
  }
  return undefined;
}

interface ElbRecordWithTags {
  tags?: TagList[];
  rules?: Array<{ arn?: string; tags?: TagList[] }>;
}

function elbv2Tags(cloud: CloudApi, arn: string): TagMap | undefined {
  const state = cloud.state<Record<string, Record<string, ElbRecordWithTags> | undefined>>("elasticloadbalancing");
  for (const name of ["loadBalancers", "targetGroups", "listeners"]) {
    const record = state[name]?.[arn];
    if (record) return toMap(record.tags);
  }
  for (const listener of Object.values(state.listeners ?? {})) {
    const rule = listener.rules?.find((r) => r.arn === arn);
    if (rule) return toMap(rule.tags);
  }
  return undefined;
}

function iamTags(cloud: CloudApi, arn: string): TagMap | undefined {
  if (!arn.includes(":role/")) return undefined;
  return toMap(iamState(cloud).roles[key(arn.slice(arn.lastIndexOf("/") + 1))]?.Tags);
}

/** Secrets Manager keeps secrets by ARN, SSM parameters by "<region>/<name>", both with a { Key, Value } tag list. */
function secretTags(cloud: CloudApi, arn: string): TagMap | undefined {
  return toMap(cloud.state<{ secrets?: Record<string, { tags?: TagList[] }> }>("secretsmanager").secrets?.[arn]?.tags);
}

function parameterTags(cloud: CloudApi, arn: string): TagMap | undefined {
  const region = arn.split(":")[3];
  const name = arn.slice(arn.indexOf(":parameter/") + ":parameter/".length);
  const parameters = cloud.state<{ parameters?: Record<string, { tags?: TagList[] }> }>("ssm").parameters ?? {};
  return toMap((parameters[`${region}//${name}`] ?? parameters[`${region}/${name}`])?.tags);
}

registerResourceTags("ec2", ec2Tags);
registerResourceTags("secretsmanager", secretTags);
registerResourceTags("ssm", parameterTags);
registerResourceTags("elasticloadbalancing", elbv2Tags);
registerResourceTags("iam", iamTags);

/** The resource's tags, or {} when unknown (no lookup, no such resource, or a wildcard). */
export function resourceTags(cloud: CloudApi, arn: string): TagMap {
  if (!arn.startsWith("arn:") || arn.endsWith("*")) return {};
  const lookup = lookups.get(arn.split(":")[2]);
  try {
    return lookup?.(cloud, arn) ?? {};
  } catch {
    // A service's state in an unexpected shape must not break every call: no tags.
    return {};
  }
}
