/**
 * environmentMetrics: the environment page's Health section in one answer (every series,
 * alarm states, the topology, what the dashboards cost). CloudWatch bills GetMetricData per
 * metric requested, so the series are fetched as the data arrives, not as viewers poll:
 *   - traffic series and alarm states: once per period (a minute for 1 h / 3 h), right after
 *     it ends, on the service's clock;
 *   - fleet series (capacity, CPU, RDS, CloudFront): once per five minutes (or per period);
 *   - the topology (free Describe calls): every 10-second poll window, in this process.
 * Each fetch happens once for the whole deployment: the answer is kept in PostgreSQL and every
 * replica and viewer reads it (shared-cache.ts). Only charted fleets are queried: the idle one
 * only while it may hold traffic or did within the range.
 * Never fails because AWS did: throttling or errors come back as per-panel statuses.
 */
import { requireRole, type Actor } from "../auth/actor.ts";
import { awsClients, freshServerNow, type AwsClients } from "../aws/clients.ts";
import { db } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { logger } from "../log.ts";
import { allAlarmNames } from "../provisioning/alarms.ts";
import { accountOf } from "../accounts/account-ref.ts";
import { namesOf } from "../provisioning/context.ts";
import { WindowCache } from "./cache.ts";
import { notifyAlarms } from "../notifications/notify.ts";
import { fetchAlarms, fetchSeries, type MetricWindow } from "./fetch.ts";
import type { SeriesGroup } from "./query.ts";
import { isRangeKey, RANGES, REFRESH_MS, windowOf } from "./ranges.ts";
import { sharedFetch } from "./shared-cache.ts";
import { dashboardTargetOf, loadDashboardEnv, type DashboardEnv } from "./target.ts";
import { readTopology, statusOfError } from "./topology.ts";
import type { AlarmState, DashboardData, PanelStatus, RangeKey, SeriesData, Slot, TopologyView } from "./types.ts";
import { dashboardCost, recordUsage } from "./usage.ts";

/** Fleet series refresh at most this often (EC2's basic monitoring publishes every 5 minutes). */
const FLEET_REFRESH_SECONDS = 300;

const topologyCache = new WindowCache<TopologyView | null>({ windowMs: REFRESH_MS });
/** The assembled answer, per environment and range, for the viewers of one 10-second poll window in this process. */
const answerCache = new WindowCache<DashboardData>({ windowMs: REFRESH_MS });

/** Counters for tests and the bench: GetMetricData calls and metrics requested by this process. */
export const dashboardStats = { getMetricDataCalls: 0, metricsRequested: 0 };

export function invalidateDashboard(name: string) {
  // A write (scaling, a drill) changes what the topology shows at once; published metrics don't change.
  topologyCache.invalidate((k) => k.startsWith(`${name}|`));
  answerCache.invalidate((k) => k.startsWith(`${name}|`));
}

interface GroupAnswer {
  window: number;
  start: number;
  end: number;
  fetchedAt: number;
  series: SeriesData[];
  alarms?: AlarmState[];
  alarmsStatus?: PanelStatus;
  calls: number;
}

export async function environmentMetrics({
  actor,
  input,
}: {
  actor: Actor;
  input: { name: string; range?: unknown };
}): Promise<DashboardData> {
  requireRole(actor, "viewer");
  const range = input.range === undefined || input.range === null || input.range === "" ? "1h" : input.range;
  if (!isRangeKey(range))
    throw new ServiceError("VALIDATION_FAILED", `range must be one of ${Object.keys(RANGES).join(", ")}`, {
      range: [`Choose ${Object.keys(RANGES).join(", ")}`],
    });
  const env = await loadDashboardEnv(input.name);
  // The key carries the environment's state: after provisioning, a shift or a rollback the answer is built anew at once.
  return (await answerCache.get(`${env.name}|${env.id}|${stateKey(env)}|${range}`, () => buildDashboard(env, range))).value;
}

const stateKey = (env: DashboardEnv) => `${env.status}:${env.liveSlot}:${env.busy ? 1 : 0}:${env.stack?.loadBalancer ? 1 : 0}`;

/** The fleets worth charting: the live one, and the idle one while it holds or may take traffic, or did within the range. */
async function chartedSlots(env: DashboardEnv, rangeSeconds: number): Promise<Slot[]> {
  const idle: Slot = env.liveSlot === "blue" ? "green" : "blue";
  if (env.busy || (env.warmUntil && env.warmUntil > new Date()) || (env.stack?.fleets?.[idle]?.desired ?? 0) > 0) return ["blue", "green"];
  const since = new Date(Date.now() - rangeSeconds * 1000);
  const recent = await db.deployment.count({
    where: {
      environmentId: env.id,
      kind: { in: ["rollout", "rollback"] },
      OR: [{ createdAt: { gte: since } }, { finishedAt: { gte: since } }],
    },
  });
  return recent > 0 ? ["blue", "green"] : [env.liveSlot];
}

async function buildDashboard(env: DashboardEnv, range: RangeKey): Promise<DashboardData> {
  const fetchedAt = Date.now();
  const { periodSeconds, seconds } = RANGES[range];
  const base = { name: env.name, range, periodSeconds, refreshSeconds: REFRESH_MS / 1000 };
  if (!env.stack?.loadBalancer) {
    return {
      ...base,
      fetchedAt,
      window: 0,
      start: fetchedAt - seconds * 1000,
      end: fetchedAt,
      provisioned: false,
      series: [],
      alarms: [],
      alarmsStatus: { kind: "ok" },
      topology: null,
      getMetricDataCalls: 0,
      cost: await dashboardCost(env.id),
    };
  }
  const account = await accountOf(env.accountId);
  const aws = awsClients(account, env.region);
  let now: number;
  try {
    now = await freshServerNow(aws);
  } catch (err) {
    logger.warn("dashboard clock read failed", { environment: env.name, error: String(err) });
    now = fetchedAt;
  }
  const slots = await chartedSlots(env, seconds);
  const key = (group: SeriesGroup) => `${env.name}|${env.id}|${range}|${group}|${slots.join("+")}`;
  const fleetPeriod = Math.max(FLEET_REFRESH_SECONDS, periodSeconds);
  const [traffic, fleet, topology] = await Promise.all([
    sharedFetch<GroupAnswer>(key("traffic"), Math.floor(now / (periodSeconds * 1000)), (previous) =>
      fetchGroup(env, aws, "traffic", windowOf(range, now), slots, previous),
    ),
    sharedFetch<GroupAnswer>(key("fleet"), Math.floor(now / (fleetPeriod * 1000)), (previous) =>
      fetchGroup(env, aws, "fleet", windowOf(range, now), slots, previous),
    ),
    topologyCache.get(`${env.name}|${env.id}|${stateKey(env)}`, (previous) =>
      readTopology(aws, env.stack!, env.liveSlot, namesOf(env)).catch((err) =>
        previous ? { ...previous, status: statusOfError(err) } : null,
      ),
    ),
  ]);
  const t = traffic.value;
  return {
    ...base,
    fetchedAt: t.fetchedAt,
    window: t.window,
    start: t.start,
    end: t.end,
    provisioned: true,
    series: [...t.series, ...fleet.value.series],
    alarms: t.alarms ?? [],
    alarmsStatus: t.alarmsStatus ?? { kind: "ok" },
    topology: topology.value,
    getMetricDataCalls: (traffic.fetched ? t.calls : 0) + (fleet.fetched ? fleet.value.calls : 0),
    cost: await dashboardCost(env.id),
  };
}

/** One group's fetch: its series (and, with traffic, the alarm states), recorded as CloudWatch usage. */
async function fetchGroup(
  env: DashboardEnv,
  aws: AwsClients,
  group: SeriesGroup,
  w: MetricWindow,
  slots: Slot[],
  previous: GroupAnswer | undefined,
): Promise<GroupAnswer> {
  const names = allAlarmNames(env).filter(
    (n) => (env.stack!.database || !/-db-[a-z-]+$/.test(n.slice(env.name.length))) && !n.endsWith("-cdn-5xx-rate"),
  );
  const cdnNames = env.stack!.distribution ? allAlarmNames(env).filter((n) => n.endsWith("-cdn-5xx-rate")) : [];
  const [series, alarms] = await Promise.all([
    fetchSeries(aws, dashboardTargetOf(env), w, previous?.series, { groups: [group], slots }),
    group === "traffic" ? fetchAlarms(aws, names, cdnNames) : null,
  ]);
  dashboardStats.getMetricDataCalls += series.calls;
  dashboardStats.metricsRequested += series.metrics;
  await recordUsage(env.id, series.metrics, series.calls);
  // Alarm transitions go to the environment's notification channels (each once, whichever replica read it).
  if (alarms?.status.kind === "ok") await notifyAlarms(env.id, alarms.alarms);
  return {
    window: Math.floor(w.end / (w.periodSeconds * 1000)),
    start: w.start,
    end: w.end,
    fetchedAt: Date.now(),
    series: series.series,
    ...(alarms ? { alarms: alarms.status.kind === "ok" ? alarms.alarms : (previous?.alarms ?? []), alarmsStatus: alarms.status } : {}),
    calls: series.calls,
  };
}
