/**
 * Which minutes a bake may judge. CloudWatch publishes a load balancer's minute one to three
 * minutes after it ends, and the newest datapoint is partial until the rest of the minute's
 * reports arrive; the local cloud does the same (localcloud/src/services/cloudwatch/ingestion.ts:
 * final at most 3 min 40 s after the minute ends; a test checks this constant covers it). So a
 * bake judges only minutes that ended at least PUBLICATION_DELAY_MS ago, and a bake is over
 * when every minute it covers is published: a 5-minute bake really judges 5 minutes.
 * Workflow-safe: no imports.
 */
export const MINUTE_MS = 60_000;
/** How long after a minute ends its ALB datapoints are final. */
export const PUBLICATION_DELAY_MS = 4 * MINUTE_MS;

const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
const ceilMinute = (ms: number) => Math.ceil(ms / MINUTE_MS) * MINUTE_MS;

/** Minutes starting before this instant (ms) are complete at `now`. */
export const publishedUntil = (nowMs: number) => floorMinute(nowMs - PUBLICATION_DELAY_MS);

export interface BakeWindow {
  /** [from, to): the complete minutes to judge now, ISO-8601. */
  from: string;
  to: string;
  /** Every minute of the bake (up to `until`) is published and inside [from, to). */
  complete: boolean;
  /** When (service clock) the bake's last minute will be published; null while the bake runs. */
  completeAt: string | null;
}

/**
 * The window of a bake that began at `since` (the shift, service clock) and ended at `until`
 * (null: still baking), seen at `now`. The minute holding the shift counts: the new fleet took
 * no traffic before it. The minute holding `until` counts too (the new fleet keeps serving).
 */
export function bakeWindow(since: string, until: string | null, now: string): BakeWindow {
  const from = floorMinute(Date.parse(since));
  const published = publishedUntil(Date.parse(now));
  const end = until === null ? Number.POSITIVE_INFINITY : ceilMinute(Date.parse(until));
  const to = Math.max(from, Math.min(end, published));
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    complete: until !== null && published >= end,
    completeAt: until === null ? null : new Date(end + PUBLICATION_DELAY_MS).toISOString(),
  };
}
