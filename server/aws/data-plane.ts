import type { AwsAccountRef } from "./clients.ts";

/**
 * Where Switchyard itself can send HTTP to an environment's load balancer listener.
 * On AWS that is the ALB's DNS name. The local cloud serves each listener on a local port
 * instead and says which through its admin API (`GET /_localcloud/endpoints`), since its DNS
 * names do not resolve.
 */
export async function listenerBaseUrl(account: AwsAccountRef, lb: { name: string; dnsName: string; port: number }): Promise<string> {
  if (!account.endpointUrl) return `http://${lb.dnsName}${lb.port === 80 ? "" : `:${lb.port}`}`;
  const res = await fetch(new URL("/_localcloud/endpoints", account.endpointUrl), { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`The local cloud at ${account.endpointUrl} did not list its endpoints (HTTP ${res.status})`);
  const body = (await res.json()) as { loadBalancers?: Array<{ name: string; dnsName?: string; listeners?: Array<{ port: number; url: string | null }> }> };
  const url = body.loadBalancers?.find((l) => (l.dnsName ? l.dnsName === lb.dnsName : l.name === lb.name))?.listeners?.find((l) => l.port === lb.port)?.url;
  if (!url) throw new Error(`The local cloud serves no listener on port ${lb.port} for load balancer ${lb.name}`);
  return url.replace(/\/$/, "");
}
