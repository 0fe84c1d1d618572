/**
 * Alarm step:
 *   ensureAlarms (needs ensureLoadBalancer.loadBalancerArn/targetGroupArns, ensureDistribution.
 *                distributionId, ensureDatabase): the recommended set of METRICS.md for this
 *                environment, named <prefix><name>-<what>. An alarm is rewritten only when its
 *                definition changed (a fingerprint in its description); alarms no longer wanted
 *                (database or CloudFront turned off) are deleted. An existing alarm is changed or
 *                deleted only if it carries the environment's tag (ownership.ts).
 */
import { createHash } from "node:crypto";
import {
  DeleteAlarmsCommand,
  ListAlarmTagsCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type PutMetricAlarmCommandInput,
} from "../aws/sdk.ts";
import { DB_INSTANCE_CLASSES } from "../catalog/aws.ts";
import { allCacheAlarmSuffixes, cacheAlarmDefinitions, expectedCacheAlarmSuffixes } from "./cache-alarms.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { defineStep, namesOf, SLOTS, tagsOf, type NamedEnvironment, type Slot, type StepContext, type StepInput } from "./context.ts";
import { checkOwner } from "./ownership.ts";
import { describeAlarms as describeMetricAlarms } from "../aws/cloudwatch.ts";

export const lbDimension = (loadBalancerArn: string) => loadBalancerArn.split(":loadbalancer/")[1] ?? loadBalancerArn;
export const tgDimension = (targetGroupArn: string) => targetGroupArn.split(":").slice(5).join(":");

export interface AlarmTargets {
  loadBalancerArn: string;
  targetGroupArns: Record<Slot, string>;
  distributionId: string | null;
}

type AlarmDef = Omit<PutMetricAlarmCommandInput, "AlarmName"> & { AlarmName: string; global: boolean };

/** Every alarm name Switchyard may create for an environment (teardown deletes these). */
export function allAlarmNames(env: NamedEnvironment): string[] {
  const n = namesOf(env);
  return [
    ...SLOTS.flatMap((s) => [n.alarm(`${s}-5xx-rate`), n.alarm(`${s}-p95-latency`), n.alarm(`${s}-unhealthy-hosts`)]),
    ...["db-cpu", "db-storage", "db-connections", "db-read-latency", "db-write-latency", "cdn-5xx-rate"].map(n.alarm),
    ...allCacheAlarmSuffixes().map(n.alarm),
  ];
}

/** The alarms an environment with this spec should have. */
export function expectedAlarmNames(
  spec: Pick<EnvironmentSpec, "name" | "database" | "cloudfront"> & { cache?: EnvironmentSpec["cache"] },
  namePrefix: string | null = null,
): string[] {
  const prefix = `${namePrefix ?? ""}${spec.name}`;
  const cache = new Set(expectedCacheAlarmSuffixes(spec.cache).map((s) => `${prefix}-${s}`));
  return allAlarmNames({ name: spec.name, namePrefix }).filter(
    (a) =>
      (spec.database || !/-db-[a-z-]+$/.test(a.slice(prefix.length))) &&
      (spec.cloudfront || !a.endsWith("-cdn-5xx-rate")) &&
      (!/-cache-\d{3}-[a-z-]+$/.test(a.slice(prefix.length)) || cache.has(a)),
  );
}

/** Approximate max_connections of RDS's default parameter groups for the class's memory. */
function maxConnections(engine: "postgres" | "mysql", instanceClass: string): number {
  const bytes = (DB_INSTANCE_CLASSES[instanceClass]?.memoryGiB ?? 1) * 1024 ** 3;
  return engine === "postgres" ? Math.min(Math.floor(bytes / 9_531_392), 5000) : Math.floor(bytes / 12_582_880);
}

export function alarmDefinitions(spec: EnvironmentSpec, t: AlarmTargets, namePrefix: string | null = null): AlarmDef[] {
  const n = namesOf({ name: spec.name, namePrefix });
  const base = { Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: "notBreaching" as const, global: false };
  const defs: AlarmDef[] = [];
  const lb = { Name: "LoadBalancer", Value: lbDimension(t.loadBalancerArn) };
  for (const slot of SLOTS) {
    const dims = [{ Name: "TargetGroup", Value: tgDimension(t.targetGroupArns[slot]) }, lb];
    const metric = (MetricName: string, Stat: string) => ({
      Metric: { Namespace: "AWS/ApplicationELB", MetricName, Dimensions: dims },
      Period: 60,
      Stat,
    });
    const { Period: _period, ...mathBase } = base; // Period lives in each metric of a math alarm
    defs.push({
      ...mathBase,
      AlarmName: n.alarm(`${slot}-5xx-rate`),
      AlarmDescription: `Target 5xx rate of the ${slot} fleet above ${spec.autoRollback.max5xxRatePercent}%`,
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: spec.autoRollback.max5xxRatePercent,
      Metrics: [
        { Id: "errors", MetricStat: metric("HTTPCode_Target_5XX_Count", "Sum"), ReturnData: false },
        { Id: "requests", MetricStat: metric("RequestCount", "Sum"), ReturnData: false },
        { Id: "rate", Expression: "100*FILL(errors,0)/FILL(requests,1)", Label: "5xx rate (%)", ReturnData: true },
      ],
    });
    defs.push({
      ...base,
      AlarmName: n.alarm(`${slot}-p95-latency`),
      AlarmDescription: `p95 response time of the ${slot} fleet above ${spec.autoRollback.maxP95LatencyMs} ms`,
      Namespace: "AWS/ApplicationELB",
      MetricName: "TargetResponseTime",
      Dimensions: dims,
      ExtendedStatistic: "p95",
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: spec.autoRollback.maxP95LatencyMs / 1000,
    });
    defs.push({
      ...base,
      AlarmName: n.alarm(`${slot}-unhealthy-hosts`),
      AlarmDescription: `An unhealthy target in the ${slot} fleet`,
      Namespace: "AWS/ApplicationELB",
      MetricName: "UnHealthyHostCount",
      Dimensions: dims,
      Statistic: "Maximum",
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      Threshold: 1,
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
    });
  }
  const db = spec.database;
  if (db) {
    const Dimensions = [{ Name: "DBInstanceIdentifier", Value: n.db }];
    const rds = (
      what: string,
      MetricName: string,
      stat: { Statistic?: "Average" | "Minimum"; ExtendedStatistic?: string },
      op: "GreaterThanThreshold" | "LessThanThreshold",
      Threshold: number,
      AlarmDescription: string,
    ): AlarmDef => ({
      ...base,
      AlarmName: n.alarm(what),
      AlarmDescription,
      Namespace: "AWS/RDS",
      MetricName,
      Dimensions,
      ...stat,
      ComparisonOperator: op,
      Threshold,
    });
    const max = maxConnections(db.engine, db.instanceClass);
    defs.push(
      rds("db-cpu", "CPUUtilization", { Statistic: "Average" }, "GreaterThanThreshold", 90, "Database CPU above 90%"),
      rds(
        "db-storage",
        "FreeStorageSpace",
        { Statistic: "Minimum" },
        "LessThanThreshold",
        Math.round(db.storageGb * 1024 ** 3 * 0.1),
        "Database free storage below 10% of allocated",
      ),
      rds(
        "db-connections",
        "DatabaseConnections",
        { Statistic: "Average" },
        "GreaterThanThreshold",
        Math.floor(max * 0.9),
        `Database connections above 90% of about ${max}`,
      ),
      rds(
        "db-read-latency",
        "ReadLatency",
        { ExtendedStatistic: "p90" },
        "GreaterThanThreshold",
        0.02,
        "Database p90 read latency above 20 ms",
      ),
      rds(
        "db-write-latency",
        "WriteLatency",
        { ExtendedStatistic: "p90" },
        "GreaterThanThreshold",
        0.02,
        "Database p90 write latency above 20 ms",
      ),
    );
  }
  defs.push(...cacheAlarmDefinitions(spec.cache, n));
  if (spec.cloudfront && t.distributionId) {
    defs.push({
      ...base,
      global: true,
      AlarmName: n.alarm("cdn-5xx-rate"),
      AlarmDescription: `CloudFront 5xx error rate above ${spec.autoRollback.max5xxRatePercent}%`,
      Namespace: "AWS/CloudFront",
      MetricName: "5xxErrorRate",
      Dimensions: [
        { Name: "DistributionId", Value: t.distributionId },
        { Name: "Region", Value: "Global" },
      ],
      Statistic: "Average",
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: spec.autoRollback.max5xxRatePercent,
    });
  }
  return defs;
}

const fingerprintOf = (def: AlarmDef) => `[sy:${createHash("sha256").update(JSON.stringify(def)).digest("hex").slice(0, 12)}]`;

/** Existing alarms among `names` with their descriptions (DescribeAlarms takes up to 100 names). */
export async function describeAlarms(client: CloudWatchClient, names: string[]) {
  return describeMetricAlarms(client, { names });
}

/** Throws unless the alarm carries the environment's tag: an alarm is only found by name. */
export async function checkAlarmOwner(
  ctx: StepContext,
  client: CloudWatchClient,
  alarm: { AlarmName?: string; AlarmArn?: string },
): Promise<void> {
  const tags = alarm.AlarmArn ? (await client.send(new ListAlarmTagsCommand({ ResourceARN: alarm.AlarmArn }))).Tags : undefined;
  checkOwner(ctx, "An alarm", alarm.AlarmName ?? "", tags);
}

async function converge(ctx: StepContext, input: StepInput, client: CloudWatchClient, defs: AlarmDef[], unwanted: string[]): Promise<void> {
  const existing = await describeAlarms(client, [...defs.map((d) => d.AlarmName), ...unwanted]);
  for (const { global: _g, ...def } of defs) {
    const fingerprint = fingerprintOf({ ...def, global: _g });
    const current = existing.find((a) => a.AlarmName === def.AlarmName);
    // Our fingerprint names this environment's resources (its target groups, database...): ours.
    if (current?.AlarmDescription?.endsWith(fingerprint)) {
      ctx.touch("cloudwatch:alarm", def.AlarmName, "found");
      continue;
    }
    if (current) await checkAlarmOwner(ctx, client, current);
    await client.send(
      new PutMetricAlarmCommand({
        ...def,
        AlarmDescription: `${def.AlarmDescription} ${fingerprint}`,
        Tags: tagsOf(input, undefined, { Name: def.AlarmName }),
      }),
    );
    ctx.touch("cloudwatch:alarm", def.AlarmName, current ? "updated" : "created");
  }
  const staleAlarms = existing.filter((a) => a.AlarmName && unwanted.includes(a.AlarmName));
  for (const a of staleAlarms) await checkAlarmOwner(ctx, client, a);
  const stale = staleAlarms.map((a) => a.AlarmName!);
  if (stale.length) {
    await client.send(new DeleteAlarmsCommand({ AlarmNames: stale }));
    for (const name of stale) ctx.touch("cloudwatch:alarm", name, "deleted");
  }
}

export const ensureAlarms = defineStep(
  "create the alarms",
  async (input: StepInput & AlarmTargets, ctx): Promise<{ alarmNames: string[] }> => {
    const defs = alarmDefinitions(input.spec, input, ctx.names.prefix);
    const all = allAlarmNames({ name: input.spec.name, namePrefix: ctx.names.prefix });
    const cdnName = ctx.names.alarm("cdn-5xx-rate");
    const wanted = new Set(defs.map((d) => d.AlarmName));
    const unwanted = all.filter((a) => !wanted.has(a));
    await converge(
      ctx,
      input,
      ctx.aws.cloudwatch,
      defs.filter((d) => !d.global),
      unwanted.filter((a) => a !== cdnName),
    );
    await converge(
      ctx,
      input,
      ctx.aws.cloudwatchGlobal,
      defs.filter((d) => d.global),
      unwanted.filter((a) => a === cdnName),
    );
    return { alarmNames: defs.map((d) => d.AlarmName) };
  },
);
