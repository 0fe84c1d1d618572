import type { RangeKey } from "@/server/dashboards/types.ts";

/** Query-key factory for the dashboards: invalidate `all(name)` after a write to refresh every panel of one environment. */
export const dashboardKeys = {
  root: ["dashboards"] as const,
  all: (name: string) => ["dashboards", "environment", name] as const,
  metrics: (name: string, range: RangeKey) => ["dashboards", "environment", name, "metrics", range] as const,
  scaling: (name: string) => ["dashboards", "environment", name, "scaling"] as const,
  overview: (names: string[]) => ["dashboards", "overview", [...names].sort().join(",")] as const,
};

export const REFRESH_MS = 10_000;

export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: "no-store" });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `${res.status} ${res.statusText}`);
  }
  return (await res.json()) as T;
}
