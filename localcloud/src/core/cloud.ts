/**
 * The cloud: simulated clock, every service's persistent state, the tick loop that advances
 * lifecycles, call statistics and injected faults. Services see it as a CloudApi.
 */
import { SimClock } from "./clock.ts";
import { FaultSet } from "./faults.ts";
import { StateStore } from "./store.ts";
import { DEFAULT_ACCOUNT_ID } from "./ids.ts";
import type { CloudApi, ServiceModule, ServiceName } from "./types.ts";

export type RecordMetricData = (cloud: CloudApi, region: string, namespace: string, data: Parameters<CloudApi["putMetricData"]>[2]) => void;

export interface LocalCloudOptions {
  dataDir: string;
  /** Explicit speed; if absent the persisted speed, else defaultSpeed. */
  speed?: number;
  defaultSpeed: number;
  accountId?: string;
  services: Record<ServiceName, ServiceModule>;
  /** CloudWatch's sink for simulated metrics. */
  recordMetricData?: RecordMetricData;
  tickIntervalMs?: number;
}

/** Tick errors are logged at most this often per service, so a broken tick cannot flood stderr. */
const TICK_ERROR_LOG_INTERVAL_MS = 5_000;

/**
 * Ticks closer together than this many SIMULATED ms are one: every request ticks before its
 * handler runs, and at a low speed a burst of calls would otherwise re-run every service's tick
 * (Auto Scaling, health checks, the data plane...) for the same instant. Lifecycles move in
 * seconds, so a read is at most this stale; a clock jump of at least that much always ticks.
 */
export const MIN_TICK_GAP_MS = 100;

export class LocalCloud implements CloudApi {
  readonly accountId: string;
  readonly clock: SimClock;
  readonly faults = new FaultSet();
  readonly store: StateStore;
  readonly modules: Record<ServiceName, ServiceModule>;
  private states: Record<string, unknown> = {};
  private calls = new Map<string, number>();
  private tickTimer: NodeJS.Timeout | undefined;
  private lastTickErrorLog = new Map<string, number>();
  private ticking = false;
  private lastTickAt = -Infinity;
  private readonly recordMetricData?: RecordMetricData;

  constructor(private readonly options: LocalCloudOptions) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.modules = options.services;
    this.recordMetricData = options.recordMetricData;
    this.store = new StateStore(options.dataDir, () => ({ services: this.states, clock: this.clock.toJSON() }));
    const persisted = this.store.load();
    this.clock = new SimClock({ nowMs: persisted?.clock?.nowMs, speed: options.speed ?? persisted?.clock?.speed ?? options.defaultSpeed });
    for (const [name, mod] of Object.entries(this.modules)) {
      this.states[name] = persisted?.services?.[name] ?? mod.initialState();
    }
  }

  now(): number {
    return this.clock.now();
  }

  speed(): number {
    return this.clock.speed();
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    this.markDirty();
  }

  state<S = unknown>(service: ServiceName): S {
    if (!(service in this.states)) throw new Error(`unknown service ${service}`);
    return this.states[service] as S;
  }

  markDirty(): void {
    this.store.markDirty();
  }

  service(name: ServiceName): ServiceModule {
    const mod = this.modules[name];
    if (!mod) throw new Error(`unknown service ${name}`);
    return mod;
  }

  putMetricData(region: string, namespace: string, data: Parameters<CloudApi["putMetricData"]>[2]): void {
    // Until CloudWatch provides its sink, simulated metrics are dropped (nothing could read them anyway).
    this.recordMetricData?.(this, region, namespace, data);
  }

  /** Count a call for /_localcloud/stats. */
  countCall(service: ServiceName, operation: string): void {
    const key = `${service}:${operation}`;
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }

  stats(): { calls: Record<string, number> } {
    return { calls: Object.fromEntries([...this.calls.entries()].sort(([a], [b]) => a.localeCompare(b))) };
  }

  /** Every service back to its initial state; stats and faults cleared. The clock keeps running. */
  reset(): void {
    for (const [name, mod] of Object.entries(this.modules)) this.states[name] = mod.initialState();
    this.calls.clear();
    this.faults.clear();
    this.markDirty();
  }

  /** Run every service's tick once at the current simulated time. */
  tick(): void {
    if (this.ticking) return; // a tick that publishes metrics may re-enter through putMetricData
    const now = this.now();
    if (now - this.lastTickAt < MIN_TICK_GAP_MS) return;
    this.lastTickAt = now;
    this.ticking = true;
    try {
      for (const [name, mod] of Object.entries(this.modules)) {
        if (!mod.tick) continue;
        try {
          mod.tick(this, now);
        } catch (err) {
          const last = this.lastTickErrorLog.get(name) ?? 0;
          if (Date.now() - last > TICK_ERROR_LOG_INTERVAL_MS) {
            this.lastTickErrorLog.set(name, Date.now());
            console.error(`localcloud: ${name}.tick failed:`, err);
          }
        }
      }
    } finally {
      this.ticking = false;
    }
  }

  start(): void {
    if (this.tickTimer) return;
    this.tickTimer = setInterval(() => this.tick(), this.options.tickIntervalMs ?? 50);
    this.tickTimer.unref();
  }

  /** Stop ticking and write the final state. */
  close(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = undefined;
    this.store.close();
  }
}
