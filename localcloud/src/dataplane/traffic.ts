/**
 * The traffic bus: every request served by the data plane (ALB listener or CloudFront
 * distribution) emits exactly ONE record here. The metrics side subscribes and folds the
 * records into per-simulated-minute CloudWatch datapoints; the data plane never computes
 * metrics itself, so there is one source of truth for "what traffic happened".
 *
 * Stable contract (consumed in parallel by the metrics code): add optional fields only.
 */

export interface TrafficRecord {
  region: string;
  /** Simulated time (cloud.now()) when the response finished (or failed). */
  at: number;
  kind: "alb" | "cloudfront";
  loadBalancerArn?: string;
  /** The target group the listener chose (null: none, e.g. fixed-response or no group at all). */
  targetGroupArn?: string | null;
  /** The target (instance id) the request went to, null when the ELB answered itself. */
  targetId?: string | null;
  distributionId?: string;
  /** HTTP status the client got. */
  status: number;
  /** Who produced the status: the target, or the ELB / CloudFront itself (502/503/504, fixed responses, cache hits). */
  source: "target" | "elb";
  /** Wall ms from sending the request to the target until its response ended (target part only). */
  targetResponseMs?: number;
  /** Response body bytes sent to the client. */
  bytesOut: number;
  /** CloudFront only: served from the edge cache. */
  cacheHit?: boolean;
}

export type TrafficListener = (record: TrafficRecord) => void;

const listeners = new Set<TrafficListener>();

/** Subscribe; returns the unsubscribe function. */
export function onTraffic(listener: TrafficListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Publish one record. A throwing listener must not break the request path, so errors are logged and swallowed. */
export function emitTraffic(record: TrafficRecord): void {
  for (const l of listeners) {
    try {
      l(record);
    } catch (err) {
      console.error("localcloud: traffic listener failed:", err);
    }
  }
}

/** Per-instance load counters (requests served since the server started, requests in flight now). */
export interface InstanceLoad {
  requests: number;
  inFlight: number;
}

const loads = new Map<string, InstanceLoad>();

/**
 * Counters of one instance's in-process server, readable by the metrics side for CPU.
 * Unknown instances read as zero. `requests` is cumulative: diff successive reads.
 */
export function instanceLoad(instanceId: string): InstanceLoad {
  const l = loads.get(instanceId);
  return l ? { requests: l.requests, inFlight: l.inFlight } : { requests: 0, inFlight: 0 };
}

/** The mutable counters the instance server updates (internal to the data plane). */
export function instanceCounters(instanceId: string): InstanceLoad {
  let l = loads.get(instanceId);
  if (!l) loads.set(instanceId, (l = { requests: 0, inFlight: 0 }));
  return l;
}

/**
 * The emitter of one request's record: the first call stamps `record.at` with `now()` and
 * publishes it, later calls do nothing (a request ends once, however many paths reach its end).
 */
export function emitOnce(record: TrafficRecord, now: () => number): () => void {
  let emitted = false;
  return () => {
    if (emitted) return;
    emitted = true;
    record.at = now();
    emitTraffic(record);
  };
}
