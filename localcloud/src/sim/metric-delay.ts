/**
 * CloudWatch's ingestion delay for load balancer and CloudFront metrics. On AWS a minute's
 * datapoint shows up one to three minutes after the minute ends, and the newest one is partial
 * at first: it keeps growing as the rest of the minute's reports arrive. Clients (dashboards,
 * alarms, deploy judges) have to live with that, so the local cloud does the same:
 *
 *   - aggregators cut each minute into SLICE_MS slices and hand each slice's datapoints here;
 *   - every minute of every metric stream (region, namespace, name, dimensions) has a delay d
 *     in [60, 180] s from a hash of the stream and the minute, so runs are reproducible (a test
 *     can compute it: streamDelayMs) yet, as on AWS, a stream is not late by the same amount
 *     every minute;
 *   - a slice starting at s is released to CloudWatch at s + 60 s + d: the minute's first slice
 *     becomes visible d after the minute ends, its last one 40 s later (then it is final).
 *
 * Records of a slice already released (late traffic) are released at once when due. Alarms on
 * these namespaces evaluate complete periods only (services/cloudwatch/ingestion.ts).
 */
import type { CloudApi } from "../core/types.ts";
import { MINUTE_MS, type Datum } from "./minutes.ts";

import { FINAL_AFTER_MINUTE_END_MS, MAX_DELAY_MS, MIN_DELAY_MS, SLICE_MS } from "../services/cloudwatch/ingestion.ts";

export { FINAL_AFTER_MINUTE_END_MS, MAX_DELAY_MS, MIN_DELAY_MS, SLICE_MS };

export const sliceOf = (ms: number): number => Math.floor(ms / SLICE_MS) * SLICE_MS;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  return (h ^ (h >>> 13)) >>> 0;
}

/** The stream's ingestion delay for the minute the datum is stamped at, in ms: whole seconds in [MIN_DELAY_MS, MAX_DELAY_MS]. */
export function streamDelayMs(region: string, namespace: string, datum: Pick<Datum, "MetricName" | "Dimensions" | "Timestamp">): number {
  const dims = datum.Dimensions.map((d) => `${d.Name}=${d.Value}`)
    .sort()
    .join(",");
  const span = (MAX_DELAY_MS - MIN_DELAY_MS) / 1000 + 1;
  return MIN_DELAY_MS + (hash(`${region}|${namespace}|${datum.MetricName}|${dims}|${datum.Timestamp}`) % span) * 1000;
}

/** When a slice's datapoint for this stream becomes visible. */
export function releaseAt(sliceStart: number, region: string, namespace: string, datum: Datum): number {
  return sliceStart + MINUTE_MS + streamDelayMs(region, namespace, datum);
}

interface Held {
  at: number;
  region: string;
  namespace: string;
  datum: Datum;
}

/** Datapoints waiting for their release time: a binary min-heap on `at`. */
export class DelayedMetrics {
  private heap: Held[] = [];

  get size(): number {
    return this.heap.length;
  }

  /** Hold the slice's datapoints (stamped at their minute) until each stream's release time. */
  hold(sliceStart: number, namespace: string, byRegion: Map<string, Datum[]>): void {
    for (const [region, data] of byRegion) {
      for (const datum of data) this.push({ at: releaseAt(sliceStart, region, namespace, datum), region, namespace, datum });
    }
  }

  /** Publish everything due at `now`, batched per region and namespace. */
  release(cloud: CloudApi, now: number): void {
    if (!this.heap.length || this.heap[0].at > now) return;
    const batches = new Map<string, { region: string; namespace: string; data: Datum[] }>();
    while (this.heap.length && this.heap[0].at <= now) {
      const h = this.pop();
      const key = `${h.region}|${h.namespace}`;
      let batch = batches.get(key);
      if (!batch) batches.set(key, (batch = { region: h.region, namespace: h.namespace, data: [] }));
      batch.data.push(h.datum);
    }
    for (const b of batches.values()) cloud.putMetricData(b.region, b.namespace, b.data);
  }

  clear(): void {
    this.heap = [];
  }

  private push(item: Held): void {
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].at <= item.at) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = item;
  }

  private pop(): Held {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        const at = (k: number) => (k === i ? last.at : heap[k].at);
        if (l < heap.length && at(l) < at(smallest)) smallest = l;
        if (r < heap.length && at(r) < at(smallest)) smallest = r;
        if (smallest === i) break;
        heap[i] = heap[smallest];
        i = smallest;
      }
      heap[i] = last;
    }
    return top;
  }
}
