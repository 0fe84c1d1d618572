/**
 * Reads an existing stack from the account, for the "Adopt existing stack" lists and for the
 * checks before adopting: load balancers, a load balancer's listeners and where each forwards,
 * and for each target group the Auto Scaling groups that register into it, with their launch
 * templates. Describe calls only: nothing is created or changed here.
 */
import type { AwsClients } from "../aws/clients.ts";
import {
  DescribeElbTagsCommand,
  DescribeListenersCommand,
  DescribeTargetGroupsCommand,
  type AutoScalingGroup,
  type ElbAction,
  type LoadBalancer,
  type TargetGroup,
} from "../aws/sdk.ts";
import { paginateDescribeAutoScalingGroups, paginateDescribeLoadBalancers } from "../aws/sdk.ts";

export interface ListedLoadBalancer {
  arn: string;
  name: string;
  dnsName: string;
  zones: string[];
  tags: Record<string, string>;
}
export interface ListedListener {
  arn: string;
  port: number;
  protocol: string;
  /** The target groups its default action forwards to, with weights (empty: it does not forward). */
  forwardsTo: Array<{ arn: string; weight: number }>;
}
export interface ListedGroup {
  name: string;
  min: number;
  desired: number;
  max: number;
  inService: number;
  /** Null when the group launches from a launch configuration or a mixed instances policy. */
  launchTemplate: { id: string; name: string; version: string } | null;
  launchesFrom: "launch-template" | "launch-configuration" | "mixed-instances-policy" | "none";
  healthCheckGracePeriod: number | null;
}
export interface ListedTargetGroup {
  arn: string;
  name: string;
  weight: number;
  healthCheck: { path: string; intervalSeconds: number; timeoutSeconds: number; healthyThreshold: number; unhealthyThreshold: number };
  groups: ListedGroup[];
}

export async function listLoadBalancers(aws: AwsClients, tag?: { key: string; value: string }): Promise<ListedLoadBalancer[]> {
  const all: LoadBalancer[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: aws.elbv2 }, { PageSize: 100 })) {
    all.push(...(page.LoadBalancers ?? []).filter((l) => l.Type === "application"));
  }
  const tags = new Map<string, Record<string, string>>();
  for (let i = 0; i < all.length; i += 20) {
    const arns = all.slice(i, i + 20).map((l) => l.LoadBalancerArn!);
    const out = await aws.elbv2.send(new DescribeElbTagsCommand({ ResourceArns: arns }));
    for (const d of out.TagDescriptions ?? [])
      tags.set(d.ResourceArn!, Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""])));
  }
  return all
    .map((l) => ({
      arn: l.LoadBalancerArn!,
      name: l.LoadBalancerName ?? "",
      dnsName: l.DNSName ?? "",
      zones: (l.AvailabilityZones ?? []).map((z) => z.ZoneName ?? "").filter(Boolean),
      tags: tags.get(l.LoadBalancerArn!) ?? {},
    }))
    .filter((l) => !tag || l.tags[tag.key] === tag.value)
    .sort((a, b) => a.name.localeCompare(b.name));
}

function forwardsOf(actions: ElbAction[] | undefined): Array<{ arn: string; weight: number }> {
  const forward = actions?.find((a) => a.Type === "forward");
  if (!forward) return [];
  if (forward.ForwardConfig?.TargetGroups?.length)
    return forward.ForwardConfig.TargetGroups.map((t) => ({ arn: t.TargetGroupArn ?? "", weight: t.Weight ?? 1 }));
  return forward.TargetGroupArn ? [{ arn: forward.TargetGroupArn, weight: 1 }] : [];
}

export async function listListeners(aws: AwsClients, loadBalancerArn: string): Promise<ListedListener[]> {
  const out = await aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn }));
  return (out.Listeners ?? [])
    .map((l) => ({ arn: l.ListenerArn!, port: l.Port ?? 0, protocol: l.Protocol ?? "", forwardsTo: forwardsOf(l.DefaultActions) }))
    .sort((a, b) => a.port - b.port);
}

async function allGroups(aws: AwsClients): Promise<AutoScalingGroup[]> {
  const out: AutoScalingGroup[] = [];
  for await (const page of paginateDescribeAutoScalingGroups({ client: aws.autoscaling }, { MaxRecords: 100 })) {
    out.push(...(page.AutoScalingGroups ?? []).filter((g) => g.Status !== "Delete in progress"));
  }
  return out;
}

export function groupView(g: AutoScalingGroup): ListedGroup {
  const lt = g.LaunchTemplate;
  return {
    name: g.AutoScalingGroupName ?? "",
    min: g.MinSize ?? 0,
    desired: g.DesiredCapacity ?? 0,
    max: g.MaxSize ?? 0,
    inService: (g.Instances ?? []).filter((i) => i.LifecycleState === "InService").length,
    launchTemplate: lt?.LaunchTemplateId
      ? { id: lt.LaunchTemplateId, name: lt.LaunchTemplateName ?? lt.LaunchTemplateId, version: lt.Version ?? "$Default" }
      : null,
    launchesFrom: lt
      ? "launch-template"
      : g.MixedInstancesPolicy
        ? "mixed-instances-policy"
        : g.LaunchConfigurationName
          ? "launch-configuration"
          : "none",
    healthCheckGracePeriod: g.HealthCheckGracePeriod ?? null,
  };
}

/** The target groups a listener forwards to, each with the Auto Scaling groups registering into it. */
export async function listTargetGroups(aws: AwsClients, forwardsTo: Array<{ arn: string; weight: number }>): Promise<ListedTargetGroup[]> {
  if (forwardsTo.length === 0) return [];
  const [tgs, groups] = await Promise.all([
    aws.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: forwardsTo.map((f) => f.arn) })),
    allGroups(aws),
  ]);
  const byArn = new Map((tgs.TargetGroups ?? []).map((t: TargetGroup) => [t.TargetGroupArn, t]));
  return forwardsTo.map((f) => {
    const tg = byArn.get(f.arn);
    return {
      arn: f.arn,
      name: tg?.TargetGroupName ?? f.arn,
      weight: f.weight,
      healthCheck: {
        path: tg?.HealthCheckPath ?? "/",
        intervalSeconds: tg?.HealthCheckIntervalSeconds ?? 30,
        timeoutSeconds: tg?.HealthCheckTimeoutSeconds ?? 5,
        healthyThreshold: tg?.HealthyThresholdCount ?? 5,
        unhealthyThreshold: tg?.UnhealthyThresholdCount ?? 2,
      },
      groups: groups.filter((g) => (g.TargetGroupARNs ?? []).includes(f.arn)).map(groupView),
    };
  });
}
