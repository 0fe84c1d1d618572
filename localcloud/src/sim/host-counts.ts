/**
 * HealthyHostCount / UnHealthyHostCount per (load balancer, target group) pair: sampled every
 * few simulated seconds from the targets' health states and published EVERY minute, traffic or
 * not (unlike the count metrics), with dimensions TargetGroup + LoadBalancer. Samples go out as
 * a distribution so Minimum / Maximum / Average all mean what they mean on AWS. Samples are kept
 * per slice (a third of a minute) so CloudWatch can receive a minute in parts (metric-delay.ts).
 */
import type { CloudApi } from "../core/types.ts";
import { elbState, loadBalancerSuffix, targetGroupSuffix, type ListenerRecord } from "../services/elbv2/state.ts";
import { addTo, minuteOf, MINUTE_MS, valuesAndCounts, type Datum } from "./minutes.ts";
import { sliceOf, SLICE_MS } from "./metric-delay.ts";

const SAMPLE_EVERY_MS = 10_000;

interface PairSamples {
  lbArn: string;
  tgArn: string;
  region: string;
  healthy: Map<number, number>;
  unhealthy: Map<number, number>;
}

/** Target groups a listener forwards to (single-target forward or weighted ForwardConfig), by its default actions or any rule. */
export function forwardTargetGroups(listener: ListenerRecord): string[] {
  const out = new Set<string>();
  const actions = [...(listener.defaultActions ?? []), ...(listener.rules ?? []).flatMap((r) => r.actions)];
  for (const action of actions) {
    if (action.Type !== "forward") continue;
    if (action.TargetGroupArn) out.add(action.TargetGroupArn);
    for (const g of action.ForwardConfig?.TargetGroups ?? []) if (g.TargetGroupArn) out.add(g.TargetGroupArn);
  }
  return [...out];
}

export class HostCounts {
  /** slice start -> "<lb>|<tg>" -> samples. */
  private slices = new Map<number, Map<string, PairSamples>>();
  private lastSampleAt = -Infinity;

  constructor(private readonly cloud: CloudApi) {}

  /** Every (load balancer, target group) pair a listener forwards, with current counts. */
  private currentPairs(): Array<{ lbArn: string; tgArn: string; region: string; healthy: number; unhealthy: number }> {
    const s = elbState(this.cloud);
    const seen = new Set<string>();
    const out = [];
    for (const listener of Object.values(s.listeners)) {
      const lb = s.loadBalancers[listener.loadBalancerArn];
      if (!lb) continue;
      for (const tgArn of forwardTargetGroups(listener)) {
        const tg = s.targetGroups[tgArn];
        const key = `${lb.arn}|${tgArn}`;
        if (!tg || seen.has(key)) continue;
        seen.add(key);
        const healthy = tg.targets.filter((t) => t.state === "healthy").length;
        const unhealthy = tg.targets.filter((t) => t.state === "unhealthy").length;
        out.push({ lbArn: lb.arn, tgArn, region: lb.region, healthy, unhealthy });
      }
    }
    return out;
  }

  sample(now: number, force = false): void {
    if (!force && now - this.lastSampleAt < SAMPLE_EVERY_MS) return;
    this.lastSampleAt = now;
    const slice = sliceOf(now);
    let pairs = this.slices.get(slice);
    if (!pairs) this.slices.set(slice, (pairs = new Map()));
    for (const p of this.currentPairs()) {
      const key = `${p.lbArn}|${p.tgArn}`;
      let samples = pairs.get(key);
      if (!samples)
        pairs.set(key, (samples = { lbArn: p.lbArn, tgArn: p.tgArn, region: p.region, healthy: new Map(), unhealthy: new Map() }));
      addTo(samples.healthy, p.healthy);
      addTo(samples.unhealthy, p.unhealthy);
    }
  }

  /** Average healthy targets of a target group during a minute so far (for RequestCountPerTarget); undefined if never sampled. */
  healthyAverage(minute: number, tgArn: string): number | undefined {
    let sum = 0;
    let n = 0;
    for (let slice = minute; slice < minute + MINUTE_MS; slice += SLICE_MS) {
      for (const p of this.slices.get(slice)?.values() ?? []) {
        if (p.tgArn !== tgArn) continue;
        for (const [v, c] of p.healthy) {
          sum += v * c;
          n += c;
        }
      }
    }
    return n ? sum / n : undefined;
  }

  /** The slice's datapoints by region, stamped at its minute; a slice skipped by a clock jump gets the current counts. */
  flush(slice: number): Map<string, Datum[]> {
    const minute = minuteOf(slice);
    if (!this.slices.has(slice)) {
      this.slices.set(slice, new Map());
      const saved = this.lastSampleAt;
      this.sampleInto(slice);
      this.lastSampleAt = saved;
    }
    const out = new Map<string, Datum[]>();
    for (const p of this.slices.get(slice)!.values()) {
      const Dimensions = [
        { Name: "TargetGroup", Value: targetGroupSuffix(p.tgArn) },
        { Name: "LoadBalancer", Value: loadBalancerSuffix(p.lbArn) },
      ];
      const list = out.get(p.region) ?? [];
      list.push({ MetricName: "HealthyHostCount", Dimensions, Timestamp: minute, Unit: "Count", ...valuesAndCounts(p.healthy) });
      list.push({ MetricName: "UnHealthyHostCount", Dimensions, Timestamp: minute, Unit: "Count", ...valuesAndCounts(p.unhealthy) });
      out.set(p.region, list);
    }
    return out;
  }

  /** Forget old slices (kept a while after publishing for healthyAverage of late records). */
  dropBefore(ms: number): void {
    for (const s of this.slices.keys()) if (s < ms) this.slices.delete(s);
  }

  private sampleInto(slice: number): void {
    const pairs = this.slices.get(slice)!;
    for (const p of this.currentPairs()) {
      pairs.set(`${p.lbArn}|${p.tgArn}`, {
        lbArn: p.lbArn,
        tgArn: p.tgArn,
        region: p.region,
        healthy: new Map([[p.healthy, 1]]),
        unhealthy: new Map([[p.unhealthy, 1]]),
      });
    }
  }

  clear(): void {
    this.slices.clear();
    this.lastSampleAt = -Infinity;
  }
}
