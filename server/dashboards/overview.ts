/**
 * The environments overview: per listed environment its status, live version, traffic split
 * (each fleet's share of the last 5 minutes' requests), a health summary (healthy hosts of the
 * live fleet, target 5xx rate, alarms firing) and a request-rate sparkline (last hour, per
 * minute). Batched: ONE GetMetricData per account and region for every listed environment
 * (5 queries each, so up to 100 environments per call; more are split into calls of 500
 * queries) and one DescribeAlarms (state ALARM) per account and region. Shared per 10-second
 * window like the environment dashboards.
 */
import { requireRole, type Actor } from "../auth/actor.ts";
import { awsClients, freshServerNow } from "../aws/clients.ts";
import type { MetricDataQuery, CloudWatchClient } from "../aws/sdk.ts";
import { db } from "../db/client.ts";
import { lbDimension, tgDimension } from "../provisioning/alarms.ts";
import { accountOf } from "../accounts/account-ref.ts";
import { namesOf } from "../provisioning/context.ts";
import type { Stack } from "../provisioning/read-stack.ts";
import { WindowCache } from "./cache.ts";
import { REFRESH_MS } from "./ranges.ts";
import { statusOfError } from "./topology.ts";
import type { PanelStatus, Slot } from "./types.ts";
import { describeAlarms, metricData } from "../aws/cloudwatch.ts";

export interface OverviewRow {
  name: string;
  provisioned: boolean;
  status: string;
  liveVersion: string | null;
  liveSlot: Slot;
  /** Percent of the last 5 minutes' requests per fleet; null without traffic. */
  split: Record<Slot, number> | null;
  health: {
    level: "ok" | "warning" | "critical" | "unknown";
    healthyHosts: number | null;
    errorRatePercent: number | null;
    alarmsFiring: string[];
  };
  /** Requests per second, one point per minute over the last hour. */
  sparkline: number[];
  metricsStatus: PanelStatus;
}

export interface Overview {
  fetchedAt: number;
  rows: OverviewRow[];
  getMetricDataCalls: number;
}

const MAX_QUERIES = 500;
const HOUR = 3_600_000;
const cache = new WindowCache<{ rows: OverviewRow[]; calls: number }>({ windowMs: REFRESH_MS });

interface EnvRow {
  id: string;
  name: string;
  accountId: string;
  region: string;
  status: string;
  liveSlot: string;
  liveVersion: string | null;
  namePrefix: string | null;
  stack: unknown;
}

export async function environmentsOverview({ actor, input }: { actor: Actor; input: { names: string[] } }): Promise<Overview> {
  requireRole(actor, "viewer");
  const names = [...new Set(input.names.map((n) => n.trim()).filter(Boolean))].slice(0, 200);
  const envs: EnvRow[] = names.length
    ? await db.environment.findMany({
        where: { activeName: { in: names } },
        select: {
          id: true,
          name: true,
          accountId: true,
          region: true,
          status: true,
          liveSlot: true,
          liveVersion: true,
          namePrefix: true,
          stack: true,
        },
      })
    : [];
  const groups = new Map<string, EnvRow[]>();
  for (const e of envs) {
    if (!(e.stack as Stack | null)?.loadBalancer) continue;
    const k = `${e.accountId}|${e.region}`;
    groups.set(k, [...(groups.get(k) ?? []), e]);
  }
  const results = await Promise.all(
    [...groups.entries()].map(async ([k, group]) => {
      const key = `${k}|${group
        .map((g) => g.id)
        .sort()
        .join(",")}`;
      return (await cache.get(key, () => readGroup(group))).value;
    }),
  );
  const byName = new Map(results.flatMap((r) => r.rows).map((r) => [r.name, r]));
  const rows = envs
    .map(
      (e): OverviewRow =>
        byName.get(e.name) ?? {
          name: e.name,
          provisioned: false,
          status: e.status,
          liveVersion: e.liveVersion,
          liveSlot: e.liveSlot as Slot,
          split: null,
          health: { level: "unknown", healthyHosts: null, errorRatePercent: null, alarmsFiring: [] },
          sparkline: [],
          metricsStatus: { kind: "ok" },
        },
    )
    .sort((a, b) => a.name.localeCompare(b.name));
  return { fetchedAt: Date.now(), rows, getMetricDataCalls: results.reduce((n, r) => n + r.calls, 0) };
}

/** The five queries of one environment: id prefix `e<i>_`. */
export function overviewQueries(i: number, stack: Stack, liveSlot: Slot): MetricDataQuery[] {
  const lb = { Name: "LoadBalancer", Value: lbDimension(stack.loadBalancer!.arn) };
  const q = (Id: string, MetricName: string, Dimensions: Array<{ Name: string; Value: string }>, Stat: string): MetricDataQuery => ({
    Id,
    MetricStat: { Metric: { Namespace: "AWS/ApplicationELB", MetricName, Dimensions }, Period: 60, Stat },
    ReturnData: true,
  });
  const tg = (s: Slot) =>
    stack.targetGroups[s]?.arn ? [{ Name: "TargetGroup", Value: tgDimension(stack.targetGroups[s]!.arn) }, lb] : null;
  const out = [q(`e${i}_req`, "RequestCount", [lb], "Sum"), q(`e${i}_5xx`, "HTTPCode_Target_5XX_Count", [lb], "Sum")];
  for (const s of ["blue", "green"] as const) {
    const d = tg(s);
    if (d) out.push(q(`e${i}_req_${s}`, "RequestCount", d, "Sum"));
  }
  const live = tg(liveSlot);
  if (live) out.push(q(`e${i}_healthy`, "HealthyHostCount", live, "Minimum"));
  return out;
}

async function firingAlarms(cw: CloudWatchClient): Promise<string[]> {
  return (await describeAlarms(cw, { state: "ALARM" })).map((a) => a.AlarmName ?? "").filter(Boolean);
}

async function readGroup(group: EnvRow[]): Promise<{ rows: OverviewRow[]; calls: number }> {
  const aws = awsClients(await accountOf(group[0].accountId), group[0].region);
  const queries = group.map((e, i) => overviewQueries(i, e.stack as Stack, e.liveSlot as Slot));
  let calls = 0;
  let status: PanelStatus = { kind: "ok" };
  const byId = new Map<string, Map<number, number>>();
  let end = Date.now();
  let alarms: string[] = [];
  try {
    end = Math.floor((await freshServerNow(aws)) / 60_000) * 60_000;
    const w = { start: end - HOUR, end, periodSeconds: 60 };
    // Fill calls of up to 500 queries with whole environments.
    const batches: MetricDataQuery[][] = [[]];
    for (const qs of queries) {
      if (batches[batches.length - 1].length + qs.length > MAX_QUERIES) batches.push([]);
      batches[batches.length - 1].push(...qs);
    }
    const [pages, firing] = await Promise.all([
      Promise.all(batches.map((b) => metricData(aws.cloudwatch, b, w))),
      firingAlarms(aws.cloudwatch).catch(() => [] as string[]),
    ]);
    alarms = firing;
    for (const p of pages) {
      calls += p.calls;
      for (const [id, m] of p.byId) byId.set(id, m);
    }
  } catch (err) {
    status = statusOfError(err);
    calls = Math.max(calls, 1);
  }
  const minutes = Array.from({ length: 60 }, (_, k) => end - HOUR + k * 60_000);
  const rows = group.map((e, i): OverviewRow => {
    const at = (id: string, t: number) => byId.get(`e${i}_${id}`)?.get(t) ?? 0;
    const sum = (id: string, from: number) => minutes.filter((t) => t >= from).reduce((n, t) => n + at(id, t), 0);
    const recent = end - 5 * 60_000;
    const blue = sum("req_blue", recent);
    const green = sum("req_green", recent);
    const req = sum("req", recent);
    const err = sum("5xx", recent);
    const healthySeries = byId.get(`e${i}_healthy`);
    const lastHealthy = healthySeries?.size ? (healthySeries.get(Math.max(...healthySeries.keys())) ?? null) : null;
    // Alarm names carry the environment's AWS name prefix (sy- for environments made since it came).
    const firing = alarms.filter((a) => a.startsWith(namesOf({ name: e.name, namePrefix: e.namePrefix }).alarm("")));
    const errorRate = req > 0 ? Math.round((1000 * err) / req) / 10 : null;
    const level: OverviewRow["health"]["level"] =
      status.kind !== "ok" ? "unknown" : firing.length || lastHealthy === 0 ? "critical" : (errorRate ?? 0) > 1 ? "warning" : "ok";
    return {
      name: e.name,
      provisioned: true,
      status: e.status,
      liveVersion: e.liveVersion,
      liveSlot: e.liveSlot as Slot,
      split:
        blue + green > 0
          ? { blue: Math.round((100 * blue) / (blue + green)), green: 100 - Math.round((100 * blue) / (blue + green)) }
          : null,
      health: { level, healthyHosts: lastHealthy, errorRatePercent: errorRate, alarmsFiring: firing },
      sparkline: minutes.map((t) => Math.round((at("req", t) / 60) * 100) / 100),
      metricsStatus: status,
    };
  });
  return { rows, calls };
}
