/**
 * AWS/ElastiCache metrics per CacheClusterId (each node of a replication group is a cluster),
 * sampled every 10 simulated seconds and published per minute as distributions:
 *   CurrConnections       2 per running app instance in the region plus load (rps / 4) on the
 *                         primary, 1 per app instance on replicas; 0 while a node reboots
 *   CPUUtilization, EngineCPUUtilization   from the load per vCPU (engine: one thread)
 *   DatabaseMemoryUsagePercentage          grows slowly with time since creation, capped at 75 %
 *   CacheHits, CacheMisses (Sum), CacheHitRate (%)  ~90 % hits, cold (~40 %) right after a failover
 *   Evictions (Sum)       only above 70 % memory
 *   ReplicationLag        replicas only, seconds; higher right after a failover
 *   IsMaster              1 on the primary, 0 on replicas (shows a failover swap on a chart)
 * Nothing is published while a group is creating or deleting.
 */
import type { CloudApi } from "../core/types.ts";
import { listReplicationGroups, NODE_TYPES, type ReplicationGroupRecord } from "../services/elasticache/index.ts";
import { ec2State } from "../services/ec2/state.ts";
import { addTo, MINUTE_MS, minuteOf, noise, valuesAndCounts, type Datum } from "./minutes.ts";

const SAMPLE_EVERY_MS = 10_000;
const AFTERGLOW_MS = 120_000;
const SUMS = new Set(["CacheHits", "CacheMisses", "Evictions"]);

type Sample = Record<string, number>;
type Entry = { region: string; id: string; values: Map<string, Map<number, number>> };

export class ElastiCacheMetrics {
  private minutes = new Map<number, Map<string, Entry>>();
  private lastSampleAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly cloud: CloudApi,
    private readonly requestsPerMinute: (region: string, minute: number) => number,
  ) {}

  /** What each node of a group shows right now (by cache cluster id); empty while the group is not serving. */
  samplesOf(rg: ReplicationGroupRecord, now: number): Map<string, Sample> {
    const out = new Map<string, Sample>();
    if (rg.status === "creating" || rg.status === "deleting") return out;
    const type = NODE_TYPES[rg.cacheNodeType] ?? { vcpu: 2, memoryGiB: 1 };
    const rps = this.requestsPerMinute(rg.region, minuteOf(now) - MINUTE_MS) / 60;
    const apps = Object.values(ec2State(this.cloud).instances).filter((i) => i.region === rg.region && i.State === "running").length;
    const last = rg.sim.failovers[rg.sim.failovers.length - 1];
    const since = last?.completedAt !== undefined ? now - last.completedAt : Number.POSITIVE_INFINITY;
    const afterglow = Math.exp(-Math.max(0, since) / AFTERGLOW_MS);
    const age = Math.max(0, now - (rg.availableSince ?? now)) / 3_600_000;
    const memory = Math.min(75, 4 + age * 1.5 + rps * 0.05);
    for (const n of rg.nodes) {
      const wiggle = noise(n.clusterId, minuteOf(now)) * 0.1;
      if (n.status !== "available") {
        out.set(n.clusterId, { CurrConnections: 0, IsMaster: n.role === "primary" ? 1 : 0 });
        continue;
      }
      const primary = n.role === "primary";
      const ops = primary ? 5 + rps * 3 : 0.5 + rps * 0.5;
      const hitRate = Math.max(0, Math.min(100, (0.9 - 0.5 * afterglow + wiggle * 0.2) * 100));
      // Per 10-second sample; summed over the minute.
      const gets = ops * (SAMPLE_EVERY_MS / 1000);
      const sample: Sample = {
        CurrConnections: primary ? 2 * apps + Math.round(rps / 4) : apps,
        CPUUtilization: Math.min(100, 2 + (ops * 0.02) / type.vcpu + wiggle),
        EngineCPUUtilization: Math.min(100, 0.5 + ops * 0.03 + wiggle),
        DatabaseMemoryUsagePercentage: memory,
        CacheHits: Math.round((gets * hitRate) / 100),
        CacheMisses: Math.round((gets * (100 - hitRate)) / 100),
        CacheHitRate: hitRate,
        Evictions: memory > 70 ? Math.round(gets * 0.01) : 0,
        IsMaster: primary ? 1 : 0,
      };
      if (!primary) sample.ReplicationLag = 0.01 + 2 * afterglow + Math.abs(wiggle) * 0.05;
      out.set(n.clusterId, sample);
    }
    return out;
  }

  sample(now: number, force = false): void {
    if (!force && now - this.lastSampleAt < SAMPLE_EVERY_MS) return;
    this.lastSampleAt = now;
    this.sampleInto(minuteOf(now), now);
  }

  private sampleInto(minute: number, now: number): void {
    let nodes = this.minutes.get(minute);
    if (!nodes) this.minutes.set(minute, (nodes = new Map()));
    for (const rg of listReplicationGroups(this.cloud)) {
      for (const [id, s] of this.samplesOf(rg, now)) {
        const k = `${rg.region}/${id}`;
        let entry = nodes.get(k);
        if (!entry) nodes.set(k, (entry = { region: rg.region, id, values: new Map() }));
        for (const [name, value] of Object.entries(s)) {
          let hist = entry.values.get(name);
          if (!hist) entry.values.set(name, (hist = new Map()));
          addTo(hist, Math.round(value * 1e6) / 1e6);
        }
      }
    }
  }

  flush(minute: number, now: number): Map<string, Datum[]> {
    if (!this.minutes.has(minute)) this.sampleInto(minute, Math.min(now, minute + MINUTE_MS - 1));
    const out = new Map<string, Datum[]>();
    for (const entry of this.minutes.get(minute)?.values() ?? []) {
      const Dimensions = [{ Name: "CacheClusterId", Value: entry.id }];
      const list = out.get(entry.region) ?? [];
      for (const [name, hist] of entry.values) {
        const unit = UNITS[name] ?? "None";
        if (SUMS.has(name)) {
          // Counters: one datum with the minute's total, so Sum is the count of the minute.
          const total = [...hist.entries()].reduce((acc, [v, c]) => acc + v * c, 0);
          list.push({ MetricName: name, Dimensions, Timestamp: minute, Unit: unit, Value: total });
        } else list.push({ MetricName: name, Dimensions, Timestamp: minute, Unit: unit, ...valuesAndCounts(hist) });
      }
      out.set(entry.region, list);
    }
    this.minutes.delete(minute);
    return out;
  }

  clear(): void {
    this.minutes.clear();
    this.lastSampleAt = Number.NEGATIVE_INFINITY;
  }
}

const UNITS: Record<string, string> = {
  CurrConnections: "Count",
  CPUUtilization: "Percent",
  EngineCPUUtilization: "Percent",
  DatabaseMemoryUsagePercentage: "Percent",
  CacheHits: "Count",
  CacheMisses: "Count",
  CacheHitRate: "Percent",
  Evictions: "Count",
  ReplicationLag: "Seconds",
  IsMaster: "Count",
};
