/** CreateListener / DescribeListeners / ModifyListener / DeleteListener (rules, the default one included, are in rules.ts). */
import { AwsError, type RequestContext, type ModelDocument } from "../../core/types.ts";
import { arnPrefix, elbState, hex, type ActionRecord, type ListenerRecord, type LoadBalancerRecord, type Tag } from "./state.ts";
import { elbPages, elbTagRules, invalidConfiguration, listenerNotFound, targetGroupNotFound, validationError } from "./errors.ts";
import { normaliseActions, targetGroupArnsOfActions } from "./actions.ts";
import { requireLoadBalancer } from "./load-balancers.ts";
import { loadBalancersUsing } from "./target-groups.ts";
import { refreshTargetGroupUsage } from "./health.ts";
import { checkTags } from "../../core/tags.ts";
import { pageOf } from "../../core/paging.ts";

const MAX_LISTENERS = 50;
const DEFAULT_SSL_POLICY = "ELBSecurityPolicy-2016-08";

interface ListenerInput {
  Port?: number;
  Protocol?: string;
  SslPolicy?: string;
  Certificates?: Array<{ CertificateArn?: string; IsDefault?: boolean }>;
  DefaultActions?: Array<ModelDocument>;
  AlpnPolicy?: string[];
}

/**
 * Every forwarded-to group must exist, speak HTTP(S), share the VPC and not belong to another
 * load balancer. Listener default actions and rule actions both go through here.
 */
export function checkForwardTargets(ctx: RequestContext, lb: LoadBalancerRecord, actions: ActionRecord[]) {
  const s = elbState(ctx.cloud);
  for (const arn of targetGroupArnsOfActions(actions)) {
    const tg = s.targetGroups[arn];
    if (!tg || tg.region !== ctx.region) throw targetGroupNotFound(`Target groups '${arn}' not found`);
    if (lb.type === "application" && tg.protocol !== "HTTP" && tg.protocol !== "HTTPS") {
      throw new AwsError(
        "IncompatibleProtocols",
        `The target group protocol '${tg.protocol}' is not compatible with an Application Load Balancer`,
        400,
      );
    }
    if (lb.vpcKnown && tg.vpcId !== lb.vpcId) {
      throw invalidConfiguration(`The target group '${arn}' and the load balancer '${lb.arn}' must be in the same VPC`);
    }
    const others = loadBalancersUsing(s, arn).filter((a) => a !== lb.arn);
    if (others.length > 0) {
      throw new AwsError(
        "TargetGroupAssociationLimit",
        `The following target groups cannot be associated with more than one load balancer: ${arn}`,
        400,
      );
    }
  }
}

function checkProtocolAndPort(lb: LoadBalancerRecord, input: ListenerInput) {
  if (input.Port === undefined) throw validationError("A listener port must be specified");
  if (!Number.isInteger(input.Port) || input.Port < 1 || input.Port > 65535)
    throw validationError(`Listener port '${input.Port}' must be between 1 and 65535`);
  if (!input.Protocol) throw validationError("A listener protocol must be specified");
  if (lb.type === "application" && input.Protocol !== "HTTP" && input.Protocol !== "HTTPS") {
    throw new AwsError("UnsupportedProtocol", `Protocol '${input.Protocol}' is not supported by Application Load Balancers`, 400);
  }
  if (input.Protocol === "HTTPS" && !input.Certificates?.length)
    throw new AwsError("CertificateNotFound", "A certificate must be specified for HTTPS listeners", 400);
}

export function toListener(l: ListenerRecord) {
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.loadBalancerArn,
    Port: l.port,
    Protocol: l.protocol,
    Certificates: l.certificates,
    SslPolicy: l.sslPolicy,
    DefaultActions: l.defaultActions,
    AlpnPolicy: l.alpnPolicy,
  };
}

export function createListener(input: ListenerInput & { LoadBalancerArn?: string; Tags?: Tag[] }, ctx: RequestContext) {
  const s = elbState(ctx.cloud);
  const lb = requireLoadBalancer(ctx, input.LoadBalancerArn);
  checkProtocolAndPort(lb, input);
  const actions = normaliseActions(input.DefaultActions);
  const tags = checkTags(input.Tags, elbTagRules);
  const siblings = Object.values(s.listeners).filter((l) => l.loadBalancerArn === lb.arn);
  const samePort = siblings.find((l) => l.port === input.Port);
  if (samePort) {
    // CreateListener is idempotent: the same settings return the existing listener.
    if (samePort.protocol === input.Protocol && JSON.stringify(samePort.defaultActions) === JSON.stringify(actions))
      return { Listeners: [toListener(samePort)] };
    throw new AwsError("DuplicateListener", "A listener already exists on this port for this load balancer", 400);
  }
  if (siblings.length >= MAX_LISTENERS)
    throw new AwsError("TooManyListeners", `You've reached the limit of ${MAX_LISTENERS} listeners per load balancer`, 400);
  checkForwardTargets(ctx, lb, actions);
  const lbPath = lb.arn.slice(lb.arn.indexOf(":loadbalancer/") + ":loadbalancer/".length);
  const listenerHex = hex(16);
  const prefix = arnPrefix(ctx.region, ctx.accountId);
  const listener: ListenerRecord = {
    arn: `${prefix}listener/${lbPath}/${listenerHex}`,
    loadBalancerArn: lb.arn,
    region: ctx.region,
    port: input.Port!,
    protocol: input.Protocol!,
    sslPolicy: input.Protocol === "HTTPS" ? (input.SslPolicy ?? DEFAULT_SSL_POLICY) : undefined,
    certificates: input.Protocol === "HTTPS" ? input.Certificates?.map((c) => ({ CertificateArn: c.CertificateArn })) : undefined,
    alpnPolicy: input.AlpnPolicy,
    defaultActions: actions,
    defaultRuleArn: `${prefix}listener-rule/${lbPath}/${listenerHex}/${hex(16)}`,
    tags,
    ruleTags: [],
    rules: [],
  };
  s.listeners[listener.arn] = listener;
  refreshTargetGroupUsage(ctx.cloud);
  ctx.cloud.markDirty();
  return { Listeners: [toListener(listener)] };
}

export function requireListener(ctx: RequestContext, arn: string | undefined): ListenerRecord {
  const l = arn ? elbState(ctx.cloud).listeners[arn] : undefined;
  if (!l || l.region !== ctx.region) throw listenerNotFound(arn ? `Listener '${arn}' not found` : undefined);
  return l;
}

export function describeListeners(
  input: { LoadBalancerArn?: string; ListenerArns?: string[]; Marker?: string; PageSize?: number },
  ctx: RequestContext,
) {
  const s = elbState(ctx.cloud);
  if (input.LoadBalancerArn && input.ListenerArns?.length)
    throw validationError("Listener ARNs and a load balancer ARN cannot be specified at the same time");
  let selected: ListenerRecord[];
  if (input.ListenerArns?.length) selected = input.ListenerArns.map((arn) => requireListener(ctx, arn));
  else if (input.LoadBalancerArn) {
    const lb = requireLoadBalancer(ctx, input.LoadBalancerArn);
    selected = Object.values(s.listeners).filter((l) => l.loadBalancerArn === lb.arn);
  } else throw validationError("You must specify either listener ARNs or a load balancer ARN");
  const { items, next: nextMarker } = pageOf(selected, input.Marker, input.PageSize, elbPages("DescribeListeners"));
  return { Listeners: items.map(toListener), NextMarker: nextMarker };
}

export function modifyListener(input: ListenerInput & { ListenerArn?: string }, ctx: RequestContext) {
  const s = elbState(ctx.cloud);
  const listener = requireListener(ctx, input.ListenerArn);
  const lb = requireLoadBalancer(ctx, listener.loadBalancerArn);
  const next = {
    Port: input.Port ?? listener.port,
    Protocol: input.Protocol ?? listener.protocol,
    Certificates: input.Certificates ?? listener.certificates,
  };
  checkProtocolAndPort(lb, next);
  if (Object.values(s.listeners).some((l) => l.loadBalancerArn === lb.arn && l.arn !== listener.arn && l.port === next.Port)) {
    throw new AwsError("DuplicateListener", "A listener already exists on this port for this load balancer", 400);
  }
  const actions = input.DefaultActions ? normaliseActions(input.DefaultActions) : listener.defaultActions;
  checkForwardTargets(ctx, lb, actions);
  listener.port = next.Port;
  listener.protocol = next.Protocol;
  listener.certificates = next.Protocol === "HTTPS" ? next.Certificates?.map((c) => ({ CertificateArn: c.CertificateArn })) : undefined;
  listener.sslPolicy = next.Protocol === "HTTPS" ? (input.SslPolicy ?? listener.sslPolicy ?? DEFAULT_SSL_POLICY) : undefined;
  if (input.AlpnPolicy) listener.alpnPolicy = input.AlpnPolicy;
  // A weight change takes effect for the next request: the data plane reads defaultActions on every request.
  listener.defaultActions = actions;
  refreshTargetGroupUsage(ctx.cloud);
  ctx.cloud.markDirty();
  return { Listeners: [toListener(listener)] };
}

export function deleteListener(input: { ListenerArn?: string }, ctx: RequestContext) {
  const listener = requireListener(ctx, input.ListenerArn);
  delete elbState(ctx.cloud).listeners[listener.arn];
  refreshTargetGroupUsage(ctx.cloud);
  ctx.cloud.markDirty();
  return {};
}
