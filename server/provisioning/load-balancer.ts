/**
 * Load balancer steps, in order:
 *   1. ensureLoadBalancer     (needs ensureNetwork.vpcId/publicSubnetIds, ensureSecurityGroups.albSgId)
 *                             ALB <prefix><name>-alb in the public subnets, target groups
 *                             <prefix><name>-blue and -green (the spec's health check, 30 s
 *                             deregistration delay), HTTP:80 listener (and HTTPS:443 with the
 *                             spec's ACM certificate) forwarding blue 100 / green 0; with CloudFront,
 *                             only requests carrying the origin secret (listener-routing.ts).
 *   2. waitLoadBalancerActive (bounded poll; needs 1)
 * And the traffic move of rollouts and rollbacks: setListenerWeights (one change per listener).
 * The load balancer and target groups are found by name and must carry the environment's tag.
 */
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeElbTagsCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type LoadBalancer,
  type TargetGroup,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { isNotFound } from "../aws/errors.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { defineRead, defineStep, SLOTS, tagsOf, type Poll, type Slot, type StepContext, type StepInput } from "./context.ts";
import { applyWeights, ensureRouting, forwardTo, FORBIDDEN } from "./listener-routing.ts";
import { APP_PORT } from "./network.ts";
import { checkOwner } from "./ownership.ts";

export { forwardTo } from "./listener-routing.ts";

export const DEREGISTRATION_DELAY_SECONDS = 30;

export interface LoadBalancerOutput {
  loadBalancerArn: string;
  dnsName: string;
  listenerArn: string;
  targetGroupArns: Record<Slot, string>;
  /** The value CloudFront must send in ORIGIN_HEADER (null without CloudFront). */
  originSecret: string | null;
}

async function checkElbOwner(ctx: StepContext, kind: string, name: string, arn: string) {
  const tags = (await ctx.aws.elbv2.send(new DescribeElbTagsCommand({ ResourceArns: [arn] }))).TagDescriptions?.[0]?.Tags;
  checkOwner(ctx, kind, name, tags);
}

export async function findLoadBalancer(ctx: StepContext): Promise<LoadBalancer | undefined> {
  try {
    const lb = (await ctx.aws.elbv2.send(new DescribeLoadBalancersCommand({ Names: [ctx.names.alb] }))).LoadBalancers?.[0];
    if (lb?.LoadBalancerArn) await checkElbOwner(ctx, "A load balancer", ctx.names.alb, lb.LoadBalancerArn);
    return lb;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function findTargetGroup(ctx: StepContext, slot: Slot): Promise<TargetGroup | undefined> {
  try {
    const tg = (await ctx.aws.elbv2.send(new DescribeTargetGroupsCommand({ Names: [ctx.names.targetGroup(slot)] }))).TargetGroups?.[0];
    if (tg?.TargetGroupArn) await checkElbOwner(ctx, "A target group", ctx.names.targetGroup(slot), tg.TargetGroupArn);
    return tg;
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
      const tgArn = tg.TargetGroupArn;
      const attrs =
        (await afterCreate(() => aws.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tgArn })))).Attributes ?? [];
      const delay = attrs.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value;
      if (delay !== String(DEREGISTRATION_DELAY_SECONDS)) {
        await aws.elbv2.send(
          new ModifyTargetGroupAttributesCommand({
            TargetGroupArn: tg.TargetGroupArn,
            Attributes: [{ Key: "deregistration_delay.timeout_seconds", Value: String(DEREGISTRATION_DELAY_SECONDS) }],
          }),
        );
      }
      targetGroupArns[slot] = tg.TargetGroupArn!;
    }

    const lbArn = lb.LoadBalancerArn!;
    // Right after a create the new ARN may not be visible yet: retried, bounded.
    const listeners = (await afterCreate(() => aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn })))).Listeners ?? [];
    const wanted = [
      { port: 80, protocol: "HTTP" as const },
      ...(input.spec.certificateArn ? [{ port: 443, protocol: "HTTPS" as const, certificateArn: input.spec.certificateArn }] : []),
    ];
    let listenerArn = "";
    let originSecret: string | null = null;
    for (const want of wanted) {
      let listener = listeners.find((l) => l.Port === want.port);
      if (listener?.ListenerArn) touch("elbv2:listener", listener.ListenerArn, "found");
      else {
        const created = await aws.elbv2.send(
          new CreateListenerCommand({
            LoadBalancerArn: lbArn,
            Protocol: want.protocol,
            Port: want.port,
            ...("certificateArn" in want
              ? { Certificates: [{ CertificateArn: want.certificateArn }], SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }
              : {}),
            // With CloudFront, nothing is forwarded until the origin rule exists (below).
            DefaultActions: input.spec.cloudfront ? FORBIDDEN : forwardTo(targetGroupArns, { blue: 100, green: 0 }),
            Tags: tagsOf(input, undefined, { Name: `${names.alb}-${want.protocol.toLowerCase()}` }),
          }),
        );
        listener = created.Listeners?.[0];
        if (!listener?.ListenerArn) throw new Error("CreateListener returned no listener");
        touch("elbv2:listener", listener.ListenerArn, "created");
      }
      // Every listener shares one secret: CloudFront sends one header.
      const secret = await ensureRouting(
        ctx,
        { envId: input.envId, cloudfront: input.spec.cloudfront, secret: originSecret },
        listener,
        targetGroupArns,
      );
      originSecret ??= secret;
      if (want.port === 80) listenerArn = listener.ListenerArn!;
    }
    return { loadBalancerArn: lbArn, dnsName: lb.DNSName ?? "", listenerArn, targetGroupArns, originSecret };
  },
);

export const waitLoadBalancerActive = defineRead(
  "wait for the load balancer",
  async (_input: StepInput, ctx): Promise<Poll<{ state: string; dnsName: string | null }>> => {
    const lb = await findLoadBalancer(ctx);
    const state = lb?.State?.Code ?? "missing";
    if (state === "failed")
      throw new Error(`Load balancer ${ctx.names.alb} failed to provision: ${lb?.State?.Reason ?? "no reason given"}`);
    return { done: state === "active", detail: { state, dnsName: lb?.DNSName ?? null } };
  },
);

export interface ListenerWeightsInput extends StepInput {
  listenerArn: string;
  blueTg: string;
  greenTg: string;
  weights: Record<Slot, number>;
  /** Target group stickiness for this long (canary steps only); off when absent. */
  stickySeconds?: number;
}

/** Moves traffic: one ModifyListener; new requests follow the new weights at once. */
export const setListenerWeights = defineStep(
  "shift traffic",
  async (input: ListenerWeightsInput, ctx): Promise<{ weights: Record<Slot, number> }> => {
    for (const slot of SLOTS) {
      const w = input.weights[slot];
      if (!Number.isInteger(w) || w < 0 || w > 999) throw new Error(`Listener weight for ${slot} must be a whole number 0-999, got ${w}`);
    }
    if (input.weights.blue + input.weights.green === 0) throw new Error("At least one target group needs a weight above 0");
    await applyWeights(ctx, input.listenerArn, { blue: input.blueTg, green: input.greenTg }, input.weights, input.stickySeconds);
    return { weights: input.weights };
  },
);
