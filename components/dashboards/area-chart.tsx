"use client";

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { SeriesData } from "@/server/dashboards/types.ts";
import { ChartFrame, rowsOf } from "./chart-frame";
import { axisTime, formatValue } from "./format";
import { styleOf } from "./series-style";
import type { TimeAxis } from "./line-chart";

/** Stacked areas on the shared time axis: each fleet's share of a total (requests per second per fleet). */
export function StackedAreaChart({ id, title, series, axis }: { id: string; title: string; series: SeriesData[]; axis: TimeAxis }) {
  const unit = series[0]?.unit ?? "count";
  const span = axis.end - axis.start;
  return (
    <ChartFrame id={id} title={title} series={series}>
      <ResponsiveContainer width="100%" height="100%">
        <AreaChart data={rowsOf(series)} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" vertical={false} />
          <XAxis dataKey="t" type="number" scale="time" domain={[axis.start, axis.end]} tickFormatter={(v: number) => axisTime(v, span)} fontSize={10} minTickGap={40} />
          <YAxis width={56} fontSize={10} tickFormatter={(v: number) => formatValue(v, unit)} />
          <Tooltip labelFormatter={(v) => new Date(Number(v)).toLocaleString("en-GB")} formatter={(v, name) => [formatValue(typeof v === "number" ? v : null, unit), series.find((s) => s.id === name)?.label ?? String(name)]} />
          {series.map((s, i) => {
            const st = styleOf(s, i);
            return <Area key={s.id} dataKey={s.id} name={s.id} stackId="total" type="monotone" stroke={st.color} fill={st.color} fillOpacity={0.25} strokeWidth={1.5} isAnimationActive={false} />;
          })}
        </AreaChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
