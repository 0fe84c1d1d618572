import { requireRole, type Actor } from "../auth/actor.ts";
import { listenerBaseUrl } from "../aws/data-plane.ts";
import { db } from "../db/client.ts";
import { logger } from "../log.ts";
import { namesOf } from "../provisioning/context.ts";
import type { Stack } from "../provisioning/read-stack.ts";

export interface AppLink {
  /** What the link opens: "Load balancer" or "CloudFront". */
  label: string;
  /** The name AWS gives it (DNS name or domain name). */
  name: string;
  /** Where a browser opens it; null when it cannot be opened from here. */
  url: string | null;
  /** Why it cannot be opened directly, when so. */
  note: string | null;
}

/**
 * Links to open the environment's app: the load balancer's and the CloudFront distribution's
 * addresses. On the local account their DNS names do not resolve, so the links point at the
 * local ports the local cloud serves them on (its GET /_localcloud/endpoints). Never fails:
 * a link it cannot resolve comes back without a URL.
 */
export async function appLinks({ actor, input }: { actor: Actor; input: { name: string } }): Promise<AppLink[]> {
  requireRole(actor, "viewer");
  const env = await db.environment.findUnique({ where: { activeName: input.name }, include: { account: true } });
  const stack = env?.stack as unknown as Stack | null;
  if (!env || !stack?.loadBalancer) return [];
  const lb = stack.loadBalancer;
  const dist = stack.distribution;
  const local = env.account.isLocal && env.account.endpointUrl ? env.account.endpointUrl : null;
  const links: AppLink[] = [];
  let lbUrl: string | null = lb.https ? `https://${lb.dnsName}` : `http://${lb.dnsName}`;
  if (local) {
    lbUrl = await listenerBaseUrl(
      { id: env.account.id, defaultRegion: env.account.defaultRegion, roleArn: null, externalId: null, endpointUrl: local },
      { name: namesOf({ name: env.name, stack }).alb, dnsName: lb.dnsName, port: 80 },
    ).catch((e: Error) => {
      logger.warn("app link: no local listener", { environment: env.name, error: e.message });
      return null;
    });
  }
  links.push({
    label: "Load balancer",
    name: lb.dnsName,
    url: lb.cloudfrontOnly ? null : lbUrl,
    note: lb.cloudfrontOnly ? "answers CloudFront only" : null,
  });
  if (dist) {
    const url = local ? await localDistributionUrl(local, dist.id) : `https://${dist.domainName}`;
    links.push({ label: "CloudFront", name: dist.domainName, url, note: url ? null : "not serving yet" });
  }
  return links;
}

async function localDistributionUrl(endpointUrl: string, id: string): Promise<string | null> {
  try {
    const res = await fetch(new URL("/_localcloud/endpoints", endpointUrl), { signal: AbortSignal.timeout(3_000) });
    if (!res.ok) return null;
    const body = (await res.json()) as { distributions?: Array<{ id: string; url: string | null }> };
    const url = body.distributions?.find((d) => d.id === id)?.url ?? null;
    // Only a local address of the local cloud's own host, never wherever an answer points.
    return url && new URL(url).hostname === new URL(endpointUrl).hostname
      ? url
      : url && /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)
        ? url
        : null;
  } catch {
    return null;
  }
}
