/**
 * The load generator: sends REAL HTTP through listener (or distribution) ports at each
 * profile's wall-clock rate, on keep-alive connections with bounded concurrency, so the data
 * plane, the metrics and target tracking see genuine traffic. One timer drives every profile;
 * all profiles together are capped at MAX_TOTAL_RPS (scaled down proportionally). A profile
 * whose target has no open port yet waits; one whose target was deleted stops.
 * Caller-made profiles are persisted (load.json beside the state) and resume after a restart;
 * --default-load profiles are derived and re-created.
 */
import { Agent, request } from "node:http";
import type { CloudApi } from "../../core/types.ts";
import { isFinished, rateAt, MAX_TOTAL_RPS, type LoadSpec } from "./profiles.ts";
import { endpoints, servingLoadBalancers, targetExists, urlOf } from "./targets.ts";
import { LoadStore } from "./store.ts";

const TIMER_MS = 10;
const MAX_IN_FLIGHT = 64;
const RESOLVE_EVERY_MS = 500;
const REQUEST_TIMEOUT_MS = 15_000;

export interface LoadCounters {
  sent: number;
  ok: number;
  failed: number;
  /** Failed without an HTTP status (connection refused, reset, timeout). */
  errors: number;
  inFlight: number;
  statuses: Record<string, number>;
  /** Answers per app version that served them (the `X-App-Version` response header; "unknown" without): per-fleet traffic. */
  versions: Record<string, number>;
}

interface Running {
  spec: LoadSpec;
  url?: string;
  credit: number;
  counters: LoadCounters;
}

export class LoadGenerator {
  private running = new Map<string, Running>();
  private timer: NodeJS.Timeout | undefined;
  private lastTickWall = Date.now();
  private lastResolveWall = 0;
  private nextId = 1;
  /** Load balancers whose default load the caller deleted (until they target it again). */
  private suppressedDefaults = new Set<string>();
  private defaultsOff = false;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: MAX_IN_FLIGHT * 4 });
  private readonly store: LoadStore;

  constructor(
    private readonly cloud: CloudApi,
    private readonly options: { dataDir?: string; defaultLoadRps?: number },
  ) {
    this.store = new LoadStore(options.dataDir);
    for (const spec of this.store.load()) this.adopt(spec);
    this.timer = setInterval(() => this.tick(), TIMER_MS);
    this.timer.unref();
  }

  private adopt(spec: LoadSpec): Running {
    const r: Running = { spec, credit: 0, counters: { sent: 0, ok: 0, failed: 0, errors: 0, inFlight: 0, statuses: {}, versions: {} } };
    this.running.set(spec.id, r);
    const n = Number(/^load-(\d+)$/.exec(spec.id)?.[1]);
    if (n >= this.nextId) this.nextId = n + 1;
    return r;
  }

  add(fields: Omit<LoadSpec, "id" | "startedAt">): LoadSpec {
    const spec: LoadSpec = { ...fields, id: `load-${this.nextId++}`, startedAt: this.cloud.now() };
    // A caller's profile replaces the default load on that load balancer.
    for (const r of this.running.values()) if (r.spec.default && r.spec.targetRef === spec.targetRef) this.running.delete(r.spec.id);
    this.suppressedDefaults.delete(spec.targetRef);
    this.adopt(spec);
    this.lastResolveWall = 0;
    this.persist();
    return spec;
  }

  remove(id: string): boolean {
    const r = this.running.get(id);
    if (!r) return false;
    this.running.delete(id);
    if (r.spec.default) this.suppressedDefaults.add(r.spec.targetRef);
    this.persist();
    return true;
  }

  /** Stop everything, default load included (a caller asking for quiet gets quiet). */
  removeAll(): void {
    this.running.clear();
    this.defaultsOff = true;
    this.persist();
  }

  /** After a cloud reset: the targets are gone, so are the profiles; default load resumes for new stacks. */
  reset(): void {
    this.running.clear();
    this.suppressedDefaults.clear();
    this.defaultsOff = false;
    this.persist();
  }

  list(): Array<LoadSpec & LoadCounters & { status: "waiting" | "running" | "finished"; url: string | null; currentRps: number }> {
    const now = this.cloud.now();
    return [...this.running.values()].map((r) => ({
      ...r.spec,
      status: isFinished(r.spec, now - r.spec.startedAt) ? "finished" : r.url ? "running" : "waiting",
      url: r.url ?? null,
      currentRps: Math.round(rateAt(r.spec, now - r.spec.startedAt) * 100) / 100,
      ...r.counters,
      statuses: { ...r.counters.statuses },
      versions: { ...r.counters.versions },
    }));
  }

  get(id: string) {
    return this.list().find((p) => p.id === id);
  }

  private persist(): void {
    this.store.save([...this.running.values()].filter((r) => !r.spec.default).map((r) => r.spec));
  }

  /** Resolve URLs, drop profiles whose target is gone, keep default load in step with the load balancers. */
  private resolve(): void {
    const lists = endpoints(this.cloud);
    let changed = false;
    for (const r of [...this.running.values()]) {
      const target = { kind: r.spec.targetKind, ref: r.spec.targetRef };
      if (!targetExists(this.cloud, target)) {
        this.running.delete(r.spec.id);
        changed = !r.spec.default || changed;
        continue;
      }
      r.url = urlOf(lists, target);
    }
    if (changed) this.persist();
    const rps = this.options.defaultLoadRps;
    if (!rps || this.defaultsOff) return;
    const targeted = new Set([...this.running.values()].map((r) => r.spec.targetRef));
    for (const arn of servingLoadBalancers(lists)) {
      if (targeted.has(arn) || this.suppressedDefaults.has(arn)) continue;
      const spec: LoadSpec = {
        id: `default-${this.nextId++}`,
        target: arn,
        targetKind: "loadBalancer",
        targetRef: arn,
        profile: "constant",
        rps,
        path: "/",
        startedAt: this.cloud.now(),
        default: true,
      };
      this.adopt(spec).url = urlOf(lists, { kind: "loadBalancer", ref: arn });
    }
  }

  private tick(): void {
    const wall = Date.now();
    const dt = Math.min(1000, wall - this.lastTickWall);
    this.lastTickWall = wall;
    if (wall - this.lastResolveWall >= RESOLVE_EVERY_MS) {
      this.lastResolveWall = wall;
      try {
        this.resolve();
      } catch (err) {
        console.error("localcloud: load generator could not resolve targets:", err);
      }
    }
    const now = this.cloud.now();
    const rates = new Map<Running, number>();
    let total = 0;
    for (const r of this.running.values()) {
      if (!r.url) continue;
      const rate = rateAt(r.spec, now - r.spec.startedAt);
      rates.set(r, rate);
      total += rate;
    }
    const scale = total > MAX_TOTAL_RPS ? MAX_TOTAL_RPS / total : 1;
    for (const [r, rate] of rates) {
      // Credit accrues at the rate; a stalled event loop catches up by at most one second's worth.
      r.credit = Math.min(r.credit + (rate * scale * dt) / 1000, Math.max(1, rate * scale));
      while (r.credit >= 1 && r.counters.inFlight < MAX_IN_FLIGHT) {
        r.credit -= 1;
        this.send(r);
      }
    }
  }

  private send(r: Running): void {
    const c = r.counters;
    c.sent++;
    c.inFlight++;
    let settled = false;
    const done = (status: number | undefined) => {
      if (settled) return;
      settled = true;
      c.inFlight--;
      if (status === undefined) {
        c.failed++;
        c.errors++;
        return;
      }
      c.statuses[status] = (c.statuses[status] ?? 0) + 1;
      if (status < 400) c.ok++;
      else c.failed++;
    };
    try {
      const req = request(
        r.url + r.spec.path,
        { agent: this.agent, headers: { "user-agent": "localcloud-load/1.0" }, timeout: REQUEST_TIMEOUT_MS },
        (res) => {
          res.resume();
          const version = String(res.headers["x-app-version"] ?? "unknown");
          c.versions[version] = (c.versions[version] ?? 0) + 1;
          res.on("end", () => done(res.statusCode));
          res.on("error", () => done(undefined));
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", () => done(undefined));
      req.end();
    } catch {
      done(undefined);
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.agent.destroy();
  }
}
