"use client";

import type { SeriesData } from "@/server/dashboards/types.ts";
import { ChartFrame } from "./chart-frame";
import { TimePlot, type TimeAxis } from "./time-plot";

/** Stacked areas on the shared time axis: each fleet's share of a total (requests per second per fleet). */
export function StackedAreaChart({ id, title, series, axis }: { id: string; title: string; series: SeriesData[]; axis: TimeAxis }) {
  return (
    <ChartFrame id={id} title={title} series={series}>
      <TimePlot series={series} axis={axis} kind="area" />
    </ChartFrame>
  );
}
