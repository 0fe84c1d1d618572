/**
 * readStack: everything an environment has in AWS, read back by tag and stable name into
 * one plain object (the page, drift checks and rollouts use it; nothing is cached).
 */
import {
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeListenersCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetHealthCommand,
  DescribeVpcsCommand,
  DescribePoliciesCommand,
} from "../aws/sdk.ts";
import { isNotFound } from "../aws/errors.ts";
import { allAlarmNames, describeAlarms } from "./alarms.ts";
import { defineRead, envFilter, type Slot, type StepContext, type StepInput } from "./context.ts";
import { readDatabase } from "./database.ts";
import { readCache, type CacheView } from "./cache-view.ts";
import { findDistribution } from "./distribution.ts";
import { findFleet } from "./fleet.ts";
import { listRules, originRuleOf, weightsOf } from "./listener-routing.ts";
import { findLoadBalancer, findTargetGroup } from "./load-balancer.ts";

export interface TargetGroupView {
  arn: string;
  name: string;
  healthCheck: {
    path: string | null;
    intervalSeconds: number | null;
    timeoutSeconds: number | null;
    healthyThreshold: number | null;
    unhealthyThreshold: number | null;
  };
  deregistrationDelaySeconds: number | null;
  targets: { healthy: number; unhealthy: number; initial: number; draining: number; other: number; total: number };
}

export interface FleetView {
  name: string;
  min: number;
  desired: number;
  max: number;
  inService: number;
  instanceIds: string[];
  instances: Array<{ id: string; lifecycleState: string; health: string | null; launchTemplateVersion: number | null }>;
  launchTemplateVersion: number | null;
  /**
   * What the in-service instances actually run, per launch template version: the app version
   * comes from that template version (its `switchyard:version` instance tag, else its
   * description), never from the last operation's label.
   */
  versions: Array<{ launchTemplateVersion: number | null; appVersion: string | null; instances: number }>;
  /** The app version every in-service instance runs, or null when none is in service or they differ. */
  servingVersion: string | null;
  /** From the launch template version the group uses. */
  instanceType: string | null;
  healthCheckGracePeriod: number | null;
  scaling: { metric: string; target: number } | null;
  status: string | null;
}

export interface Stack {
  envId: string;
  name: string;
  /** The prefix of the stack's AWS names ("" for environments from before prefixes). */
  namePrefix: string;
  region: string;
  network: {
    vpcId: string;
    cidr: string | null;
    publicSubnetIds: string[];
    privateSubnetIds: string[];
    internetGatewayId: string | null;
    routeTableId: string | null;
    /** The NAT gateways of the way out (none in the "public" network mode). */
    natGateways: Array<{ id: string; zone: string | null; state: string; publicIp: string | null }>;
  } | null;
  securityGroups: { alb: string | null; app: string | null; db: string | null };
  loadBalancer: {
    arn: string;
    dnsName: string;
    state: string;
    listenerArn: string | null;
    weights: Record<Slot, number> | null;
    /** Only CloudFront reaches it (the default action answers 403; a rule checks the origin header). */
    cloudfrontOnly: boolean;
    https: boolean;
  } | null;
  targetGroups: Record<Slot, TargetGroupView | null>;
  fleets: Record<Slot, FleetView | null>;
  database: {
    identifier: string;
    status: string;
    engine: string | null;
    instanceClass: string | null;
    storageGb: number | null;
    multiAz: boolean;
    availabilityZone: string | null;
    secondaryAvailabilityZone: string | null;
    endpoint: string | null;
    secretArn: string | null;
    deletionProtection: boolean;
    encrypted: boolean;
  } | null;
  /** The ElastiCache replication group (absent on stacks read before caches existed). */
  cache?: CacheView | null;
  distribution: { id: string; domainName: string; status: string; enabled: boolean } | null;
  alarms: Array<{ name: string; state: string; reason: string | null }>;
}

async function readNetwork(ctx: StepContext, envId: string): Promise<Stack["network"]> {
  const vpc = (await ctx.aws.ec2.send(new DescribeVpcsCommand({ Filters: [envFilter(envId)] }))).Vpcs?.[0];
  if (!vpc?.VpcId) return null;
  const inVpc = [{ Name: "vpc-id", Values: [vpc.VpcId] }, envFilter(envId)];
  const [subnets, igws, tables, nats] = await Promise.all([
    ctx.aws.ec2.send(new DescribeSubnetsCommand({ Filters: inVpc })),
    ctx.aws.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [envFilter(envId)] })),
    ctx.aws.ec2.send(new DescribeRouteTablesCommand({ Filters: inVpc })),
    ctx.aws.ec2.send(new DescribeNatGatewaysCommand({ Filter: [envFilter(envId)] })),
  ]);
  const tier = (t: string) =>
    (subnets.Subnets ?? []).filter((s) => s.Tags?.some((x) => x.Key === "switchyard:tier" && x.Value === t)).map((s) => s.SubnetId!);
  return {
    vpcId: vpc.VpcId,
    cidr: vpc.CidrBlock ?? null,
    publicSubnetIds: tier("public"),
    privateSubnetIds: tier("private"),
    internetGatewayId: igws.InternetGateways?.[0]?.InternetGatewayId ?? null,
    routeTableId:
      (tables.RouteTables ?? []).find((t) => (t.Tags?.find((x) => x.Key === "switchyard:tier")?.Value ?? "public") === "public")
        ?.RouteTableId ?? null,
    natGateways: (nats.NatGateways ?? [])
      .filter((n) => n.State !== "deleted")
      .map((n) => ({
        id: n.NatGatewayId ?? "",
        zone: n.Tags?.find((t) => t.Key === "switchyard:zone")?.Value ?? null,
        state: n.State ?? "unknown",
        publicIp: n.NatGatewayAddresses?.[0]?.PublicIp ?? null,
      })),
  };
}

async function readTargetGroup(ctx: StepContext, slot: Slot): Promise<TargetGroupView | null> {
  const tg = await findTargetGroup(ctx, slot);
  if (!tg?.TargetGroupArn) return null;
  const [health, attrs] = await Promise.all([
    ctx.aws.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg.TargetGroupArn })),
    ctx.aws.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn })),
  ]);
  const states = (health.TargetHealthDescriptions ?? []).map((t) => t.TargetHealth?.State ?? "unknown");
  const count = (s: string) => states.filter((x) => x === s).length;
  const delay = attrs.Attributes?.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
  return {
    arn: tg.TargetGroupArn,
    name: tg.TargetGroupName ?? ctx.names.targetGroup(slot),
    healthCheck: {
      path: tg.HealthCheckPath ?? null,
      intervalSeconds: tg.HealthCheckIntervalSeconds ?? null,
      timeoutSeconds: tg.HealthCheckTimeoutSeconds ?? null,
      healthyThreshold: tg.HealthyThresholdCount ?? null,
      unhealthyThreshold: tg.UnhealthyThresholdCount ?? null,
    },
    deregistrationDelaySeconds: delay === undefined ? null : Number(delay),
    targets: {
      healthy: count("healthy"),
      unhealthy: count("unhealthy"),
      initial: count("initial"),
      draining: count("draining"),
      other: states.length - count("healthy") - count("unhealthy") - count("initial") - count("draining"),
      total: states.length,
    },
  };
}

/** The app version each launch template version runs: its instance tag `switchyard:version`, else its description "<version> (<slot>)". */
async function appVersionsOf(
  ctx: StepContext,
  lt: { LaunchTemplateId?: string; LaunchTemplateName?: string } | undefined,
  numbers: number[],
): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (!lt || numbers.length === 0) return out;
  const res = await ctx.aws.ec2
    .send(
      new DescribeLaunchTemplateVersionsCommand({
        ...(lt.LaunchTemplateId ? { LaunchTemplateId: lt.LaunchTemplateId } : { LaunchTemplateName: lt.LaunchTemplateName }),
        Versions: numbers.map(String),
      }),
    )
    .catch((err) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
  for (const v of res?.LaunchTemplateVersions ?? []) {
    const tag = v.LaunchTemplateData?.TagSpecifications?.find((t) => t.ResourceType === "instance")?.Tags?.find(
      (t) => t.Key === "switchyard:version",
    )?.Value;
    const fromDescription = /^(\S+) \((?:blue|green)\)$/.exec(v.VersionDescription ?? "")?.[1];
    const app = tag ?? fromDescription;
    if (v.VersionNumber !== undefined && app) out.set(v.VersionNumber, app);
  }
  return out;
}

async function readFleet(ctx: StepContext, slot: Slot): Promise<FleetView | null> {
  const group = await findFleet(ctx, slot);
  if (!group) return null;
  const lt = group.LaunchTemplate;
  const version = Number(lt?.Version ?? NaN);
  const [templateVersion, policies] = await Promise.all([
    lt && Number.isFinite(version)
      ? ctx.aws.ec2
          .send(
            new DescribeLaunchTemplateVersionsCommand({
              ...(lt.LaunchTemplateId ? { LaunchTemplateId: lt.LaunchTemplateId } : { LaunchTemplateName: lt.LaunchTemplateName }),
              Versions: [String(version)],
            }),
          )
          .catch((err) => {
            if (isNotFound(err)) return undefined;
            throw err;
          })
      : undefined,
    ctx.aws.autoscaling.send(
      new DescribePoliciesCommand({
        AutoScalingGroupName: ctx.names.asg(slot),
        // An adopted group's policies have names of their own: read them all (the target tracking one is used).
        ...(ctx.names.adopted ? { PolicyTypes: ["TargetTrackingScaling"] } : { PolicyNames: [ctx.names.scalingPolicy(slot)] }),
      }),
    ),
  ]);
  const inService = (group.Instances ?? []).filter((i) => i.LifecycleState === "InService");
  const counts = new Map<number | null, number>();
  for (const i of inService) {
    const v = Number(i.LaunchTemplate?.Version ?? NaN);
    const key = Number.isFinite(v) ? v : null;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const appVersionOf = await appVersionsOf(
    ctx,
    lt,
    [...counts.keys()].filter((v): v is number => v !== null),
  );
  const versions = [...counts].map(([v, n]) => ({
    launchTemplateVersion: v,
    appVersion: v === null ? null : (appVersionOf.get(v) ?? null),
    instances: n,
  }));
  const distinct = new Set(versions.map((v) => v.appVersion));
  const tt = policies.ScalingPolicies?.[0]?.TargetTrackingConfiguration;
  const metricType = tt?.PredefinedMetricSpecification?.PredefinedMetricType;
  return {
    name: group.AutoScalingGroupName ?? ctx.names.asg(slot),
    min: group.MinSize ?? 0,
    desired: group.DesiredCapacity ?? 0,
    max: group.MaxSize ?? 0,
    inService: inService.length,
    instanceIds: (group.Instances ?? []).map((i) => i.InstanceId!).filter(Boolean),
    instances: (group.Instances ?? []).map((i) => ({
      id: i.InstanceId ?? "",
      lifecycleState: i.LifecycleState ?? "unknown",
      health: i.HealthStatus ?? null,
      launchTemplateVersion:
        i.LaunchTemplate?.Version && Number.isFinite(Number(i.LaunchTemplate.Version)) ? Number(i.LaunchTemplate.Version) : null,
    })),
    launchTemplateVersion: Number.isFinite(version) ? version : null,
    versions,
    servingVersion: distinct.size === 1 ? [...distinct][0] : null,
    instanceType: templateVersion?.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.InstanceType ?? null,
    healthCheckGracePeriod: group.HealthCheckGracePeriod ?? null,
    scaling:
      tt && metricType
        ? {
            metric:
              metricType === "ASGAverageCPUUtilization"
                ? "cpu"
                : metricType === "ALBRequestCountPerTarget"
                  ? "requests_per_target"
                  : metricType,
            target: tt.TargetValue ?? 0,
          }
        : null,
    status: group.Status ?? null,
  };
}

async function readLoadBalancer(ctx: StepContext, targetGroups: Stack["targetGroups"]): Promise<Stack["loadBalancer"]> {
  const lb = await findLoadBalancer(ctx);
  if (!lb?.LoadBalancerArn) return null;
  const listeners = (await ctx.aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
  // An adopted stack's listener is the one its record names (any port); Switchyard's own listens on 80.
  const adoptedListener = ctx.names.adopted?.listenerArn;
  const listener = listeners.find((l) => (adoptedListener ? l.ListenerArn === adoptedListener : l.Port === 80));
  const origin = listener?.ListenerArn ? originRuleOf(await listRules(ctx, listener.ListenerArn)) : undefined;
  const arns = { blue: targetGroups.blue?.arn, green: targetGroups.green?.arn };
  return {
    arn: lb.LoadBalancerArn,
    dnsName: lb.DNSName ?? "",
    state: lb.State?.Code ?? "unknown",
    listenerArn: listener?.ListenerArn ?? null,
    // With CloudFront the forward lives in the origin rule; the default action is a 403.
    weights: listener ? (weightsOf(origin?.rule.Actions ?? listener.DefaultActions, arns) ?? { blue: 0, green: 0 }) : null,
    cloudfrontOnly: !!origin && listener?.DefaultActions?.[0]?.Type === "fixed-response",
    https: listeners.some((l) => l.Port === 443 && l.Protocol === "HTTPS"),
  };
}

export const readStack = defineRead("read the stack", async (input: StepInput, ctx): Promise<Stack> => {
  const { envId, spec } = input;
  const [network, blueTg, greenTg, blue, green, database, dist, alarms, cdnAlarms, cache] = await Promise.all([
    readNetwork(ctx, envId),
    readTargetGroup(ctx, "blue"),
    readTargetGroup(ctx, "green"),
    readFleet(ctx, "blue"),
    readFleet(ctx, "green"),
    readDatabase(ctx),
    findDistribution(ctx),
    describeAlarms(
      ctx.aws.cloudwatch,
      allAlarmNames({ name: spec.name, namePrefix: ctx.names.prefix }).filter((n) => !n.endsWith("cdn-5xx-rate")),
    ),
    describeAlarms(
      ctx.aws.cloudwatchGlobal,
      allAlarmNames({ name: spec.name, namePrefix: ctx.names.prefix }).filter((n) => n.endsWith("cdn-5xx-rate")),
    ),
    // Only an environment with a cache reads one: fewer calls, and no ElastiCache permission needed without.
    spec.cache ? readCache(ctx) : Promise.resolve(undefined),
  ]);
  const targetGroups = { blue: blueTg, green: greenTg };
  const sgs = network
    ? ((
        await ctx.aws.ec2.send(
          new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [network.vpcId] }, envFilter(envId)] }),
        )
      ).SecurityGroups ?? [])
    : [];
  const sg = (role: "alb" | "app" | "db") => sgs.find((g) => g.GroupName === ctx.names.sg(role))?.GroupId ?? null;
  const seen = new Set<string>();
  return {
    envId,
    name: spec.name,
    namePrefix: ctx.names.prefix,
    region: spec.region,
    network,
    securityGroups: { alb: sg("alb"), app: sg("app"), db: sg("db") },
    loadBalancer: await readLoadBalancer(ctx, targetGroups),
    targetGroups,
    fleets: { blue, green },
    database,
    cache,
    distribution: dist?.Id
      ? {
          id: dist.Id,
          domainName: dist.DomainName ?? "",
          status: dist.Status ?? "unknown",
          enabled: dist.DistributionConfig?.Enabled ?? false,
        }
      : null,
    alarms: [...alarms, ...cdnAlarms]
      .filter((a) => a.AlarmName && !seen.has(a.AlarmName) && seen.add(a.AlarmName))
      .map((a) => ({ name: a.AlarmName!, state: a.StateValue ?? "INSUFFICIENT_DATA", reason: a.StateReason ?? null })),
  };
});
