/**
 * Load balancer steps, in order:
 *   1. ensureLoadBalancer     (needs ensureNetwork.vpcId/publicSubnetIds, ensureSecurityGroups.albSgId)
 *                             ALB <name>-alb in the public subnets, target groups <name>-blue and
 *                             <name>-green (the spec's health check, 30 s deregistration delay),
 *                             HTTP:80 listener forwarding blue 100 / green 0.
 *   2. waitLoadBalancerActive (bounded poll; needs 1)
 * And the traffic move of rollouts and rollbacks: setListenerWeights (one ModifyListener).
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ModifyListenerCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type ElbAction,
  type LoadBalancer,
  type TargetGroup,
} from "../aws/sdk.ts";
import { isNotFound } from "../aws/errors.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { defineRead, defineStep, SLOTS, tagsOf, type Poll, type Slot, type StepContext, type StepInput } from "./context.ts";
import { APP_PORT } from "./network.ts";

export const DEREGISTRATION_DELAY_SECONDS = 30;

export interface LoadBalancerOutput {
  loadBalancerArn: string;
  dnsName: string;
  listenerArn: string;
  targetGroupArns: Record<Slot, string>;
}

export async function findLoadBalancer(ctx: StepContext): Promise<LoadBalancer | undefined> {
  try {
    return (await ctx.aws.elbv2.send(new DescribeLoadBalancersCommand({ Names: [ctx.names.alb] }))).LoadBalancers?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function findTargetGroup(ctx: StepContext, slot: Slot): Promise<TargetGroup | undefined> {
  try {
    return (await ctx.aws.elbv2.send(new DescribeTargetGroupsCommand({ Names: [ctx.names.targetGroup(slot)] }))).TargetGroups?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export function healthCheckOf(spec: EnvironmentSpec) {
  const hc = spec.healthCheck;
  return {
    HealthCheckProtocol: "HTTP" as const,
    HealthCheckPath: hc.path,
    HealthCheckIntervalSeconds: hc.intervalSeconds,
    HealthCheckTimeoutSeconds: hc.timeoutSeconds,
    HealthyThresholdCount: hc.healthyThreshold,
    UnhealthyThresholdCount: hc.unhealthyThreshold,
  };
}

/** The forward action with these weights (0-999 each). */
export function forwardTo(targetGroupArns: Record<Slot, string>, weights: Record<Slot, number>): ElbAction[] {
  return [{ Type: "forward", ForwardConfig: { TargetGroups: SLOTS.map((slot) => ({ TargetGroupArn: targetGroupArns[slot], Weight: weights[slot] })) } }];
}

export const ensureLoadBalancer = defineStep(
  "create the load balancer",
  async (input: StepInput & { vpcId: string; publicSubnetIds: string[]; albSgId: string }, ctx): Promise<LoadBalancerOutput> => {
    const { aws, names, touch } = ctx;
    let lb = await findLoadBalancer(ctx);
    if (lb?.LoadBalancerArn) touch("elbv2:load-balancer", lb.LoadBalancerArn, "found");
    else {
      lb = (
        await aws.elbv2.send(
          new CreateLoadBalancerCommand({
            Name: names.alb,
            Type: "application",
            Scheme: "internet-facing",
            IpAddressType: "ipv4",
            Subnets: input.publicSubnetIds,
            SecurityGroups: [input.albSgId],
            Tags: tagsOf(input, undefined, { Name: names.alb }),
          }),
        )
      ).LoadBalancers?.[0];
      if (!lb?.LoadBalancerArn) throw new Error("CreateLoadBalancer returned no load balancer");
      touch("elbv2:load-balancer", lb.LoadBalancerArn, "created");
    }

    const hc = healthCheckOf(input.spec);
    const targetGroupArns = {} as Record<Slot, string>;
    for (const slot of SLOTS) {
      let tg = await findTargetGroup(ctx, slot);
      if (tg?.TargetGroupArn) {
        const same = (Object.keys(hc) as Array<keyof typeof hc>).every((k) => tg![k] === hc[k]);
        if (!same) await aws.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn, ...hc }));
        touch("elbv2:target-group", tg.TargetGroupArn, same ? "found" : "updated");
      } else {
        tg = (
          await aws.elbv2.send(
            new CreateTargetGroupCommand({
              Name: names.targetGroup(slot),
              Protocol: "HTTP",
              Port: APP_PORT,
              VpcId: input.vpcId,
              TargetType: "instance",
              ...hc,
              HealthCheckEnabled: true,
              Matcher: { HttpCode: "200-399" },
              Tags: tagsOf(input, slot, { Name: names.targetGroup(slot) }),
            }),
          )
        ).TargetGroups?.[0];
        if (!tg?.TargetGroupArn) throw new Error("CreateTargetGroup returned no target group");
        touch("elbv2:target-group", tg.TargetGroupArn, "created");
      }
      const attrs = (await aws.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }))).Attributes ?? [];
      const delay = attrs.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
      if (delay !== String(DEREGISTRATION_DELAY_SECONDS)) {
        await aws.elbv2.send(
          new ModifyTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn, Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: String(DEREGISTRATION_DELAY_SECONDS) }] }),
        );
      }
      targetGroupArns[slot] = tg.TargetGroupArn!;
    }

    const listeners = (await aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
    let listenerArn = listeners.find((l) => l.Port === 80)?.ListenerArn;
    if (listenerArn) touch("elbv2:listener", listenerArn, "found");
    else {
      const created = await aws.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: lb.LoadBalancerArn,
          Protocol: "HTTP",
          Port: 80,
          DefaultActions: forwardTo(targetGroupArns, { blue: 100, green: 0 }),
          Tags: tagsOf(input, undefined, { Name: `${names.alb}-http` }),
        }),
      );
      listenerArn = created.Listeners?.[0]?.ListenerArn;
      if (!listenerArn) throw new Error("CreateListener returned no listener");
      touch("elbv2:listener", listenerArn, "created");
    }
    return { loadBalancerArn: lb.LoadBalancerArn!, dnsName: lb.DNSName ?? "", listenerArn, targetGroupArns };
  },
);

export const waitLoadBalancerActive = defineRead("wait for the load balancer", async (_input: StepInput, ctx): Promise<Poll<{ state: string; dnsName: string | null }>> => {
  const lb = await findLoadBalancer(ctx);
  const state = lb?.State?.Code ?? "missing";
  if (state === "failed") throw new Error(`Load balancer ${ctx.names.alb} failed to provision: ${lb?.State?.Reason ?? "no reason given"}`);
  return { done: state === "active", detail: { state, dnsName: lb?.DNSName ?? null } };
});

export interface ListenerWeightsInput extends StepInput {
  listenerArn: string;
  blueTg: string;
  greenTg: string;
  weights: Record<Slot, number>;
}

/** Moves traffic: one ModifyListener; new requests follow the new weights at once. */
export const setListenerWeights = defineStep("shift traffic", async (input: ListenerWeightsInput, { aws, touch }): Promise<{ weights: Record<Slot, number> }> => {
  for (const slot of SLOTS) {
    const w = input.weights[slot];
    if (!Number.isInteger(w) || w < 0 || w > 999) throw new Error(`Listener weight for ${slot} must be a whole number 0-999, got ${w}`);
  }
  if (input.weights.blue + input.weights.green === 0) throw new Error("At least one target group needs a weight above 0");
  await aws.elbv2.send(new ModifyListenerCommand({ ListenerArn: input.listenerArn, DefaultActions: forwardTo({ blue: input.blueTg, green: input.greenTg }, input.weights) }));
  touch("elbv2:listener", input.listenerArn, "updated");
  return { weights: input.weights };
});
