/**
 * The simulation of one cloud: turns the data plane's traffic records and the resources'
 * state into CloudWatch metrics each simulated minute, and runs the load generator.
 *
 * Per tick (run just before CloudWatch evaluates alarms, so a closed minute is published
 * before any alarm looks at it):
 *   1. notice a cloud reset (state objects replaced): drop partial minutes and load profiles;
 *   2. sample target health, RDS and ElastiCache every ~10 simulated seconds;
 *   3. publish each closed minute of EC2 (at its monitoring cadence, ec2-metrics.ts), RDS and ElastiCache;
 *   4. hand each closed slice (a third of a minute) of ALB and CloudFront metrics to the delay
 *      queue, which releases it to CloudWatch 1-3 minutes after its minute ends, so the newest
 *      minute is partial at first (metric-delay.ts); late records of a slice already handed over
 *      follow it (count metrics only when non-zero).
 */
import type { CloudApi } from "../core/types.ts";
import { onTraffic, type TrafficRecord } from "../dataplane/traffic.ts";
import { elbState } from "../services/elbv2/state.ts";
import { AlbMetrics } from "./alb-metrics.ts";
import { CloudFrontMetrics } from "./cloudfront-metrics.ts";
import { Ec2Metrics } from "./ec2-metrics.ts";
import { HostCounts } from "./host-counts.ts";
import { LoadGenerator } from "./load/generator.ts";
import { MinuteCursor, minuteOf, MINUTE_MS, type Datum } from "./minutes.ts";
import { DelayedMetrics, sliceOf, SLICE_MS } from "./metric-delay.ts";
import { RdsMetrics } from "./rds-metrics.ts";
import { ElastiCacheMetrics } from "./elasticache-metrics.ts";
import { bootstrapOf } from "./bootstrap/index.ts";

export interface SimulationOptions {
  dataDir?: string;
  /** Wall requests per second sent to every active load balancer no profile targets (0/undefined: off). */
  defaultLoadRps?: number;
}

export class Simulation {
  readonly alb = new AlbMetrics();
  readonly hosts: HostCounts;
  readonly ec2: Ec2Metrics;
  readonly rds: RdsMetrics;
  readonly elasticache: ElastiCacheMetrics;
  readonly cloudfront = new CloudFrontMetrics();
  readonly load: LoadGenerator;
  /** ALB and CloudFront datapoints on their way to CloudWatch. */
  readonly delayed = new DelayedMetrics();
  private readonly cursor = new MinuteCursor();
  private readonly sliceCursor = new MinuteCursor(SLICE_MS);
  private readonly unsubscribe: () => void;
  private elbStateSeen: unknown;

  constructor(
    private readonly cloud: CloudApi,
    options: SimulationOptions = {},
  ) {
    this.hosts = new HostCounts(cloud);
    this.ec2 = new Ec2Metrics(cloud);
    this.rds = new RdsMetrics(cloud, (region, minute) => this.alb.requestsIn(region, minute));
    this.elasticache = new ElastiCacheMetrics(cloud, (region, minute) => this.alb.requestsIn(region, minute));
    this.load = new LoadGenerator(cloud, options);
    // Bootstrap outcomes live next to the state, so a restart neither re-runs nor forgets them.
    bootstrapOf(cloud, options.dataDir);
    this.unsubscribe = onTraffic((r) => this.record(r));
  }

  /** One traffic record; records of another cloud in the same process are ignored. */
  record(r: TrafficRecord): void {
    if (r.kind === "alb") {
      if (!r.loadBalancerArn || !elbState(this.cloud).loadBalancers[r.loadBalancerArn]) return;
      this.alb.add(r);
      this.ec2.add(r);
    } else if (r.kind === "cloudfront") {
      const distributions = this.cloud.state<{ distributions?: Record<string, unknown> }>("cloudfront").distributions ?? {};
      if (!r.distributionId || !Object.hasOwn(distributions, r.distributionId)) return;
      this.cloudfront.add(r);
    }
  }

  tick(now: number): void {
    this.noticeReset();
    this.hosts.sample(now);
    this.rds.sample(now);
    this.elasticache.sample(now);
    const current = minuteOf(now);
    for (const minute of this.cursor.closed(now)) {
      this.publish("AWS/EC2", this.ec2.flush(minute));
      this.publish("AWS/RDS", this.rds.flush(minute, now));
      this.publish("AWS/ElastiCache", this.elasticache.flush(minute, now));
    }
    for (const slice of this.sliceCursor.closed(now)) this.delayed.hold(slice, "AWS/ApplicationELB", this.hosts.flush(slice));
    const currentSlice = sliceOf(now);
    for (const slice of this.alb.pendingSlices()) {
      if (slice >= currentSlice) break;
      this.delayed.hold(
        slice,
        "AWS/ApplicationELB",
        this.alb.flush(slice, (tg) => this.hosts.healthyAverage(minuteOf(slice), tg)),
      );
    }
    for (const slice of this.cloudfront.pendingSlices()) {
      if (slice >= currentSlice) break;
      this.delayed.hold(slice, "AWS/CloudFront", this.cloudfront.flush(slice));
    }
    this.delayed.release(this.cloud, now);
    this.hosts.dropBefore(current - 5 * MINUTE_MS);
  }

  private publish(namespace: string, byRegion: Map<string, Datum[]>): void {
    for (const [region, data] of byRegion) if (data.length) this.cloud.putMetricData(region, namespace, data);
  }

  /** POST /_localcloud/reset replaces every state object: what was aggregated belongs to a stack that is gone. */
  private noticeReset(): void {
    const current = elbState(this.cloud);
    if (this.elbStateSeen !== undefined && this.elbStateSeen !== current) {
      this.alb.clear();
      this.hosts.clear();
      this.ec2.clear();
      this.rds.clear();
      this.elasticache.clear();
      this.cloudfront.clear();
      this.delayed.clear();
      this.load.reset();
    }
    this.elbStateSeen = current;
  }

  close(): void {
    this.unsubscribe();
    this.load.close();
  }
}

const simulations = new WeakMap<CloudApi, Simulation>();

export function startSimulation(cloud: CloudApi, options: SimulationOptions = {}): Simulation {
  const existing = simulations.get(cloud);
  if (existing) return existing;
  const sim = new Simulation(cloud, options);
  simulations.set(cloud, sim);
  return sim;
}

export function simulationOf(cloud: CloudApi): Simulation | undefined {
  return simulations.get(cloud);
}
