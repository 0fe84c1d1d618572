/** Attach/DetachLoadBalancerTargetGroups: in-service members are (de)registered right away. */
import type { RequestContext } from "../../core/types.ts";
import { checkTargetGroups } from "./group-config.ts";
import { deregisterInstance, registerInstance } from "./integrations.ts";
import { findGroup, validationError } from "./state.ts";

export function attachLoadBalancerTargetGroups(input: { AutoScalingGroupName?: string; TargetGroupARNs?: string[] }, ctx: RequestContext) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const arns = input.TargetGroupARNs ?? [];
  if (arns.length === 0) throw validationError("TargetGroupARNs is required.");
  checkTargetGroups(ctx.cloud, arns);
  for (const arn of arns) {
    if (group.TargetGroupARNs.includes(arn)) continue;
    group.TargetGroupARNs.push(arn);
    for (const member of group.Instances.filter((m) => m.LifecycleState === "InService")) {
      if (registerInstance(ctx.cloud, ctx.region, arn, member.InstanceId)) member.registeredTargetGroups.push(arn);
    }
  }
  ctx.cloud.markDirty();
  return {};
}

export function detachLoadBalancerTargetGroups(input: { AutoScalingGroupName?: string; TargetGroupARNs?: string[] }, ctx: RequestContext) {
  const group = findGroup(ctx.cloud, ctx.region, input.AutoScalingGroupName);
  const arns = input.TargetGroupARNs ?? [];
  for (const arn of arns) {
    if (!group.TargetGroupARNs.includes(arn)) continue;
    group.TargetGroupARNs = group.TargetGroupARNs.filter((a) => a !== arn);
    for (const member of group.Instances) {
      if (!member.registeredTargetGroups.includes(arn)) continue;
      deregisterInstance(ctx.cloud, ctx.region, arn, member.InstanceId);
      member.registeredTargetGroups = member.registeredTargetGroups.filter((a) => a !== arn);
    }
  }
  ctx.cloud.markDirty();
  return {};
}
