/**
 * environmentMetrics: the environment page's Health section in one answer (every series,
 * alarm states, the topology), fetched at most once per environment, range and 10-second
 * refresh window and shared by every viewer. The time range is taken on the service's clock.
 * Never fails because AWS did: throttling or errors come back as per-panel statuses.
 */
import { requireRole, type Actor } from "../auth/actor.ts";
import { awsClients, freshServerNow } from "../aws/clients.ts";
import { ServiceError } from "../errors.ts";
import { logger } from "../log.ts";
import { allAlarmNames } from "../provisioning/alarms.ts";
import { accountOf, namesOf } from "../provisioning/context.ts";
import { WindowCache } from "./cache.ts";
import { fetchAlarms, fetchSeries } from "./fetch.ts";
import { isRangeKey, RANGES, REFRESH_MS, windowOf } from "./ranges.ts";
import { dashboardTargetOf, loadDashboardEnv, type DashboardEnv } from "./target.ts";
import { readTopology, statusOfError } from "./topology.ts";
import type { DashboardData, RangeKey } from "./types.ts";

const cache = new WindowCache<DashboardData>({ windowMs: REFRESH_MS });

/** Counters for tests and the bench: fetches (one per key and window) and GetMetricData calls. */
export const dashboardStats = { fetches: () => cache.fetches.count, getMetricDataCalls: 0 };

export function invalidateDashboard(name: string) {
  cache.invalidate((k) => k.startsWith(`${name}|`));
}

export async function environmentMetrics({ actor, input }: { actor: Actor; input: { name: string; range?: unknown } }): Promise<DashboardData> {
  requireRole(actor, "viewer");
  const range = input.range === undefined || input.range === null || input.range === "" ? "1h" : input.range;
  if (!isRangeKey(range)) throw new ServiceError("VALIDATION_FAILED", `range must be one of ${Object.keys(RANGES).join(", ")}`, { range: [`Choose ${Object.keys(RANGES).join(", ")}`] });
  const env = await loadDashboardEnv(input.name);
  const { value } = await cache.get(`${env.name}|${env.id}|${range}`, (previous, window) => buildDashboard(env, range, window, previous));
  return value;
}

async function buildDashboard(env: DashboardEnv, range: RangeKey, window: number, previous: DashboardData | undefined): Promise<DashboardData> {
  const fetchedAt = Date.now();
  const base = { name: env.name, range, periodSeconds: RANGES[range].periodSeconds, fetchedAt, window, refreshSeconds: REFRESH_MS / 1000 };
  if (!env.stack?.loadBalancer) {
    return { ...base, start: fetchedAt - RANGES[range].seconds * 1000, end: fetchedAt, provisioned: false, series: [], alarms: [], alarmsStatus: { kind: "ok" }, topology: null, getMetricDataCalls: 0 };
  }
  const account = await accountOf(env.accountId);
  const aws = awsClients(account, env.region);
  let now: number;
  try {
    now = await freshServerNow(aws);
  } catch (err) {
    logger.warn("dashboard clock read failed", { environment: env.name, error: String(err) });
    now = previous?.end ?? fetchedAt;
  }
  const w = windowOf(range, now);
  const names = namesOf(env);
  const alarmNames = allAlarmNames(env).filter((n) => (env.stack!.database || !/-db-[a-z-]+$/.test(n.slice(env.name.length))) && !n.endsWith("-cdn-5xx-rate"));
  const cdnAlarms = env.stack.distribution ? allAlarmNames(env).filter((n) => n.endsWith("-cdn-5xx-rate")) : [];
  const [series, alarms, topology] = await Promise.all([
    fetchSeries(aws, dashboardTargetOf(env), w, previous?.series),
    fetchAlarms(aws, alarmNames, cdnAlarms),
    readTopology(aws, env.stack, env.liveSlot, names).catch((err) => (previous?.topology ? { ...previous.topology, status: statusOfError(err) } : null)),
  ]);
  dashboardStats.getMetricDataCalls += series.calls;
  return {
    ...base,
    start: w.start,
    end: w.end,
    provisioned: true,
    series: series.series,
    alarms: alarms.status.kind === "ok" ? alarms.alarms : (previous?.alarms ?? []),
    alarmsStatus: alarms.status,
    topology,
    getMetricDataCalls: series.calls,
  };
}
