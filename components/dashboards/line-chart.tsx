"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SeriesData } from "@/server/dashboards/types.ts";
import { ChartFrame, rowsOf } from "./chart-frame";
import { axisTime, formatValue } from "./format";
import { styleOf } from "./series-style";

export interface TimeAxis {
  start: number;
  end: number;
}

/** A time-series line chart on the dashboard's shared time axis (latency, error rate, CPU, capacity, database...). */
export function TimeSeriesLineChart({ id, title, series, axis, step = false }: { id: string; title: string; series: SeriesData[]; axis: TimeAxis; step?: boolean }) {
  const unit = series[0]?.unit ?? "count";
  const span = axis.end - axis.start;
  return (
    <ChartFrame id={id} title={title} series={series}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={rowsOf(series)} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={[axis.start, axis.end]} tickFormatter={(v: number) => axisTime(v, span)} fontSize={10} minTickGap={40} />
          <YAxis width={56} fontSize={10} tickFormatter={(v: number) => formatValue(v, unit)} allowDecimals />
          <Tooltip labelFormatter={(v) => new Date(Number(v)).toLocaleString("en-GB")} formatter={(v, name) => [formatValue(typeof v === "number" ? v : null, unit), series.find((s) => s.id === name)?.label ?? String(name)]} />
          {series.map((s, i) => {
            const st = styleOf(s, i);
            return <Line key={s.id} dataKey={s.id} name={s.id} type={step ? "stepAfter" : "monotone"} stroke={st.color} strokeWidth={st.width ?? 2} strokeDasharray={st.dash} strokeOpacity={st.opacity ?? 1} dot={false} isAnimationActive={false} connectNulls={false} />;
          })}
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
