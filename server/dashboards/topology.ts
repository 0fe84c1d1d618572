/**
 * The topology picture's live state: listener weights, target health per group, group
 * capacities, the database's primary and standby AZ. A handful of Describe calls, made once
 * per refresh window with the metrics and shared by every viewer.
 */
import type { AwsClients } from "../aws/clients.ts";
import {
  DescribeAutoScalingGroupsCommand,
  DescribeDBInstancesCommand,
  DescribeListenersCommand,
  DescribeReplicationGroupsCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  type ReplicationGroup,
} from "../aws/sdk.ts";
import { isNotFound, isThrottling } from "../aws/errors.ts";
import { originRuleOf, weightsOf } from "../provisioning/listener-routing.ts";
import type { Stack } from "../provisioning/read-stack.ts";
import { SLOTS } from "./query.ts";
import type { PanelStatus, Slot, TopologyView } from "./types.ts";

export function statusOfError(err: unknown): PanelStatus {
  if (isThrottling(err)) return { kind: "throttled", message: "CloudWatch/AWS throttled this request; showing the last data." };
  const msg = err instanceof Error ? err.message : String(err);
  return { kind: "error", message: msg.slice(0, 300) };
}

export async function readTopology(
  aws: AwsClients,
  stack: Stack,
  liveSlot: Slot,
  names: { asg: (s: Slot) => string; db: string },
): Promise<TopologyView> {
  const lbArn = stack.loadBalancer?.arn ?? null;
  const [listeners, health, groups, db, cache] = await Promise.all([
    lbArn
      ? aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn })).catch((e) => (isNotFound(e) ? null : Promise.reject(e)))
      : null,
    Promise.all(
      SLOTS.map((s) => {
        const arn = stack.targetGroups[s]?.arn;
        return arn
          ? aws.elbv2
              .send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }))
              .catch((e) => (isNotFound(e) ? null : Promise.reject(e)))
          : null;
      }),
    ),
    aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: SLOTS.map(names.asg) })),
    stack.database
      ? aws.rds
          .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: stack.database.identifier }))
          .catch((e) => (isNotFound(e) ? null : Promise.reject(e)))
      : null,
    stack.cache
      ? aws.elasticache
          .send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: stack.cache.id }))
          .catch((e) => (isNotFound(e) ? null : Promise.reject(e)))
      : null,
  ]);
  // The weighted forward is the listener's default action, or (CloudFront-only load balancers)
  // the origin rule's action while the default answers 403.
  const listener = listeners?.Listeners?.find((l) => l.Port === 80);
  const arns = { blue: stack.targetGroups.blue?.arn, green: stack.targetGroups.green?.arn };
  let weights = weightsOf(listener?.DefaultActions, arns);
  if (!weights && listener?.ListenerArn) {
    const rules =
      (
        await aws.elbv2
          .send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))
          .catch((e) => (isNotFound(e) ? null : Promise.reject(e)))
      )?.Rules ?? [];
    weights = weightsOf(originRuleOf(rules)?.rule.Actions, arns);
  }
  const total = weights ? weights.blue + weights.green : 0;
  const pct =
    weights && total > 0
      ? { blue: Math.round((100 * weights.blue) / total), green: 100 - Math.round((100 * weights.blue) / total) }
      : weights;
  const fleet = (s: Slot) => {
    const g = groups.AutoScalingGroups?.find((x) => x.AutoScalingGroupName === names.asg(s));
    if (!g) return null;
    const inst = g.Instances ?? [];
    return {
      name: g.AutoScalingGroupName!,
      desired: g.DesiredCapacity ?? 0,
      min: g.MinSize ?? 0,
      max: g.MaxSize ?? 0,
      inService: inst.filter((i) => i.LifecycleState === "InService").length,
      pending: inst.filter((i) => i.LifecycleState?.startsWith("Pending")).length,
    };
  };
  const tg = (i: number) => {
    const h = health[i];
    if (!h) return null;
    const states = (h.TargetHealthDescriptions ?? []).map((d) => d.TargetHealth?.State);
    return {
      healthy: states.filter((x) => x === "healthy").length,
      unhealthy: states.filter((x) => x === "unhealthy").length,
      total: states.length,
    };
  };
  const d = db?.DBInstances?.[0];
  return {
    distribution: stack.distribution
      ? { id: stack.distribution.id, status: stack.distribution.status, enabled: stack.distribution.enabled }
      : null,
    loadBalancer: stack.loadBalancer
      ? { name: stack.loadBalancer.dnsName.split(".")[0] || "alb", state: stack.loadBalancer.state, weights: pct }
      : null,
    targetGroups: { blue: tg(0), green: tg(1) },
    fleets: { blue: fleet("blue"), green: fleet("green") },
    database: d
      ? {
          identifier: d.DBInstanceIdentifier ?? names.db,
          status: d.DBInstanceStatus ?? "unknown",
          multiAz: d.MultiAZ ?? false,
          primaryAz: d.AvailabilityZone ?? null,
          standbyAz: d.SecondaryAvailabilityZone ?? null,
        }
      : null,
    cache: cacheOf(cache?.ReplicationGroups?.[0]),
    liveSlot,
    status: { kind: "ok" },
  };
}

/** The cache's nodes by role, as its node group says now (a failover swaps them). */
function cacheOf(rg: ReplicationGroup | undefined): TopologyView["cache"] {
  if (!rg) return null;
  const members = rg.NodeGroups?.[0]?.NodeGroupMembers ?? [];
  const node = (m: (typeof members)[number]) => ({ id: m.CacheClusterId ?? "?", az: m.PreferredAvailabilityZone ?? null });
  const primary = members.find((m) => m.CurrentRole === "primary");
  return {
    id: rg.ReplicationGroupId ?? "?",
    status: rg.Status ?? "unknown",
    multiAz: rg.MultiAZ === "enabled",
    primary: primary ? node(primary) : null,
    replicas: members.filter((m) => m !== primary).map(node),
  };
}
