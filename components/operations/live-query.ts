"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import { dashboardKeys, getJson, REFRESH_MS } from "@/components/dashboards/query-keys";
import type { LivePanel as LiveData } from "@/server/operations/live.ts";

/** Query keys of an environment's live state (status, traffic, the running operation, history). */
export const liveKeys = {
  live: (name: string) => ["environments", name, "live"] as const,
};

/** Something is moving: an operation holds the lock or one of its steps is still running. */
export function isMoving(d: LiveData): boolean {
  return d.environment.busy || d.focus?.steps.some((s) => s.status === "running" || s.status === "waiting") === true;
}

/**
 * The environment's live state, shared by every panel of its page (header badge, traffic,
 * timeline, history, the capacity panel). Polls every second while an operation runs; once
 * it reaches a terminal state the fast polling stops and the query only follows the
 * dashboards' 10 s refresh (someone else may start an operation), paused while the tab is hidden.
 */
export function useLive(name: string, initial?: LiveData) {
  return useQuery({
    queryKey: liveKeys.live(name),
    queryFn: () => getJson<LiveData>(`/api/v1/environments/${encodeURIComponent(name)}/live`),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && isMoving(q.state.data) ? 1_000 : REFRESH_MS),
    refetchIntervalInBackground: false,
  });
}

/** What, when it changes, makes other panels' data stale: state, live fleet, the split, the operation's status. */
function stateOf(d: LiveData): string {
  const e = d.environment;
  return [e.status, e.liveSlot, e.liveVersion, e.provisioned, e.busy, d.split.blue, d.focus?.id, d.focus?.status].join("|");
}

/**
 * Keeps the rest of the page in step with the live state: when it changes (provisioning done,
 * a shift, a rollback), the dashboards' queries (topology, charts, capacity) are invalidated and
 * the server-rendered sections re-render, so no panel goes on showing the old state.
 */
export function useLiveSync(name: string, data: LiveData | undefined) {
  const qc = useQueryClient();
  const router = useRouter();
  const last = useRef<string | null>(null);
  const state = data ? stateOf(data) : null;
  useEffect(() => {
    if (state === null) return;
    const previous = last.current;
    last.current = state;
    if (previous === null || previous === state) return;
    void qc.invalidateQueries({ queryKey: dashboardKeys.all(name) });
    router.refresh();
  }, [state, name, qc, router]);
}

/** After an action that changes state: refetch the live state now (it then polls fast while the operation runs). */
export function useRefreshLive(name: string) {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: liveKeys.live(name) });
}
