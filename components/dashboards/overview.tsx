"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { createContext, useContext, type ReactNode } from "react";
import type { Overview, OverviewRow } from "@/server/dashboards/overview.ts";
import { dashboardKeys, getJson } from "./query-keys";
import { Sparkline } from "./sparkline";

const Ctx = createContext<{ rows: Map<string, OverviewRow>; loading: boolean; error: string | null }>({
  rows: new Map(),
  loading: true,
  error: null,
});

/** Fetches the overview of every listed environment in one batched request (refreshed every 30 s while visible). */
export function OverviewProvider({ names, children }: { names: string[]; children: ReactNode }) {
  return <OverviewFetch names={names}>{children}</OverviewFetch>;
}

function OverviewFetch({ names, children }: { names: string[]; children: ReactNode }) {
  const q = useQuery({
    queryKey: dashboardKeys.overview(names),
    queryFn: () => getJson<Overview>(`/api/v1/overview?names=${encodeURIComponent(names.join(","))}`),
    refetchInterval: 30_000,
    placeholderData: keepPreviousData,
    enabled: names.length > 0,
  });
  const rows = new Map((q.data?.rows ?? []).map((r) => [r.name, r]));
  return <Ctx.Provider value={{ rows, loading: q.isPending, error: q.error ? q.error.message : null }}>{children}</Ctx.Provider>;
}

function useRow(name: string) {
  const c = useContext(Ctx);
  return { row: c.rows.get(name), loading: c.loading };
}

const LEVEL: Record<OverviewRow["health"]["level"], string> = {
  ok: "bg-green-500",
  warning: "bg-amber-500",
  critical: "bg-red-500",
  unknown: "bg-slate-400",
};

export function OverviewVersion({ name }: { name: string }) {
  const { row, loading } = useRow(name);
  if (loading) return <span className="inline-block h-3 w-10 animate-pulse rounded bg-muted" />;
  return <span className="font-mono text-xs">{row?.provisioned ? (row.liveVersion ?? "—") : "—"}</span>;
}

export function OverviewSplit({ name }: { name: string }) {
  const { row, loading } = useRow(name);
  if (loading) return <span className="inline-block h-3 w-16 animate-pulse rounded bg-muted" />;
  if (!row?.provisioned) return <span className="text-muted-foreground">—</span>;
  const split = row.split ?? { blue: row.liveSlot === "blue" ? 100 : 0, green: row.liveSlot === "green" ? 100 : 0 };
  return (
    <span
      className="flex items-center gap-1.5 text-xs"
      data-testid="overview-split"
      data-blue={split.blue}
      data-green={split.green}
      title={row.split ? "Share of the last 5 minutes' requests" : "No traffic in the last 5 minutes: live slot shown"}
    >
      <span className="flex h-2 w-14 overflow-hidden rounded-full bg-muted" aria-hidden>
        <span style={{ width: `${split.blue}%`, background: "var(--blue-slot)" }} />
        <span style={{ width: `${split.green}%`, background: "var(--green-slot)" }} />
      </span>
      <span className="tabular-nums">
        {split.blue}/{split.green}
      </span>
    </span>
  );
}

export function OverviewHealth({ name }: { name: string }) {
  const { row, loading } = useRow(name);
  if (loading) return <span className="inline-block h-3 w-16 animate-pulse rounded bg-muted" />;
  if (!row?.provisioned) return <span className="text-muted-foreground">—</span>;
  const h = row.health;
  const text =
    row.metricsStatus.kind !== "ok"
      ? row.metricsStatus.kind === "throttled"
        ? "throttled"
        : "metrics error"
      : h.alarmsFiring.length
        ? `${h.alarmsFiring.length} alarm${h.alarmsFiring.length > 1 ? "s" : ""}`
        : `${h.healthyHosts ?? "?"} healthy · ${h.errorRatePercent ?? 0}% 5xx`;
  return (
    <span
      className="flex items-center gap-1.5 text-xs"
      data-testid="overview-health"
      data-level={h.level}
      title={h.alarmsFiring.join(", ") || undefined}
    >
      <span className={`h-2 w-2 rounded-full ${LEVEL[h.level]}`} aria-hidden />
      {text}
    </span>
  );
}

export function OverviewSparkline({ name }: { name: string }) {
  const { row, loading } = useRow(name);
  if (loading) return <span className="inline-block h-6 w-[120px] animate-pulse rounded bg-muted" />;
  if (!row?.provisioned) return <span className="text-muted-foreground">—</span>;
  const last = row.sparkline.slice(-5).filter((v) => v > 0);
  const avg = last.length ? last.reduce((a, b) => a + b, 0) / last.length : 0;
  return (
    <span className="flex items-center gap-2 text-xs tabular-nums">
      <Sparkline values={row.sparkline} label={`${name} requests per second, last hour`} />
      {avg ? `${avg < 10 ? avg.toFixed(1) : avg.toFixed(0)}/s` : ""}
    </span>
  );
}
