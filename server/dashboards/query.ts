/**
 * The query builder: every series of an environment's dashboard as MetricDataQuery entries
 * for ONE GetMetricData call in the environment's region, plus CloudFront's (which live in
 * us-east-1 with Region=Global) for a second call only when the environment has a
 * distribution. Pure: the tests check ids, expressions and periods.
 *
 * Ids: lower-case start, [a-z0-9_] (CloudWatch's rule). Hidden inputs (ReturnData false) are
 * prefixed `m_`; what the charts show is listed in `series` with its chart and unit.
 */
import type { MetricDataQuery } from "../aws/sdk.ts";
import { lbDimension, tgDimension } from "../provisioning/alarms.ts";
import type { ChartKey, Slot, Unit } from "./types.ts";

export const SLOTS: readonly Slot[] = ["blue", "green"];

/** What the queries need to know about an environment's stack (from its stored read-back). */
export interface DashboardTarget {
  loadBalancerArn: string | null;
  targetGroupArns: Record<Slot, string | null>;
  asgNames: Record<Slot, string | null>;
  dbIdentifier: string | null;
  distributionId: string | null;
  /** The cache's nodes (cache cluster ids, CloudWatch's CacheClusterId); none without a cache. */
  cacheNodeIds?: string[];
}

export interface SeriesDef {
  id: string;
  chart: ChartKey;
  label: string;
  unit: Unit;
  slot?: Slot;
  /** Values are multiplied by this (seconds -> ms). */
  scale?: number;
  global?: boolean;
}

export interface DashboardQueries {
  regional: MetricDataQuery[];
  global: MetricDataQuery[];
  series: SeriesDef[];
}

type Dim = { Name: string; Value: string };

function stat(
  Id: string,
  Namespace: string,
  MetricName: string,
  Dimensions: Dim[],
  Stat: string,
  Period: number,
  ReturnData: boolean,
  Label?: string,
): MetricDataQuery {
  return { Id, MetricStat: { Metric: { Namespace, MetricName, Dimensions }, Period, Stat }, ReturnData, ...(Label ? { Label } : {}) };
}

const expr = (Id: string, Expression: string, Label: string): MetricDataQuery => ({ Id, Expression, Label, ReturnData: true });

/**
 * Series groups, refreshed at different rates because their data arrives at different rates:
 *   traffic  the load balancer's requests, 5xx, latency and healthy hosts (one-minute data;
 *            what a deploy is judged on): refreshed once per period, right after it ends;
 *   fleet    Auto Scaling capacity, EC2 CPU (five-minute data without detailed monitoring),
 *            RDS, ElastiCache and CloudFront: refreshed every five minutes (or per period, if longer).
 */
export type SeriesGroup = "traffic" | "fleet";
export const SERIES_GROUPS: readonly SeriesGroup[] = ["traffic", "fleet"];

export interface QueryOptions {
  groups?: readonly SeriesGroup[];
  /** The fleets to chart (default both): an idle fleet with nothing in the window costs metrics and shows nothing. */
  slots?: readonly Slot[];
}

export function buildDashboardQueries(t: DashboardTarget, periodSeconds: number, opts: QueryOptions = {}): DashboardQueries {
  const regional: MetricDataQuery[] = [];
  const global: MetricDataQuery[] = [];
  const series: SeriesDef[] = [];
  const P = periodSeconds;
  const groups = new Set(opts.groups ?? SERIES_GROUPS);
  const slots = SLOTS.filter((s) => !opts.slots || opts.slots.includes(s));
  const show = (def: SeriesDef, q: MetricDataQuery, into = regional) => {
    into.push(q);
    series.push(def);
  };

  if (t.loadBalancerArn && groups.has("traffic")) {
    const lb: Dim = { Name: "LoadBalancer", Value: lbDimension(t.loadBalancerArn) };
    const elb = (Id: string, m: string, dims: Dim[], s: string, ret: boolean) => stat(Id, "AWS/ApplicationELB", m, dims, s, P, ret);
    // Requests per second: Sum per period over the period's length, gaps (no traffic) as 0.
    regional.push(elb("m_req", "RequestCount", [lb], "Sum", false));
    show(
      { id: "requests", chart: "requests", label: "All requests", unit: "rps" },
      expr("requests", "FILL(m_req,0)/PERIOD(m_req)", "All requests"),
    );
    for (const slot of slots) {
      const tg = t.targetGroupArns[slot];
      if (!tg) continue;
      const dims: Dim[] = [{ Name: "TargetGroup", Value: tgDimension(tg) }, lb];
      regional.push(
        elb(`m_req_${slot}`, "RequestCount", dims, "Sum", false),
        elb(`m_5xx_${slot}`, "HTTPCode_Target_5XX_Count", dims, "Sum", false),
      );
      show(
        { id: `requests_${slot}`, chart: "requests", label: `${slot} fleet`, unit: "rps", slot },
        expr(`requests_${slot}`, `FILL(m_req_${slot},0)/PERIOD(m_req_${slot})`, `${slot} requests`),
      );
      show(
        { id: `rate5xx_${slot}`, chart: "errorRate", label: `${slot} 5xx %`, unit: "percent", slot },
        expr(`rate5xx_${slot}`, `100*FILL(m_5xx_${slot},0)/FILL(m_req_${slot},1)`, `${slot} 5xx rate`),
      );
      for (const p of ["p50", "p95", "p99"] as const) {
        show(
          { id: `${p}_${slot}`, chart: "latency", label: `${slot} ${p}`, unit: "ms", slot, scale: 1000 },
          elb(`${p}_${slot}`, "TargetResponseTime", dims, p, true),
        );
      }
      show(
        { id: `healthy_${slot}`, chart: "healthyHosts", label: `${slot} healthy`, unit: "count", slot },
        elb(`healthy_${slot}`, "HealthyHostCount", dims, "Minimum", true),
      );
    }
  }
  if (!groups.has("fleet")) return { regional, global, series };
  for (const slot of slots) {
    const asg = t.asgNames[slot];
    if (!asg) continue;
    const dims: Dim[] = [{ Name: "AutoScalingGroupName", Value: asg }];
    const group = (Id: string, m: string) => stat(Id, "AWS/AutoScaling", m, dims, "Average", P, true);
    show(
      { id: `desired_${slot}`, chart: "capacity", label: `${slot} desired`, unit: "count", slot },
      group(`desired_${slot}`, "GroupDesiredCapacity"),
    );
    show(
      { id: `inservice_${slot}`, chart: "capacity", label: `${slot} in service`, unit: "count", slot },
      group(`inservice_${slot}`, "GroupInServiceInstances"),
    );
    show(
      { id: `pending_${slot}`, chart: "capacity", label: `${slot} pending`, unit: "count", slot },
      group(`pending_${slot}`, "GroupPendingInstances"),
    );
    show(
      { id: `cpu_${slot}`, chart: "cpu", label: `${slot} CPU`, unit: "percent", slot },
      stat(`cpu_${slot}`, "AWS/EC2", "CPUUtilization", dims, "Average", P, true),
    );
  }
  if (t.dbIdentifier) {
    const dims: Dim[] = [{ Name: "DBInstanceIdentifier", Value: t.dbIdentifier }];
    const rds = (Id: string, m: string, s: string) => stat(Id, "AWS/RDS", m, dims, s, P, true);
    show({ id: "db_cpu", chart: "dbCpu", label: "DB CPU", unit: "percent" }, rds("db_cpu", "CPUUtilization", "Average"));
    show(
      { id: "db_connections", chart: "dbConnections", label: "Connections", unit: "count" },
      rds("db_connections", "DatabaseConnections", "Average"),
    );
    show(
      { id: "db_free_storage", chart: "dbStorage", label: "Free storage", unit: "bytes" },
      rds("db_free_storage", "FreeStorageSpace", "Minimum"),
    );
    show(
      { id: "db_read_latency", chart: "dbLatency", label: "Read latency p90", unit: "ms", scale: 1000 },
      rds("db_read_latency", "ReadLatency", "p90"),
    );
  }
  for (const node of t.cacheNodeIds ?? []) addCacheSeries(node, P, show);
  if (t.distributionId) {
    const dims: Dim[] = [
      { Name: "DistributionId", Value: t.distributionId },
      { Name: "Region", Value: "Global" },
    ];
    global.push(stat("m_cdn_req", "AWS/CloudFront", "Requests", dims, "Sum", P, false));
    show(
      { id: "cdn_requests", chart: "cdnRequests", label: "CloudFront requests", unit: "rps", global: true },
      expr("cdn_requests", "FILL(m_cdn_req,0)/PERIOD(m_cdn_req)", "CloudFront requests"),
      global,
    );
    show(
      { id: "cdn_5xx", chart: "cdnErrors", label: "5xx error rate", unit: "percent", global: true },
      stat("cdn_5xx", "AWS/CloudFront", "5xxErrorRate", dims, "Average", P, true),
      global,
    );
  }
  return { regional, global, series };
}

/**
 * One cache node's series (AWS/ElastiCache per CacheClusterId): CPU, memory, evictions, hit rate,
 * connections and replication lag (replicas publish it; the primary has none, so a failover shows
 * as the lag moving to the other node).
 */
function addCacheSeries(node: string, P: number, show: (def: SeriesDef, q: MetricDataQuery) => void) {
  const dims: Dim[] = [{ Name: "CacheClusterId", Value: node }];
  const id = node.replace(/[^a-z0-9]/gi, "_").toLowerCase();
  const label = `node ${node.slice(-3)}`;
  const metric = (key: string, chart: ChartKey, m: string, s: string, unit: Unit, scale?: number) =>
    show(
      { id: `cache_${key}_${id}`, chart, label, unit, ...(scale ? { scale } : {}) },
      stat(`cache_${key}_${id}`, "AWS/ElastiCache", m, dims, s, P, true),
    );
  metric("cpu", "cacheCpu", "EngineCPUUtilization", "Average", "percent");
  metric("mem", "cacheMemory", "DatabaseMemoryUsagePercentage", "Average", "percent");
  metric("evictions", "cacheEvictions", "Evictions", "Sum", "count");
  metric("hits", "cacheHitRate", "CacheHitRate", "Average", "percent");
  metric("conns", "cacheConnections", "CurrConnections", "Average", "count");
  metric("lag", "cacheReplicationLag", "ReplicationLag", "Average", "ms", 1000);
}
