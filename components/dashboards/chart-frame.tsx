import type { ReactNode } from "react";
import type { PanelStatus, SeriesData } from "@/server/dashboards/types.ts";
import { formatValue } from "./format";
import { styleOf } from "./series-style";

export const CHART_HEIGHT = 170;

/** What every chart shares: title, status (throttled / error / no data) and the data-* attributes tests read. */
export function ChartFrame({ id, title, series, children }: { id: string; title: string; series: SeriesData[]; children: ReactNode }) {
  const points = series.reduce((n, s) => n + s.points.filter((p) => p[1] !== null).length, 0);
  const last = series.reduce((m, s) => Math.max(m, ...s.points.filter((p) => p[1] !== null).map((p) => p[0])), 0);
  const status: PanelStatus = series.find((s) => s.status.kind !== "ok")?.status ?? { kind: "ok" };
  return (
    <section
      className="rounded-lg border bg-card p-3"
      data-testid={`chart-${id}`}
      data-points={points}
      data-last={last}
      data-status={status.kind}
      aria-label={title}
    >
      <header className="mb-1 flex items-center justify-between gap-2">
        <h4 className="text-xs font-semibold">{title}</h4>
        {status.kind === "throttled" ? (
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-[11px] text-amber-900" title={status.message}>
            throttled
          </span>
        ) : status.kind === "error" ? (
          <span className="max-w-[60%] truncate rounded bg-red-100 px-1.5 py-0.5 text-[11px] text-red-900" title={status.message}>
            error: {status.message}
          </span>
        ) : null}
      </header>
      <div className="relative" style={{ height: CHART_HEIGHT }}>
        {children}
        {points === 0 ? (
          <div className="absolute inset-0 grid place-items-center text-xs text-muted-foreground">
            {status.kind === "ok" ? "No data in this range yet" : "No data (see status)"}
          </div>
        ) : null}
      </div>
      <Legend series={series} />
    </section>
  );
}

/** Rows on the shared time axis: one row per timestamp, one key per series id. */
export function rowsOf(series: SeriesData[]): Array<Record<string, number | null>> {
  const rows = new Map<number, Record<string, number | null>>();
  for (const s of series) for (const [t, v] of s.points) (rows.get(t) ?? rows.set(t, { t }).get(t)!)[s.id] = v;
  return [...rows.values()].sort((a, b) => (a.t as number) - (b.t as number));
}

/** Which line is which, with each series' latest value (hovering the plot reads any minute). */
function Legend({ series }: { series: SeriesData[] }) {
  if (series.length === 0) return null;
  return (
    <ul className="mt-1.5 flex flex-wrap gap-x-3 gap-y-0.5 text-[11px] text-muted-foreground" aria-label="Legend" data-testid="legend">
      {series.map((s, i) => {
        const st = styleOf(s, i);
        const last = [...s.points].reverse().find((p) => p[1] !== null)?.[1] ?? null;
        return (
          <li key={s.id} className="flex items-center gap-1">
            <svg width="14" height="6" aria-hidden>
              <line
                x1="0"
                y1="3"
                x2="14"
                y2="3"
                stroke={st.color}
                strokeWidth={2}
                strokeDasharray={st.dash}
                strokeOpacity={st.opacity ?? 1}
              />
            </svg>
            <span>{s.label}</span>
            <span className="tabular-nums text-foreground">{formatValue(last, s.unit)}</span>
          </li>
        );
      })}
    </ul>
  );
}
