import net from "node:net";
import { isLoopbackAddress } from "../security/endpoint-url.ts";
import type { AwsAccountRef } from "./clients.ts";

const loopbackHost = (u: URL) => {
  const host = u.hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || (net.isIP(host) !== 0 && isLoopbackAddress(host));
};

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
  const body = (await res.json()) as {
    loadBalancers?: Array<{ name: string; dnsName?: string; listeners?: Array<{ port: number; url: string | null }> }>;
  };
  const url = body.loadBalancers
    ?.find((l) => (l.dnsName ? l.dnsName === lb.dnsName : l.name === lb.name))
    ?.listeners?.find((l) => l.port === lb.port)?.url;
  if (!url) throw new Error(`The local cloud serves no listener on port ${lb.port} for load balancer ${lb.name}`);
  // Switchyard sends its probes there: only to the endpoint's own host, never where an endpoint's answer points.
  const listener = new URL(url);
  const endpoint = new URL(account.endpointUrl);
  if (
    !["http:", "https:"].includes(listener.protocol) ||
    !(listener.hostname === endpoint.hostname || (loopbackHost(listener) && loopbackHost(endpoint)))
  ) {
    throw new Error(
      `The endpoint ${endpoint.origin} named a listener on another host (${listener.host}); Switchyard only sends requests to the endpoint's own host`,
    );
  }
  return url.replace(/\/$/, "");
}
