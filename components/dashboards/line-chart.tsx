"use client";

import type { SeriesData } from "@/server/dashboards/types.ts";
import { ChartFrame } from "./chart-frame";
import { TimePlot, type TimeAxis } from "./time-plot";

export type { TimeAxis } from "./time-plot";

/** A time-series line chart on the dashboard's shared time axis (latency, error rate, CPU, capacity, database...). */
export function TimeSeriesLineChart({
  id,
  title,
  series,
  axis,
  step = false,
}: {
  id: string;
  title: string;
  series: SeriesData[];
  axis: TimeAxis;
  step?: boolean;
}) {
  return (
    <ChartFrame id={id} title={title} series={series}>
      <TimePlot series={series} axis={axis} kind={step ? "step" : "line"} />
    </ChartFrame>
  );
}
