"use client";

import { useEffect, useMemo, useRef, useState } from "react";
import type { SeriesData, Unit } from "@/server/dashboards/types.ts";
import { rowsOf } from "./chart-frame";
import { formatDateTime } from "@/components/time-ago";
import { axisTime, formatValue } from "./format";
import { styleOf } from "./series-style";

export interface TimeAxis {
  start: number;
  end: number;
}

/**
 * The dashboards' time-series plot in plain SVG (no chart library: the environment page's
 * JavaScript stays small). Lines (linear or step-after, gaps where CloudWatch had no
 * datapoint) or stacked areas, a horizontal grid with "nice" value ticks, time ticks on the
 * shared axis, and a hover read-out. It fills its parent's fixed height, so nothing jumps.
 */
export function TimePlot({ series, axis, kind }: { series: SeriesData[]; axis: TimeAxis; kind: "line" | "step" | "area" }) {
  const ref = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ w: number; h: number }>({ w: 0, h: 0 });
  const [hover, setHover] = useState<number | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setSize({ w: el.clientWidth, h: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const unit: Unit = series[0]?.unit ?? "count";
  const rows = useMemo(() => rowsOf(series), [series]);
  const stacked = kind === "area";
  // Stacked areas: each row's running totals per series (a missing value stacks as 0).
  const stacks = useMemo(() => {
    if (!stacked) return null;
    return rows.map((r) => {
      let sum = 0;
      return series.map((s) => {
        const lo = sum;
        sum += (r[s.id] as number | null | undefined) ?? 0;
        return [lo, sum] as const;
      });
    });
  }, [rows, series, stacked]);
  const maxValue = useMemo(() => {
    let m = 0;
    if (stacks) for (const r of stacks) m = Math.max(m, r[r.length - 1]?.[1] ?? 0);
    else for (const s of series) for (const [, v] of s.points) if (v !== null && Number.isFinite(v)) m = Math.max(m, v);
    return m;
  }, [series, stacks]);

  const M = { top: 6, right: 8, bottom: 18, left: 56 };
  const { w, h } = size;
  const pw = Math.max(0, w - M.left - M.right);
  const ph = Math.max(0, h - M.top - M.bottom);
  const integer = useMemo(
    () => unit === "count" && series.every((s) => s.points.every(([, v]) => v === null || Number.isInteger(v))),
    [series, unit],
  );
  const yTicks = niceTicks(maxValue, 4, unit, integer);
  const yMax = yTicks[yTicks.length - 1];
  const span = Math.max(1, axis.end - axis.start);
  const x = (t: number) => M.left + ((t - axis.start) / span) * pw;
  const y = (v: number) => M.top + ph - (v / yMax) * ph;
  const xTicks = timeTicks(axis.start, axis.end, Math.max(2, Math.floor(pw / 70)));

  // biome-ignore lint/correctness/useExhaustiveDependencies: x and y are rebuilt every render but are pure functions of the listed values
  const paths = useMemo(() => {
    if (!pw || !ph) return [];
    return series.map((s, i) => {
      const st = styleOf(s, i);
      if (stacks) {
        const top: string[] = [];
        const bottom: string[] = [];
        rows.forEach((r, k) => {
          const [lo, hi] = stacks[k][i];
          top.push(`${f(x(r.t as number))} ${f(y(hi))}`);
          bottom.unshift(`${f(x(r.t as number))} ${f(y(lo))}`);
        });
        const edge = top.length ? `M${top.join(" L")}` : "";
        const area = top.length ? `${edge} L${bottom.join(" L")} Z` : "";
        return { id: s.id, st, edge, area };
      }
      return { id: s.id, st, edge: linePath(s.points, x, y, kind === "step"), area: "" };
    });
    // x and y are pure functions of the values listed here.
  }, [series, rows, stacks, pw, ph, yMax, axis.start, span, kind]);

  const hoverRow = hover !== null ? rows[hover] : undefined;
  return (
    <div ref={ref} className="absolute inset-0">
      {w > 0 && h > 0 ? (
        <svg
          className="chart-plot block"
          width={w}
          height={h}
          role="img"
          aria-label={`${series.map((s) => s.label).join(", ")}: ${rows.length} points`}
          onPointerMove={(e) => {
            if (!rows.length) return;
            const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
            const t = axis.start + ((px - M.left) / Math.max(1, pw)) * span;
            let best = 0;
            for (let k = 1; k < rows.length; k++)
              if (Math.abs((rows[k].t as number) - t) < Math.abs((rows[best].t as number) - t)) best = k;
            setHover(best);
          }}
          onPointerLeave={() => setHover(null)}
        >
          <g fontSize={10} fill="currentColor" className="text-muted-foreground">
            {yTicks.map((v) => (
              <g key={v}>
                <line x1={M.left} x2={M.left + pw} y1={f(y(v))} y2={f(y(v))} stroke="var(--border)" strokeDasharray="3 3" />
                <text x={M.left - 6} y={f(y(v))} dy="0.32em" textAnchor="end">
                  {formatValue(v, unit)}
                </text>
              </g>
            ))}
            <line x1={M.left} x2={M.left + pw} y1={M.top + ph} y2={M.top + ph} stroke="currentColor" strokeOpacity={0.4} />
            {xTicks.map((t) => (
              <text key={t} x={f(x(t))} y={M.top + ph + 13} textAnchor="middle">
                {axisTime(t, span)}
              </text>
            ))}
          </g>
          {stacks
            ? paths.map((p) => (p.area ? <path key={`a-${p.id}`} d={p.area} fill={p.st.color} fillOpacity={0.25} stroke="none" /> : null))
            : null}
          {paths.map((p) =>
            p.edge ? (
              <path
                key={p.id}
                className={stacks ? "chart-area" : "chart-line"}
                data-series={p.id}
                d={p.edge}
                fill="none"
                stroke={p.st.color}
                strokeWidth={stacks ? 1.5 : (p.st.width ?? 2)}
                strokeDasharray={p.st.dash}
                strokeOpacity={p.st.opacity ?? 1}
                strokeLinejoin="round"
              />
            ) : null,
          )}
          {hoverRow ? (
            <line
              x1={f(x(hoverRow.t as number))}
              x2={f(x(hoverRow.t as number))}
              y1={M.top}
              y2={M.top + ph}
              stroke="currentColor"
              strokeOpacity={0.35}
            />
          ) : null}
        </svg>
      ) : null}
      {hoverRow ? (
        <div
          className="pointer-events-none absolute top-1 z-10 rounded-md border bg-popover px-2 py-1 text-[11px] text-popover-foreground shadow-sm"
          style={x(hoverRow.t as number) > w / 2 ? { right: w - x(hoverRow.t as number) + 8 } : { left: x(hoverRow.t as number) + 8 }}
        >
          <p className="font-medium tabular-nums">{formatDateTime(hoverRow.t as number)}</p>
          {series.map((s, i) => (
            <p key={s.id} className="flex items-center gap-1.5 tabular-nums">
              <span className="inline-block size-2 rounded-full" style={{ background: styleOf(s, i).color }} />
              {s.label}: {formatValue(hoverRow[s.id] as number | null | undefined, unit)}
            </p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

const f = (n: number) => n.toFixed(1);

/** Linear (or step-after) path through the points, broken where a value is missing. */
function linePath(points: Array<[number, number | null]>, x: (t: number) => number, y: (v: number) => number, step: boolean): string {
  let d = "";
  let prevY: number | null = null;
  for (const [t, v] of points) {
    if (v === null || !Number.isFinite(v)) {
      prevY = null;
      continue;
    }
    const px = f(x(t));
    const py = y(v);
    if (prevY === null) d += `${d ? " " : ""}M${px} ${f(py)}`;
    else if (step) d += ` L${px} ${f(prevY)} L${px} ${f(py)}`;
    else d += ` L${px} ${f(py)}`;
    prevY = py;
  }
  return d;
}

/**
 * Value ticks from 0 up to a "nice" maximum covering `max`: at most `count` steps of 1, 2 or 5 x 10^n
 * (whole steps when every value is whole, steps of 1, 2, 5... GiB for bytes).
 */
export function niceTicks(max: number, count: number, unit: Unit = "count", integer = false): number[] {
  const scale = unit === "bytes" ? 1024 ** 3 : 1;
  const m = max > 0 ? max / scale : 1; // no data yet (or all zero): 0 to 1
  const raw = m / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((k) => k * mag).find((st) => st * count >= m) ?? 10 * mag;
  if (integer) step = Math.max(1, Math.round(step));
  const n = Math.max(1, Math.ceil(m / step - 1e-9));
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step * scale).toPrecision(12)));
}

const MINUTE = 60_000;
const STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * MINUTE);

/** Time ticks on round minutes/hours/days (local time), at most `max` of them. */
export function timeTicks(start: number, end: number, max: number): number[] {
  const step = STEPS.find((s) => (end - start) / s <= max) ?? 1440 * MINUTE;
  const offset = new Date(start).getTimezoneOffset() * MINUTE;
  const first = Math.ceil((start - offset) / step) * step + offset;
  const out: number[] = [];
  for (let t = first; t <= end; t += step) out.push(t);
  return out;
}
