/**
 * AWS/ApplicationELB metrics from the traffic bus, per simulated minute. Each record counts
 * once under LoadBalancer and, when the listener chose a target group, once more under
 * TargetGroup + LoadBalancer (each dimension combination is its own metric, as on AWS).
 * Count metrics are published only when non-zero, as AWS does; TargetResponseTime goes out
 * as a distribution (seconds) so p50/p95/p99 work; RequestCountPerTarget (TargetGroup only) is
 * the group's requests divided by its healthy targets.
 *
 * Records are aggregated per SLICE (a third of a minute), each slice's datapoints stamped at
 * its minute, so CloudWatch can receive a minute in parts (see metric-delay.ts).
 */
import type { TrafficRecord } from "../dataplane/traffic.ts";
import { loadBalancerSuffix, targetGroupSuffix } from "../services/elbv2/state.ts";
import { addTo, minuteOf, valuesAndCounts, type Datum } from "./minutes.ts";
import { sliceOf } from "./metric-delay.ts";

interface Counts {
  region: string;
  lbArn: string;
  tgArn?: string;
  counts: Map<string, number>;
  /** Target response times in seconds (rounded, so a minute holds few distinct values) -> count. */
  responseTimes: Map<number, number>;
}

/** Response times are kept to 0.1 ms below 10 ms and 1 ms above: plenty for p99, few distinct values. */
function roundSeconds(ms: number): number {
  const rounded = ms < 10 ? Math.round(ms * 10) / 10 : Math.round(ms);
  return rounded / 1000;
}

export class AlbMetrics {
  /** slice start -> dimension key -> counts. */
  private slices = new Map<number, Map<string, Counts>>();
  /** Requests per region per minute, for the RDS model's "app fleet request rate". */
  private regionRequests = new Map<string, Map<number, number>>();

  add(r: TrafficRecord): void {
    if (!r.loadBalancerArn) return;
    const minute = minuteOf(r.at);
    const slice = sliceOf(r.at);
    let dims = this.slices.get(slice);
    if (!dims) this.slices.set(slice, (dims = new Map()));
    const lb = this.entry(dims, r.region, r.loadBalancerArn);
    this.count(lb, r, true);
    if (r.targetGroupArn) this.count(this.entry(dims, r.region, r.loadBalancerArn, r.targetGroupArn), r, false);
    const perRegion = this.regionRequests.get(r.region) ?? new Map<number, number>();
    perRegion.set(minute, (perRegion.get(minute) ?? 0) + 1);
    this.regionRequests.set(r.region, perRegion);
  }

  private entry(dims: Map<string, Counts>, region: string, lbArn: string, tgArn?: string): Counts {
    const key = tgArn ? `${lbArn}|${tgArn}` : lbArn;
    let c = dims.get(key);
    if (!c) dims.set(key, (c = { region, lbArn, tgArn, counts: new Map(), responseTimes: new Map() }));
    return c;
  }

  private count(c: Counts, r: TrafficRecord, lbLevel: boolean): void {
    const inc = (name: string, n = 1) => addTo(c.counts, name, n);
    inc("RequestCount");
    const klass = Math.floor(r.status / 100);
    if (r.source === "target") {
      if (klass >= 2 && klass <= 5) inc(`HTTPCode_Target_${klass}XX_Count`);
      if (r.targetResponseMs !== undefined) addTo(c.responseTimes, roundSeconds(r.targetResponseMs));
    } else {
      // The ELB's own answers: AWS reports these per load balancer only.
      if (lbLevel && klass >= 3 && klass <= 5) inc(`HTTPCode_ELB_${klass}XX_Count`);
      if (lbLevel && [500, 502, 503, 504].includes(r.status)) inc(`HTTPCode_ELB_${r.status}_Count`);
      // A 502 after a target was chosen means the connection to it failed.
      if (r.status === 502 && r.targetId) inc("TargetConnectionErrorCount");
    }
    if (lbLevel) inc("ProcessedBytes", r.bytesOut);
  }

  /** Requests in a region during a minute (0 when none). */
  requestsIn(region: string, minute: number): number {
    return this.regionRequests.get(region)?.get(minute) ?? 0;
  }

  /** The slice's datapoints by region, stamped at its minute; `healthyAverage` gives the divisor for RequestCountPerTarget. */
  flush(slice: number, healthyAverage: (tgArn: string) => number | undefined): Map<string, Datum[]> {
    const out = new Map<string, Datum[]>();
    const minute = minuteOf(slice);
    const dims = this.slices.get(slice);
    this.slices.delete(slice);
    for (const regionMinutes of this.regionRequests.values())
      for (const m of regionMinutes.keys()) if (m < minute - 5 * 60_000) regionMinutes.delete(m);
    if (!dims) return out;
    const perTarget = new Map<string, { region: string; requests: number }>();
    for (const c of dims.values()) {
      const Dimensions = [{ Name: "LoadBalancer", Value: loadBalancerSuffix(c.lbArn) }];
      if (c.tgArn) Dimensions.unshift({ Name: "TargetGroup", Value: targetGroupSuffix(c.tgArn) });
      const list = out.get(c.region) ?? [];
      for (const [name, value] of c.counts) {
        if (value > 0)
          list.push({ MetricName: name, Dimensions, Timestamp: minute, Unit: name === "ProcessedBytes" ? "Bytes" : "Count", Value: value });
      }
      if (c.responseTimes.size)
        list.push({
          MetricName: "TargetResponseTime",
          Dimensions,
          Timestamp: minute,
          Unit: "Seconds",
          ...valuesAndCounts(c.responseTimes),
        });
      out.set(c.region, list);
      if (c.tgArn) {
        const p = perTarget.get(c.tgArn) ?? { region: c.region, requests: 0 };
        p.requests += c.counts.get("RequestCount") ?? 0;
        perTarget.set(c.tgArn, p);
      }
    }
    for (const [tgArn, p] of perTarget) {
      const healthy = Math.max(1, healthyAverage(tgArn) ?? 1);
      const list = out.get(p.region) ?? [];
      list.push({
        MetricName: "RequestCountPerTarget",
        Dimensions: [{ Name: "TargetGroup", Value: targetGroupSuffix(tgArn) }],
        Timestamp: minute,
        Unit: "Count",
        Value: p.requests / healthy,
      });
      out.set(p.region, list);
    }
    return out;
  }

  /** Slices holding records that have not been published yet (late records included), oldest first. */
  pendingSlices(): number[] {
    return [...this.slices.keys()].sort((a, b) => a - b);
  }

  clear(): void {
    this.slices.clear();
    this.regionRequests.clear();
  }
}
