/**
 * The data plane of one cloud: everything it runs that is not JSON state (instance servers,
 * listener ports, distribution ports, the keep-alive agent to targets, caches, counters).
 * All of it is rebuilt from the persisted state by reconcile (see index.ts), so a restarted
 * cloud serves the same stack again.
 */
import { Agent } from "node:http";
import type { CloudApi } from "../core/types.ts";
import type { InstanceServer } from "./instance-server.ts";
import type { BehaviourOverrides } from "./instance-server.ts";
import type { PortServer } from "./port-server.ts";
import type { EdgeCache } from "./edge-cache.ts";

export class DataPlane {
  /** Running instances' app servers, by instance id. */
  readonly instances = new Map<string, InstanceServer>();
  /** Admin overrides by instance id, kept here so they survive the app server being rebuilt. */
  readonly overrides = new Map<string, BehaviourOverrides>();
  /** ALB listener ports, by listener ARN. */
  readonly listeners = new Map<string, PortServer>();
  /** CloudFront distribution ports, by distribution id. */
  readonly distributions = new Map<string, PortServer>();
  readonly caches = new Map<string, EdgeCache>();
  /** Health check paths of every target group, so an instance can tell health checks from app traffic. */
  healthPaths = new Set<string>();
  /** Requests in flight per target ("<tg arn>|<id>|<port>"), for least_outstanding_requests. */
  readonly outstanding = new Map<string, number>();
  /** Round-robin cursor per target group. */
  readonly cursors = new Map<string, number>();
  /** Keep-alive connections to targets, as an ALB keeps them. */
  readonly agent = new Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024, timeout: 60_000 });
  closed = false;

  close(): void {
    this.closed = true;
    for (const s of this.instances.values()) s.close();
    for (const s of this.listeners.values()) s.close();
    for (const s of this.distributions.values()) s.close();
    this.instances.clear();
    this.listeners.clear();
    this.distributions.clear();
    this.caches.clear();
    this.agent.destroy();
  }
}

const planes = new WeakMap<CloudApi, DataPlane>();

/**
 * The cloud's data plane, created on first use. The cloud has no close hook, so this wraps
 * its close() (LocalCloud's) once: closing the cloud closes every port the data plane opened.
 */
export function dataPlaneOf(cloud: CloudApi): DataPlane {
  let plane = planes.get(cloud);
  if (plane) return plane;
  plane = new DataPlane();
  planes.set(cloud, plane);
  const closable = cloud as CloudApi & { close?: () => void };
  if (typeof closable.close === "function") {
    const closeCloud = closable.close.bind(cloud);
    const created = plane;
    closable.close = () => {
      created.close();
      closeCloud();
    };
  }
  return plane;
}

/** The plane if one exists and is open (never creates one: used from request paths and after close). */
export function openDataPlane(cloud: CloudApi): DataPlane | undefined {
  const plane = planes.get(cloud);
  return plane && !plane.closed ? plane : undefined;
}
