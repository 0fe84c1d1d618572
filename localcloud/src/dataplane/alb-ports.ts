/**
 * Every listener of an `active` load balancer gets a local HTTP port (HTTPS listeners are
 * served as plain HTTP: there is no TLS locally). Reconciled on every tick from the ELBv2
 * state: ports open for new listeners, close for deleted ones or deleted load balancers.
 */
import type { CloudApi } from "../core/types.ts";
import { elbState } from "../services/elbv2/state.ts";
import { serveListener } from "./alb-proxy.ts";
import type { DataPlane } from "./plane.ts";
import { PortServer } from "./port-server.ts";

export function reconcileListeners(cloud: CloudApi, plane: DataPlane): void {
  const s = elbState(cloud);
  const wanted = new Set<string>();
  for (const l of Object.values(s.listeners)) {
    if (s.loadBalancers[l.loadBalancerArn]?.state === "active") wanted.add(l.arn);
  }
  for (const [arn, server] of plane.listeners) {
    if (!wanted.has(arn)) {
      server.close();
      plane.listeners.delete(arn);
    }
  }
  for (const arn of wanted) {
    if (plane.listeners.has(arn)) continue;
    const server = new PortServer((req, res) => serveListener(cloud, plane, arn, req, res));
    plane.listeners.set(arn, server);
    server
      .listen(s.listeners[arn].localPort)
      .then((port) => {
        const live = elbState(cloud).listeners[arn];
        if (port && live && live.localPort !== port) {
          live.localPort = port;
          cloud.markDirty();
        }
      })
      .catch((err) => {
        console.error(`localcloud: listener ${arn} could not open a local port:`, err);
        plane.listeners.delete(arn);
      });
  }
}

/** The `loadBalancers` part of GET /_localcloud/endpoints. */
export function loadBalancerEndpoints(cloud: CloudApi, plane: DataPlane | undefined) {
  const s = elbState(cloud);
  return Object.values(s.loadBalancers)
    .filter((lb) => lb.state === "active")
    .map((lb) => ({
      arn: lb.arn,
      name: lb.name,
      dnsName: lb.dnsName,
      listeners: Object.values(s.listeners)
        .filter((l) => l.loadBalancerArn === lb.arn)
        .map((l) => ({ port: l.port, url: plane?.listeners.get(l.arn)?.url ?? null }))
        .filter((l) => l.url !== null),
    }));
}
