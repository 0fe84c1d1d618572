/**
 * Where load goes: a load balancer (name or ARN, any region) or a CloudFront distribution id,
 * resolved against the control-plane state, and its local URL from the data plane's endpoints
 * (GET /_localcloud/endpoints), which exist only once the load balancer is active and its
 * listener port is open: until then a profile waits.
 */
import type { CloudApi, ServiceName } from "../../core/types.ts";
import { elbState } from "../../services/elbv2/state.ts";

export interface ResolvedTarget {
  kind: "loadBalancer" | "distribution";
  /** Load balancer ARN or distribution id. */
  ref: string;
}

export function resolveTarget(cloud: CloudApi, target: string): ResolvedTarget | undefined {
  const lbs = Object.values(elbState(cloud).loadBalancers);
  const lb = lbs.find((l) => l.arn === target) ?? lbs.find((l) => l.name === target);
  if (lb) return { kind: "loadBalancer", ref: lb.arn };
  const distributions = (cloud.state<{ distributions?: Record<string, unknown> }>("cloudfront").distributions ?? {}) as Record<
    string,
    unknown
  >;
  if (Object.hasOwn(distributions, target)) return { kind: "distribution", ref: target };
  return undefined;
}

/** Whether the target still exists (a deleted load balancer or distribution ends its profiles). */
export function targetExists(cloud: CloudApi, t: ResolvedTarget): boolean {
  if (t.kind === "loadBalancer") return Boolean(elbState(cloud).loadBalancers[t.ref]);
  const distributions = cloud.state<{ distributions?: Record<string, unknown> }>("cloudfront").distributions ?? {};
  return Object.hasOwn(distributions, t.ref);
}

interface EndpointLists {
  loadBalancers: Array<{ arn?: string; listeners?: Array<{ port?: number; url?: string | null }> }>;
  distributions: Array<{ id?: string; url?: string | null }>;
}

/** The data-plane endpoints, gathered from the services as the admin API does. */
export function endpoints(cloud: CloudApi): EndpointLists {
  const out: EndpointLists = { loadBalancers: [], distributions: [] };
  const names: ServiceName[] = ["ec2", "autoscaling", "elasticloadbalancing", "rds", "monitoring", "cloudfront"];
  for (const name of names) {
    const provided = cloud.service(name)?.endpoints?.(cloud);
    if (provided?.loadBalancers) out.loadBalancers.push(...(provided.loadBalancers as EndpointLists["loadBalancers"]));
    if (provided?.distributions) out.distributions.push(...(provided.distributions as EndpointLists["distributions"]));
  }
  return out;
}

/** The URL to send to (port 80 listener preferred), or undefined while there is none. */
export function urlOf(lists: EndpointLists, t: ResolvedTarget): string | undefined {
  if (t.kind === "distribution") return lists.distributions.find((d) => d.id === t.ref)?.url ?? undefined;
  const listeners = (lists.loadBalancers.find((l) => l.arn === t.ref)?.listeners ?? []).filter((l) => l.url);
  return (listeners.find((l) => l.port === 80) ?? listeners[0])?.url ?? undefined;
}

/** Active load balancers with an open listener: the ones --default-load sends to. */
export function servingLoadBalancers(lists: EndpointLists): string[] {
  return lists.loadBalancers.filter((l) => l.arn && (l.listeners ?? []).some((x) => x.url)).map((l) => l.arn!);
}
