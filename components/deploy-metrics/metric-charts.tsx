"use client";

import { TimeSeriesLineChart } from "@/components/dashboards/line-chart";
import type { SeriesData } from "@/server/dashboards/types.ts";
import type { DailyPoint } from "@/server/deploy-metrics/compute.ts";

const DAY = 86_400_000;

/** Deploys, failures, lead time and time to restore per day, on the dashboards' plain-SVG time plot. */
export function DeployMetricCharts({ daily }: { daily: DailyPoint[] }) {
  const axis = { start: daily[0]?.day ?? 0, end: (daily[daily.length - 1]?.day ?? 0) + DAY };
  const series = (id: string, label: string, pick: (d: DailyPoint) => number | null): SeriesData[] => [
    // The chart key is only a label for the dashboards' own panels; these series are counts.
    { id, chart: "requests", label, unit: "count", points: daily.map((d) => [d.day, pick(d)]), status: { kind: "ok" } },
  ];
  const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / 3_600_000) * 10) / 10);
  const minutes = (ms: number | null) => (ms === null ? null : Math.round(ms / 60_000));
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <TimeSeriesLineChart id="deploys" title="Deploys per day" axis={axis} step series={series("deploys", "deploys", (d) => d.deploys)} />
      <TimeSeriesLineChart
        id="failures"
        title="Failed changes per day"
        axis={axis}
        step
        series={series("failures", "failed changes", (d) => d.failures)}
      />
      <TimeSeriesLineChart
        id="lead-time"
        title="Lead time, median per day (hours)"
        axis={axis}
        series={series("lead_time", "hours", (d) => hours(d.leadTimeMedianMs))}
      />
      <TimeSeriesLineChart
        id="restore"
        title="Time to restore, median per day (minutes)"
        axis={axis}
        series={series("restore", "minutes", (d) => minutes(d.restoreMedianMs))}
      />
    </div>
  );
}
