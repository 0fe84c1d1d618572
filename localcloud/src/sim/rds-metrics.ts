/**
 * AWS/RDS metrics, sampled every 10 simulated seconds and published per minute as
 * distributions (so Average, Minimum, Maximum and p90 mean what they do on AWS):
 *   DatabaseConnections  a pool of 2 per running app instance in the region plus load
 *                        (requests per simulated second through the region's ALBs / 2),
 *                        capped at the class's max_connections; 0 while the instance reboots
 *                        or fails over (RebootDBInstance ForceFailover: 90 simulated s)
 *   CPUUtilization       3 % + load per vCPU; FreeableMemory drops with connections
 *   FreeStorageSpace     allocated minus the engine's files and slow growth (Minimum)
 *   Read/WriteLatency    ~1-3 ms, ten times higher right after a failover, fading over ~5 min
 *   Read/WriteIOPS, DiskQueueDepth from the load
 * The current connection count is also written to the instance's `sim.connections`.
 */
import type { CloudApi } from "../core/types.ts";
import { ec2State } from "../services/ec2/state.ts";
import { INSTANCE_CLASSES, listDbInstances, type DbInstanceRecord } from "../services/rds/index.ts";
import { addTo, minuteOf, MINUTE_MS, valuesAndCounts, type Datum } from "./minutes.ts";

const SAMPLE_EVERY_MS = 10_000;
const GIB = 1024 ** 3;
/** Statuses in which the database serves queries. */
const SERVING = new Set(["available", "backing-up", "modifying", "storage-optimization", "configuring-enhanced-monitoring"]);
const FAILOVER_AFTERGLOW_MS = 90_000;

type Sample = Record<string, number>;

export class RdsMetrics {
  /** minute -> "<region>/<id>" -> metric -> value -> count. */
  private minutes = new Map<number, Map<string, { region: string; id: string; values: Map<string, Map<number, number>> }>>();
  private lastSampleAt = -Infinity;

  /** `requestsPerMinute(region, minute)`: ALB requests in the region, the app fleet's load. */
  constructor(
    private readonly cloud: CloudApi,
    private readonly requestsPerMinute: (region: string, minute: number) => number,
  ) {}

  /** What one database shows right now; undefined while it does not exist for CloudWatch (creating, deleting). */
  sampleOf(db: DbInstanceRecord, now: number): Sample | undefined {
    const cls = INSTANCE_CLASSES[db.instanceClass] ?? { vcpu: 2, memoryGiB: 4 };
    const maxConnections = Math.min(5000, Math.floor((cls.memoryGiB * GIB) / 9_531_392));
    const allocated = db.allocatedStorage * GIB;
    const since = db.instanceCreateTime ?? db.sim.availableSince ?? now;
    const used = Math.min(0.1 * allocated, 1.2 * GIB) + (Math.max(0, now - since) / 3_600_000) * 20 * 1024 ** 2;
    const freeStorage = Math.max(0, allocated - used);
    if (db.status === "creating" || db.status === "deleting" || db.phase === "creating") return undefined;
    if (!SERVING.has(db.status)) {
      // Rebooting or failing over: every client connection is dropped until it is back.
      return { DatabaseConnections: 0, FreeStorageSpace: freeStorage };
    }
    const prev = minuteOf(now) - MINUTE_MS;
    const rps = this.requestsPerMinute(db.region, prev) / 60;
    const appInstances = Object.values(ec2State(this.cloud).instances).filter(
      (i) => i.region === db.region && i.State === "running",
    ).length;
    const connections = Math.min(maxConnections, 2 * appInstances + Math.round(rps / 2));
    const lastFailover = db.sim.failovers[db.sim.failovers.length - 1];
    const sinceFailover = lastFailover?.completedAt !== undefined ? now - lastFailover.completedAt : Infinity;
    // Cold caches and reconnect storms after a failover: latency x10, fading out.
    const afterglow = 1 + 9 * Math.exp(-Math.max(0, sinceFailover) / FAILOVER_AFTERGLOW_MS);
    const load = rps / cls.vcpu;
    return {
      DatabaseConnections: connections,
      CPUUtilization: Math.min(100, 3 + load * 0.8 + connections * 0.02),
      FreeableMemory: Math.max(0, cls.memoryGiB * GIB * 0.7 - connections * 10 * 1024 ** 2),
      FreeStorageSpace: freeStorage,
      ReadLatency: (0.0012 + rps * 0.00002) * afterglow,
      WriteLatency: (0.0025 + rps * 0.00003) * afterglow,
      ReadIOPS: 2 + rps * 1.5,
      WriteIOPS: 4 + rps * 0.8,
      DiskQueueDepth: 0.001 + rps * 0.0005,
    };
  }

  sample(now: number, force = false): void {
    if (!force && now - this.lastSampleAt < SAMPLE_EVERY_MS) return;
    this.lastSampleAt = now;
    this.sampleInto(minuteOf(now), now);
  }

  private sampleInto(minute: number, now: number): void {
    let dbs = this.minutes.get(minute);
    if (!dbs) this.minutes.set(minute, (dbs = new Map()));
    let dirty = false;
    for (const db of listDbInstances(this.cloud)) {
      const s = this.sampleOf(db, now);
      if (!s) continue;
      const key = `${db.region}/${db.id}`;
      let entry = dbs.get(key);
      if (!entry) dbs.set(key, (entry = { region: db.region, id: db.id, values: new Map() }));
      for (const [name, value] of Object.entries(s)) {
        let hist = entry.values.get(name);
        if (!hist) entry.values.set(name, (hist = new Map()));
        addTo(hist, Math.round(value * 1e6) / 1e6);
      }
      if (db.sim.connections !== s.DatabaseConnections) {
        db.sim.connections = s.DatabaseConnections;
        dirty = true;
      }
    }
    if (dirty) this.cloud.markDirty();
  }

  flush(minute: number, now: number): Map<string, Datum[]> {
    if (!this.minutes.has(minute)) this.sampleInto(minute, Math.min(now, minute + MINUTE_MS - 1));
    const out = new Map<string, Datum[]>();
    for (const entry of this.minutes.get(minute)!.values()) {
      const Dimensions = [{ Name: "DBInstanceIdentifier", Value: entry.id }];
      const list = out.get(entry.region) ?? [];
      for (const [name, hist] of entry.values)
        list.push({ MetricName: name, Dimensions, Timestamp: minute, Unit: UNITS[name] ?? "None", ...valuesAndCounts(hist) });
      out.set(entry.region, list);
    }
    this.minutes.delete(minute);
    return out;
  }

  clear(): void {
    this.minutes.clear();
    this.lastSampleAt = -Infinity;
  }
}

const UNITS: Record<string, string> = {
  DatabaseConnections: "Count",
  CPUUtilization: "Percent",
  FreeableMemory: "Bytes",
  FreeStorageSpace: "Bytes",
  ReadLatency: "Seconds",
  WriteLatency: "Seconds",
  ReadIOPS: "Count/Second",
  WriteIOPS: "Count/Second",
  DiskQueueDepth: "Count",
};
