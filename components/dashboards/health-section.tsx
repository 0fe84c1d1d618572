"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { DashboardData, RangeKey, SeriesData } from "@/server/dashboards/types.ts";
import type { ActionResult } from "@/server/result.ts";
import type { CloudClock } from "@/server/operations/cloud-clock.ts";
import type { DrillKind, DrillResult } from "@/server/operations/drills.ts";
import { AlarmsList } from "./alarms-list";
import { StackedAreaChart } from "./area-chart";
import { clockTime } from "./format";
import { TimeSeriesLineChart, type TimeAxis } from "./line-chart";
import { dashboardKeys, getJson, REFRESH_MS } from "./query-keys";
import { ScalingPanel } from "./scaling-panel";
import { TopologyPicture } from "./topology";

export interface DashboardActions {
  updateScaling: (
    name: string,
    values: { min: string; desired: string; max: string; target?: string },
  ) => Promise<ActionResult<{ slot: string }>>;
  runDrill: (name: string, kind: DrillKind) => Promise<ActionResult<DrillResult>>;
}

const RANGES: Array<{ key: RangeKey; label: string }> = [
  { key: "1h", label: "1 h" },
  { key: "3h", label: "3 h" },
  { key: "24h", label: "24 h" },
  { key: "7d", label: "7 d" },
];

/**
 * The environment page's Health section: topology, charts, alarms, scaling and drills. Its
 * queries live in the app's one QueryClient; the live panel invalidates them when the
 * environment's state changes (provisioned, a shift, a rollback), so they never lag behind it.
 */
export function HealthSection({
  name,
  role,
  actions,
  clock = null,
}: {
  name: string;
  role: "viewer" | "deployer" | "admin";
  actions: DashboardActions;
  /** The local cloud's simulated clock, when the charts run on it. */
  clock?: CloudClock | null;
}) {
  const [range, setRange] = useState<RangeKey>("1h");
  const q = useQuery({
    queryKey: dashboardKeys.metrics(name, range),
    queryFn: () => getJson<DashboardData>(`/api/v1/environments/${encodeURIComponent(name)}/metrics?range=${range}`),
    refetchInterval: REFRESH_MS, // paused by react-query while the tab is hidden
    refetchIntervalInBackground: false,
    placeholderData: keepPreviousData,
  });
  const data = q.data;
  return (
    <section className="mt-8 grid gap-4 [&>*]:min-w-0" aria-labelledby="health-title" data-testid="health-section">
      <header className="flex flex-wrap items-center gap-3">
        <h2 id="health-title" className="text-base font-semibold">
          Health
        </h2>
        <div role="radiogroup" aria-label="Time range" className="flex overflow-hidden rounded-md border text-xs">
          {RANGES.map((r) => (
            <button
              key={r.key}
              type="button"
              role="radio"
              aria-checked={range === r.key}
              onClick={() => setRange(r.key)}
              className={`px-2.5 py-1 ${range === r.key ? "bg-primary text-primary-foreground" : "hover:bg-muted"}`}
            >
              {r.label}
            </button>
          ))}
        </div>
        <UpdatedAt
          updatedAt={q.dataUpdatedAt}
          fetching={q.isFetching}
          error={q.error ? String(q.error.message) : null}
          period={data?.periodSeconds}
        />
        {clock ? (
          <span
            className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-100"
            data-testid="cloud-clock"
          >
            Charts in local cloud time ×{clock.speed}: 1 h of chart is{" "}
            {clock.speed >= 60 ? `${Math.round(3600 / clock.speed)} real seconds` : `${Math.round(60 / clock.speed)} real minutes`}
          </span>
        ) : null}
      </header>
      {!data ? (
        <div className="grid gap-3" aria-busy>
          <div className="h-[210px] animate-pulse rounded-lg bg-muted" />
          <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
            {Array.from({ length: 6 }, (_, i) => (
              <div key={i} className="h-[212px] animate-pulse rounded-lg bg-muted" />
            ))}
          </div>
        </div>
      ) : !data.provisioned ? (
        <p className="text-sm text-muted-foreground">Not provisioned yet: the dashboards appear once the stack exists.</p>
      ) : (
        <>
          {data.topology ? (
            <TopologyPicture topology={data.topology} />
          ) : (
            <p className="text-xs text-amber-700">Topology unavailable right now.</p>
          )}
          <Charts data={data} />
          <AlarmsList alarms={data.alarms} status={data.alarmsStatus} />
          <DashboardCost cost={data.cost} />
        </>
      )}
      {data?.provisioned ? <ScalingPanel name={name} role={role} actions={actions} clock={clock} /> : null}
    </section>
  );
}

/** What watching this environment costs on AWS: CloudWatch bills GetMetricData per metric requested. */
function DashboardCost({ cost }: { cost: DashboardData["cost"] }) {
  const usd = cost.usdPerMonth < 0.01 ? "under $0.01" : `$${cost.usdPerMonth.toFixed(2)}`;
  return (
    <p className="text-xs text-muted-foreground" data-testid="dashboard-cost">
      These dashboards cost about <strong>{usd} a month</strong> on AWS at today&apos;s viewing ({cost.metricsToday.toLocaleString("en")}{" "}
      CloudWatch metrics requested today, in {cost.callsToday.toLocaleString("en")} GetMetricData calls shared by every viewer; traffic
      charts refresh once a minute, fleet charts every five; prices of {cost.pricesAsOf}).
    </p>
  );
}

function UpdatedAt({
  updatedAt,
  fetching,
  error,
  period,
}: {
  updatedAt: number;
  fetching: boolean;
  error: string | null;
  period?: number;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  if (!updatedAt) return <span className="text-xs text-muted-foreground">Loading…</span>;
  const next = Math.max(0, Math.ceil((updatedAt + REFRESH_MS - now) / 1000));
  return (
    <span className="text-xs tabular-nums text-muted-foreground" data-testid="updated-at" aria-live="off">
      Updated {clockTime(updatedAt)} · {fetching ? "refreshing…" : `next in ${next} s`}
      {period ? ` · ${period >= 60 ? `${period / 60} min` : `${period} s`} points` : ""}
      {error ? <span className="ml-2 text-red-700">last refresh failed: {error}</span> : null}
    </span>
  );
}

type ChartSpec = { id: string; title: string; pick: (s: SeriesData) => boolean; kind: "line" | "area" | "step" };
const CHARTS: ChartSpec[] = [
  { id: "requests", title: "Requests per second (per fleet)", pick: (s) => s.chart === "requests" && !!s.slot, kind: "area" },
  { id: "error-rate", title: "Target 5xx rate per fleet (%)", pick: (s) => s.chart === "errorRate", kind: "line" },
  { id: "latency", title: "Response time p50 / p95 / p99", pick: (s) => s.chart === "latency", kind: "line" },
  { id: "healthy-hosts", title: "Healthy hosts per target group", pick: (s) => s.chart === "healthyHosts", kind: "step" },
  { id: "capacity", title: "Group desired / in service / pending", pick: (s) => s.chart === "capacity", kind: "step" },
  { id: "cpu", title: "CPU per fleet (%)", pick: (s) => s.chart === "cpu", kind: "line" },
  { id: "db-cpu", title: "RDS CPU (%)", pick: (s) => s.chart === "dbCpu", kind: "line" },
  { id: "db-connections", title: "RDS connections", pick: (s) => s.chart === "dbConnections", kind: "line" },
  { id: "db-storage", title: "RDS free storage", pick: (s) => s.chart === "dbStorage", kind: "line" },
  { id: "db-latency", title: "RDS read latency (p90)", pick: (s) => s.chart === "dbLatency", kind: "line" },
  { id: "cache-cpu", title: "Cache engine CPU per node (%)", pick: (s) => s.chart === "cacheCpu", kind: "line" },
  { id: "cache-memory", title: "Cache memory used per node (%)", pick: (s) => s.chart === "cacheMemory", kind: "line" },
  { id: "cache-evictions", title: "Cache evictions per node", pick: (s) => s.chart === "cacheEvictions", kind: "line" },
  { id: "cache-hit-rate", title: "Cache hit rate per node (%)", pick: (s) => s.chart === "cacheHitRate", kind: "line" },
  { id: "cache-connections", title: "Cache connections per node", pick: (s) => s.chart === "cacheConnections", kind: "line" },
  { id: "cache-replication-lag", title: "Cache replication lag (replicas)", pick: (s) => s.chart === "cacheReplicationLag", kind: "line" },
  { id: "cdn-requests", title: "CloudFront requests per second", pick: (s) => s.chart === "cdnRequests", kind: "line" },
  { id: "cdn-errors", title: "CloudFront 5xx error rate (%)", pick: (s) => s.chart === "cdnErrors", kind: "line" },
];

function Charts({ data }: { data: DashboardData }) {
  const axis: TimeAxis = { start: data.start, end: data.end };
  return (
    <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3 [&>*]:min-w-0">
      {CHARTS.map((c) => {
        const series = data.series.filter(c.pick);
        if (!series.length) return null;
        return c.kind === "area" ? (
          <StackedAreaChart key={c.id} id={c.id} title={c.title} series={series} axis={axis} />
        ) : (
          <TimeSeriesLineChart key={c.id} id={c.id} title={c.title} series={series} axis={axis} step={c.kind === "step"} />
        );
      })}
    </div>
  );
}
