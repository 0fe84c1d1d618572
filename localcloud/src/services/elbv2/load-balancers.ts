/** CreateLoadBalancer / DescribeLoadBalancers / DeleteLoadBalancer. */
import { createHash } from "node:crypto";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { arnPrefix, digits, elbState, hex, wake, type LoadBalancerRecord, type Tag } from "./state.ts";
import { elbPages, elbTagRules, invalidConfiguration, loadBalancerNotFound, operationNotPermitted, validationError } from "./errors.ts";
import { lookupSubnet, securityGroupVpc, SG_ID, SUBNET_ID } from "./ec2-lookup.ts";
import { validateResourceName } from "./names.ts";
import { checkTags } from "../../core/tags.ts";
import { pageOf } from "../../core/paging.ts";
import { defaultLoadBalancerAttributes } from "./load-balancer-attributes.ts";
import { refreshTargetGroupUsage } from "./health.ts";

/** ALB provisioning time in simulated seconds (AWS takes a few minutes). */
export const PROVISIONING_SECONDS = 150;

/** Route 53 hosted zone ids of ALBs per region (published by AWS). */
const ALB_HOSTED_ZONES: Record<string, string> = {
  "us-east-1": "Z35SXDOTRQ7X7K",
  "us-east-2": "Z3AADJGX6KTTL2",
  "us-west-1": "Z368ELLRRE2KJ0",
  "us-west-2": "Z1H1FL5HABSF5",
  "eu-west-1": "Z32O12XQLNTSW2",
  "eu-west-2": "ZHURV8PSTC4K8",
  "eu-central-1": "Z215JYRZR1TBD5",
  "ap-southeast-1": "Z1LMS91P8CMLE5",
  "ap-southeast-2": "Z1GM3OXH4ZPM65",
  "ap-northeast-1": "Z14GRHDCWA56QT",
};

export function canonicalHostedZoneId(region: string): string {
  return ALB_HOSTED_ZONES[region] ?? "Z35SXDOTRQ7X7K";
}

interface CreateInput {
  Name?: string;
  Subnets?: string[];
  SubnetMappings?: Array<{ SubnetId?: string }>;
  SecurityGroups?: string[];
  Scheme?: string;
  Tags?: Tag[];
  Type?: string;
  IpAddressType?: string;
}

/** Resolve subnets to AZs and the VPC through EC2 when it can tell; otherwise spread them over the region's AZs. */
function placeSubnets(
  ctx: RequestContext,
  subnetIds: string[],
): { vpcId: string; vpcKnown: boolean; zones: Array<{ ZoneName: string; SubnetId: string }> } {
  const letters = "abcdef";
  let vpcId: string | undefined;
  const zones = subnetIds.map((id, i) => {
    if (!SUBNET_ID.test(id)) throw new AwsError("SubnetNotFound", `The subnet ID '${id}' is not valid`, 400);
    const facts = lookupSubnet(ctx.cloud, ctx.region, id);
    if (facts === null) throw new AwsError("SubnetNotFound", `The subnet ID '${id}' is not valid`, 400);
    if (facts?.vpcId) {
      if (vpcId && vpcId !== facts.vpcId) throw invalidConfiguration("The subnets must all be in the same VPC");
      vpcId = facts.vpcId;
    }
    return { ZoneName: facts?.availabilityZone ?? `${ctx.region}${letters[i % letters.length]}`, SubnetId: id };
  });
  const vpcKnown = vpcId !== undefined;
  vpcId ??= `vpc-${createHash("sha256").update(subnetIds[0]).digest("hex").slice(0, 17)}`;
  return { vpcId, vpcKnown, zones };
}

function sameSettings(lb: LoadBalancerRecord, type: string, scheme: string, subnetIds: string[], sgs: string[]): boolean {
  const a = lb.availabilityZones
    .map((z) => z.SubnetId)
    .sort()
    .join();
  return (
    lb.type === type &&
    lb.scheme === scheme &&
    a === [...subnetIds].sort().join() &&
    [...lb.securityGroups].sort().join() === [...sgs].sort().join()
  );
}

export function createLoadBalancer(input: CreateInput, ctx: RequestContext) {
  const s = elbState(ctx.cloud);
  const name = validateResourceName("Load balancer", input.Name);
  const type = (input.Type ?? "application") as LoadBalancerRecord["type"];
  if (!["application", "network", "gateway"].includes(type)) throw validationError(`Load balancer type '${type}' is not valid`);
  const scheme = (input.Scheme ?? "internet-facing") as LoadBalancerRecord["scheme"];
  if (scheme !== "internet-facing" && scheme !== "internal") throw new AwsError("InvalidScheme", `Scheme '${scheme}' is not valid`, 400);
  if (input.Subnets?.length && input.SubnetMappings?.length) throw validationError("You can specify subnets or subnet mappings, not both");
  const subnetIds = input.Subnets?.length ? input.Subnets : (input.SubnetMappings ?? []).map((m) => m.SubnetId ?? "");
  if (subnetIds.length === 0) throw validationError("At least one subnet must be specified");
  const securityGroups = input.SecurityGroups ?? [];
  for (const sg of securityGroups) {
    if (!SG_ID.test(sg)) throw new AwsError("InvalidSecurityGroup", `Security group '${sg}' does not exist`, 400);
  }
  const tags = checkTags(input.Tags, elbTagRules);

  const existing = Object.values(s.loadBalancers).find((lb) => lb.region === ctx.region && lb.name === name);
  if (existing) {
    // CreateLoadBalancer is idempotent: the same settings return the existing load balancer.
    if (sameSettings(existing, type, scheme, subnetIds, securityGroups)) return { LoadBalancers: [toLoadBalancer(existing)] };
    throw new AwsError("DuplicateLoadBalancerName", "A load balancer with the same name exists, but with different settings", 400);
  }

  const { vpcId, vpcKnown, zones } = placeSubnets(ctx, subnetIds);
  const azs = new Set(zones.map((z) => z.ZoneName));
  if (azs.size < zones.length)
    throw invalidConfiguration("A load balancer cannot be attached to multiple subnets in the same Availability Zone");
  if (type === "application" && azs.size < 2)
    throw invalidConfiguration("At least two subnets in two different Availability Zones must be specified");
  for (const sg of securityGroups) {
    const sgVpc = securityGroupVpc(ctx.cloud, ctx.region, sg);
    if (sgVpc === null || (sgVpc && vpcKnown && sgVpc !== vpcId))
      throw new AwsError("InvalidSecurityGroup", `Security group '${sg}' does not exist in VPC '${vpcId}'`, 400);
  }

  const now = ctx.cloud.now();
  const kind = type === "application" ? "app" : type === "network" ? "net" : "gwy";
  const arn = `${arnPrefix(ctx.region, ctx.accountId)}loadbalancer/${kind}/${name}/${hex(16)}`;
  const dnsPrefix = scheme === "internal" ? `internal-${name}` : name;
  const lb: LoadBalancerRecord = {
    arn,
    name,
    region: ctx.region,
    type,
    scheme,
    ipAddressType: input.IpAddressType ?? "ipv4",
    dnsName: `${dnsPrefix}-${digits(10)}.${ctx.region}.elb.amazonaws.com`,
    vpcId,
    vpcKnown,
    securityGroups: type === "application" ? securityGroups : [],
    availabilityZones: zones,
    createdAt: now,
    state: "provisioning",
    activeAt: now + PROVISIONING_SECONDS * 1000,
    attributes: defaultLoadBalancerAttributes(type, scheme),
    tags,
  };
  s.loadBalancers[arn] = lb;
  ctx.cloud.markDirty();
  wake(ctx.cloud);
  return { LoadBalancers: [toLoadBalancer(lb)] };
}

export function toLoadBalancer(lb: LoadBalancerRecord) {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: canonicalHostedZoneId(lb.region),
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: lb.availabilityZones.map((z) => ({ ZoneName: z.ZoneName, SubnetId: z.SubnetId, LoadBalancerAddresses: [] })),
    SecurityGroups: lb.type === "application" ? lb.securityGroups : undefined,
    IpAddressType: lb.ipAddressType,
  };
}

/** A load balancer of the caller's region by ARN, or LoadBalancerNotFound. */
export function requireLoadBalancer(ctx: RequestContext, arn: string | undefined): LoadBalancerRecord {
  const lb = arn ? elbState(ctx.cloud).loadBalancers[arn] : undefined;
  if (!lb || lb.region !== ctx.region) throw loadBalancerNotFound(arn ? `Load balancer '${arn}' not found` : undefined);
  return lb;
}

export function describeLoadBalancers(
  input: { LoadBalancerArns?: string[]; Names?: string[]; Marker?: string; PageSize?: number },
  ctx: RequestContext,
) {
  const all = Object.values(elbState(ctx.cloud).loadBalancers).filter((lb) => lb.region === ctx.region);
  if (input.LoadBalancerArns?.length && input.Names?.length)
    throw validationError("Load balancer names and load balancer ARNs cannot be specified at the same time");
  let selected = all;
  if (input.LoadBalancerArns?.length) {
    selected = input.LoadBalancerArns.map((arn) => requireLoadBalancer(ctx, arn));
  } else if (input.Names?.length) {
    selected = input.Names.map((n) => {
      const lb = all.find((x) => x.name === n);
      if (!lb) throw loadBalancerNotFound(`Load balancers '[${n}]' not found`);
      return lb;
    });
  }
  const { items, next: nextMarker } = pageOf(selected, input.Marker, input.PageSize, elbPages("DescribeLoadBalancers"));
  return { LoadBalancers: items.map(toLoadBalancer), NextMarker: nextMarker };
}

export function deleteLoadBalancer(input: { LoadBalancerArn?: string }, ctx: RequestContext) {
  const s = elbState(ctx.cloud);
  if (!input.LoadBalancerArn) throw validationError("LoadBalancerArn is required");
  const lb = s.loadBalancers[input.LoadBalancerArn];
  // Deleting a load balancer that does not exist succeeds (AWS documents this).
  if (!lb || lb.region !== ctx.region) return {};
  if (lb.attributes["deletion_protection.enabled"] === "true") {
    throw operationNotPermitted(`Load balancer '${lb.arn}' cannot be deleted because deletion protection is enabled`);
  }
  for (const [arn, l] of Object.entries(s.listeners)) if (l.loadBalancerArn === lb.arn) delete s.listeners[arn];
  delete s.loadBalancers[lb.arn];
  refreshTargetGroupUsage(ctx.cloud);
  ctx.cloud.markDirty();
  return {};
}
