/**
 * The data plane: real HTTP through the simulated stack.
 *   instances.ts / instance-server.ts  one in-process app server per running instance
 *   alb-ports.ts / alb-proxy.ts        one local port per ALB listener, routing by live weights
 *   edge.ts / edge-cache.ts            one local port per CloudFront distribution, with caching
 *   health-check.ts                    the real HTTP health check ELBv2's probeTarget runs
 *   traffic.ts                         one record per request, for the metrics side
 *
 * Driven by ELBv2's tick (tickDataPlane): each tick reconciles the servers with the persisted
 * state, so after a restart the same instances, listeners and distributions serve again.
 */
import type { CloudApi } from "../core/types.ts";
import { reconcileInstances } from "./instances.ts";
import { reconcileListeners, loadBalancerEndpoints } from "./alb-ports.ts";
import { reconcileDistributions, distributionUrl } from "./edge.ts";
import { dataPlaneOf, openDataPlane } from "./plane.ts";
import { registerDataPlaneAdminRoutes } from "./admin.ts";

export { onTraffic, emitTraffic, instanceLoad, type TrafficRecord, type InstanceLoad } from "./traffic.ts";
export { parseBehaviour, type InstanceBehaviour } from "./directives.ts";
export { instanceBehaviour } from "./admin.ts";

registerDataPlaneAdminRoutes();

/** Bring servers in line with the state. Cheap: a pass over instances, listeners and distributions. */
export function tickDataPlane(cloud: CloudApi, now: number): void {
  const plane = dataPlaneOf(cloud);
  if (plane.closed) return;
  reconcileInstances(cloud, plane, now);
  reconcileListeners(cloud, plane);
  reconcileDistributions(cloud, plane);
}

/** For ELBv2's endpoints hook. */
export function albEndpoints(cloud: CloudApi) {
  return loadBalancerEndpoints(cloud, openDataPlane(cloud));
}

/** For CloudFront's endpoints hook: the local URL of a distribution, or null. */
export function cloudFrontUrl(cloud: CloudApi, distributionId: string): string | null {
  return distributionUrl(openDataPlane(cloud), distributionId);
}
