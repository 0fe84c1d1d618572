/**
 * The cache's recommended alarms (AWS's ElastiCache guidance), per node since each node is its
 * own CacheClusterId in CloudWatch and a failover swaps the roles:
 *   cache-<node>-cpu               EngineCPUUtilization (the engine's one thread) > 90 %, 5 of 5 minutes
 *   cache-<node>-memory            DatabaseMemoryUsagePercentage > 80 %, 5 of 5 (evictions follow)
 *   cache-<node>-replication-lag   ReplicationLag > 1 s, 5 of 5 (only replicas publish it: missing is fine)
 * Node ids are the replication group's member clusters, <cache>-001 .. -006.
 */
import type { PutMetricAlarmCommandInput } from "../aws/sdk.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";

/** ElastiCache allows at most 6 nodes in a cluster-mode-disabled replication group. */
const MAX_NODES = 6;
const KINDS = ["cpu", "memory", "replication-lag"] as const;

export const cacheNodeIds = (cacheName: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${cacheName}-${String(i + 1).padStart(3, "0")}`);

/** Every cache alarm suffix Switchyard may create (teardown and convergence delete the ones no longer wanted). */
export function allCacheAlarmSuffixes(): string[] {
  return cacheNodeIds("cache", MAX_NODES).flatMap((node) => KINDS.map((k) => `${node}-${k}`));
}

/** The suffixes an environment with this cache should have. */
export function expectedCacheAlarmSuffixes(cache: EnvironmentSpec["cache"] | undefined): string[] {
  if (!cache) return [];
  return cacheNodeIds("cache", cache.replicas + 1).flatMap((node) =>
    KINDS.filter((k) => k !== "replication-lag" || cache.replicas > 0).map((k) => `${node}-${k}`),
  );
}

type Def = Omit<PutMetricAlarmCommandInput, "AlarmName"> & { AlarmName: string; global: boolean };

export function cacheAlarmDefinitions(
  cache: EnvironmentSpec["cache"] | undefined,
  names: { cache: string; alarm: (what: string) => string },
): Def[] {
  if (!cache) return [];
  const base = { Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: "notBreaching" as const, global: false };
  const what: Record<(typeof KINDS)[number], { metric: string; threshold: number; text: string }> = {
    cpu: { metric: "EngineCPUUtilization", threshold: 90, text: "engine CPU above 90%" },
    memory: { metric: "DatabaseMemoryUsagePercentage", threshold: 80, text: "memory use above 80% (evictions follow)" },
    "replication-lag": { metric: "ReplicationLag", threshold: 1, text: "replication lag above 1 s" },
  };
  const nodes = cacheNodeIds(names.cache, cache.replicas + 1);
  return expectedCacheAlarmSuffixes(cache).map((suffix) => {
    const index = Number(suffix.slice("cache-".length, "cache-".length + 3)) - 1;
    const kind = suffix.slice("cache-000-".length) as (typeof KINDS)[number];
    const w = what[kind];
    return {
      ...base,
      AlarmName: names.alarm(suffix),
      AlarmDescription: `Cache node ${nodes[index]}: ${w.text}`,
      Namespace: "AWS/ElastiCache",
      MetricName: w.metric,
      Dimensions: [{ Name: "CacheClusterId", Value: nodes[index] }],
      Statistic: "Average",
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: w.threshold,
    };
  });
}
