/**
 * Which resources a call acts on (the ARNs AWS authorizes) and the tags it asks for
 * (aws:RequestTag/<key>, aws:TagKeys). Derived from the parsed input, without each service's
 * help: Describe and List calls are wildcard-only ("*"), as they are on AWS; EC2 calls name
 * resources by id; other services by ARN or by a name member listed below. A service may
 * register its own resolver for what this cannot see (registerResourceArns).
 */
import type { RequestContext, ServiceName } from "../types.ts";
import { iamState, key } from "../../services/iam/state.ts";

export type ResourceResolver = (operation: string, input: Record<string, unknown>, ctx: RequestContext) => string[] | undefined;

const resolvers = new Map<ServiceName, ResourceResolver>();

/** Let a service name the resources of its calls (return undefined to fall back to the rules here). */
export function registerResourceArns(service: ServiceName, resolver: ResourceResolver): void {
  resolvers.set(service, resolver);
}

/** EC2 id prefix -> ARN resource type. AMIs and snapshots are left out: they belong to AWS or are shared. */
const EC2_TYPES: Record<string, string> = {
  i: "instance",
  vpc: "vpc",
  subnet: "subnet",
  sg: "security-group",
  sgr: "security-group-rule",
  lt: "launch-template",
  igw: "internet-gateway",
  rtb: "route-table",
  nat: "natgateway",
  eipalloc: "elastic-ip",
  eni: "network-interface",
  vol: "volume",
  acl: "network-acl",
  vpce: "vpc-endpoint",
  dopt: "dhcp-options",
};
const EC2_ID = /^([a-z]+)-[0-9a-f]{8,17}$/;

const strings = (value: unknown): string[] =>
  typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function ec2Arns(operation: string, input: Record<string, unknown>, ctx: RequestContext): string[] {
  const prefix = `arn:aws:ec2:${ctx.region}:${ctx.accountId}:`;
  // The instances a launch creates are what its tags and conditions apply to.
  if (operation === "RunInstances") return [`${prefix}instance/*`];
  const arns = new Set<string>();
  for (const value of Object.values(input)) {
    for (const id of strings(value)) {
      const type = EC2_TYPES[EC2_ID.exec(id)?.[1] ?? ""];
      if (type) arns.add(`${prefix}${type}/${id}`);
    }
  }
  return [...arns];
}

/** Name members of services that do not take ARNs, and the ARN each stands for. */
function namedArns(service: ServiceName, input: Record<string, unknown>, ctx: RequestContext): string[] {
  const { region, accountId: acct } = ctx;
  const each = (member: string, arn: (v: string) => string) => strings(input[member]).map(arn);
  switch (service) {
    case "autoscaling":
      return each("AutoScalingGroupName", (n) => `arn:aws:autoscaling:${region}:${acct}:autoScalingGroup:*:autoScalingGroupName/${n}`);
    case "rds":
      return [
        ...each("DBInstanceIdentifier", (n) => `arn:aws:rds:${region}:${acct}:db:${n}`),
        ...each("DBSubnetGroupName", (n) => `arn:aws:rds:${region}:${acct}:subgrp:${n}`),
      ];
    case "monitoring":
      return [
        ...each("AlarmName", (n) => `arn:aws:cloudwatch:${region}:${acct}:alarm:${n}`),
        ...each("AlarmNames", (n) => `arn:aws:cloudwatch:${region}:${acct}:alarm:${n}`),
      ];
    case "cloudfront":
      return each("Id", (id) => `arn:aws:cloudfront::${acct}:distribution/${id}`);
    case "iam":
      return [
        ...each("RoleName", (n) => iamState(ctx.cloud).roles[key(n)]?.Arn ?? `arn:aws:iam::${acct}:role/${n}`),
        ...each(
          "InstanceProfileName",
          (n) => iamState(ctx.cloud).instanceProfiles[key(n)]?.Arn ?? `arn:aws:iam::${acct}:instance-profile/${n}`,
        ),
      ];
    case "secretsmanager":
      return [...each("SecretId", (id) => secretArn(ctx, id)), ...each("Name", (id) => secretArn(ctx, id))];
    case "ssm":
      return [...each("Name", (n) => ssmParameterArn(region, acct, n)), ...each("Names", (n) => ssmParameterArn(region, acct, n))];
    default:
      return [];
  }
}

/** A secret's full ARN (with AWS's random suffix) by name or ARN; a name not found stands for itself. */
function secretArn(ctx: RequestContext, id: string): string {
  const secrets =
    ctx.cloud.state<{ secrets?: Record<string, { arn: string; name: string; region: string }> }>("secretsmanager").secrets ?? {};
  const found = Object.values(secrets).find((s) => s.arn === id || (s.name === id && s.region === ctx.region));
  return found?.arn ?? (id.startsWith("arn:") ? id : `arn:aws:secretsmanager:${ctx.region}:${ctx.accountId}:secret:${id}`);
}

function ssmParameterArn(region: string, acct: string, name: string): string {
  return name.startsWith("arn:") ? name : `arn:aws:ssm:${region}:${acct}:parameter/${name.replace(/^\//, "")}`;
}

/** Every top-level member holding ARNs (LoadBalancerArn, TargetGroupArns, ResourceArns, PolicyArn, RoleArn...). */
function inputArns(input: Record<string, unknown>): string[] {
  return Object.values(input)
    .flatMap(strings)
    .filter((v) => v.startsWith("arn:aws:"));
}

/** The ARNs a call is authorized against; ["*"] when it names none. */
export function resourcesFor(service: ServiceName, operation: string, input: Record<string, unknown>, ctx: RequestContext): string[] {
  const custom = resolvers.get(service)?.(operation, input, ctx);
  if (custom?.length) return custom;
  if (/^(Describe|List)/.test(operation)) return ["*"];
  const found = service === "ec2" ? ec2Arns(operation, input, ctx) : [...new Set([...inputArns(input), ...namedArns(service, input, ctx)])];
  return found.length ? found : ["*"];
}

interface TagInput {
  Key?: string;
  Value?: string;
}

function tagList(value: unknown): TagInput[] {
  return Array.isArray(value) ? value.filter((t): t is TagInput => !!t && typeof t === "object" && "Key" in t) : [];
}

/** aws:RequestTag/<key> and aws:TagKeys from Tags, EC2's TagSpecifications, and TagKeys (untagging). */
export function requestTagContext(input: Record<string, unknown>): Record<string, string | string[]> {
  const specs = Array.isArray(input.TagSpecifications) ? (input.TagSpecifications as Array<{ Tags?: unknown }>) : [];
  const tags = [...tagList(input.Tags), ...specs.flatMap((s) => tagList(s?.Tags))];
  const out: Record<string, string | string[]> = {};
  for (const t of tags) if (t.Key) out[`aws:RequestTag/${t.Key}`] = t.Value ?? "";
  const keys = [...new Set([...tags.flatMap((t) => (t.Key ? [t.Key] : [])), ...strings(input.TagKeys)])];
  if (keys.length) out["aws:TagKeys"] = keys;
  return out;
}

/** The IAM action prefix of a service (its signing name, except CloudWatch's). */
export function actionPrefix(service: ServiceName): string {
  return service === "monitoring" ? "cloudwatch" : service;
}
