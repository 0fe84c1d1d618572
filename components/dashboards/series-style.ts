import type { SeriesData } from "@/server/dashboards/types.ts";

/** Typed colour config: a fleet's series in its slot colour, percentiles and capacities told apart by dash and opacity. */
export interface SeriesStyle {
  color: string;
  dash?: string;
  opacity?: number;
  width?: number;
}

const SLOT = { blue: "var(--blue-slot, #2563eb)", green: "var(--green-slot, #16a34a)" } as const;
const NEUTRAL = ["#7c3aed", "#db2777", "#ea580c", "#0891b2"];

const BY_SUFFIX: Record<string, Omit<SeriesStyle, "color">> = {
  p50: { opacity: 0.55, width: 1.5 },
  p95: { width: 2 },
  p99: { dash: "4 3", width: 1.5 },
  desired: { dash: "5 3", width: 1.5 },
  inservice: { width: 2 },
  pending: { opacity: 0.5, width: 1.5 },
};

export function styleOf(s: SeriesData, index: number): SeriesStyle {
  const prefix = s.id.split("_")[0];
  if (s.id === "requests") return { color: "#475569", width: 2 };
  if (s.slot) return { color: SLOT[s.slot], width: 2, ...(BY_SUFFIX[prefix] ?? {}) };
  return { color: NEUTRAL[index % NEUTRAL.length], width: 2 };
}
