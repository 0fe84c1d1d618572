import type { Unit } from "@/server/dashboards/types.ts";

export function formatValue(v: number | null | undefined, unit: Unit): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return "—";
  switch (unit) {
    case "rps":
      return `${v < 10 ? v.toFixed(2) : v.toFixed(0)}/s`;
    case "percent":
      return `${v < 10 ? v.toFixed(1) : v.toFixed(0)}%`;
    case "ms":
      return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ms`;
    case "bytes": {
      const gib = v / 1024 ** 3;
      return gib >= 1 ? `${gib.toFixed(1)} GiB` : `${(v / 1024 ** 2).toFixed(0)} MiB`;
    }
    default:
      return Number.isInteger(v) ? String(v) : v.toFixed(1);
  }
}

export function clockTime(ms: number): string {
  return new Date(ms).toLocaleTimeString("en-GB", { hour12: false });
}

export function axisTime(ms: number, spanMs: number): string {
  const d = new Date(ms);
  if (spanMs > 2 * 86_400_000) return d.toLocaleDateString("en-GB", { weekday: "short", hour: "2-digit" });
  return d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false });
}
