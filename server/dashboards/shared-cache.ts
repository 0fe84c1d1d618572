/**
 * A dashboard answer shared by every replica and every viewer: at most ONE fetch per key and
 * data window across the whole deployment, the answer kept in PostgreSQL (metrics_cache).
 *
 *   1. In-process: concurrent callers for the same key and window wait on one promise.
 *   2. A row whose window is the wanted one is the answer.
 *   3. Otherwise one replica claims the window (an UPDATE that only one can win: the row's
 *      claim is for another window, or has expired) and fetches; the others wait for the row
 *      (up to WAIT_MS), then serve the previous answer rather than fetch a second time.
 * A failed fetch releases the claim, so the next caller tries again.
 */
import { db } from "../db/client.ts";

const CLAIM_SECONDS = 20;
const WAIT_MS = 8_000;
const POLL_MS = 150;

type Json = Parameters<typeof db.metricsCache.create>[0]["data"]["data"];

export interface SharedAnswer<T> {
  value: T;
  /** This replica made the fetch (for tests and the bench). */
  fetched: boolean;
}

const inFlight = new Map<string, Promise<SharedAnswer<unknown>>>();

export const sharedCacheStats = { fetches: 0, waits: 0, staleServed: 0 };

async function readRow(key: string) {
  return db.metricsCache.findUnique({ where: { key }, select: { window: true, data: true } });
}

/** Wins the right to fetch `window` for `key`, or says another replica holds it. */
async function claim(key: string, window: number): Promise<boolean> {
  const rows = await db.$queryRaw<Array<{ key: string }>>`
    INSERT INTO metrics_cache ("key", "window", "claimWindow", "claimedUntil")
    VALUES (${key}, -1, ${window}, now() + make_interval(secs => ${CLAIM_SECONDS}))
    ON CONFLICT ("key") DO UPDATE SET "claimWindow" = EXCLUDED."claimWindow", "claimedUntil" = EXCLUDED."claimedUntil"
    WHERE metrics_cache."window" <> ${window}
      AND (metrics_cache."claimWindow" IS DISTINCT FROM ${window} OR metrics_cache."claimedUntil" < now())
    RETURNING "key"`;
  return rows.length === 1;
}

export async function sharedFetch<T>(
  key: string,
  window: number,
  fetch: (previous: T | undefined) => Promise<T>,
): Promise<SharedAnswer<T>> {
  const local = `${key}|${window}`;
  const running = inFlight.get(local);
  if (running) return running as Promise<SharedAnswer<T>>;
  const p = fetchShared<T>(key, window, fetch).finally(() => inFlight.delete(local));
  inFlight.set(local, p);
  return p;
}

/** The cross-replica part alone (each call behaves like a separate replica): exported for tests. */
export async function fetchShared<T>(
  key: string,
  window: number,
  fetch: (previous: T | undefined) => Promise<T>,
): Promise<SharedAnswer<T>> {
  const row = await readRow(key);
  if (row && Number(row.window) === window && row.data !== null) return { value: row.data as T, fetched: false };
  const previous = (row?.data ?? undefined) as T | undefined;
  if (await claim(key, window)) {
    sharedCacheStats.fetches++;
    try {
      const value = await fetch(previous);
      await db.metricsCache.update({
        where: { key },
        data: { window: BigInt(window), data: value as Json, fetchedAt: new Date(), claimedUntil: new Date() },
      });
      return { value, fetched: true };
    } catch (err) {
      await db.metricsCache.updateMany({ where: { key, claimWindow: BigInt(window) }, data: { claimedUntil: new Date(0) } });
      throw err;
    }
  }
  // Another replica is fetching this window: wait for its answer.
  sharedCacheStats.waits++;
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const r = await readRow(key);
    if (r && Number(r.window) === window && r.data !== null) return { value: r.data as T, fetched: false };
  }
  if (previous !== undefined) {
    sharedCacheStats.staleServed++;
    return { value: previous, fetched: false };
  }
  // Nothing to show at all (the other replica died mid-fetch): fetch rather than show nothing.
  sharedCacheStats.fetches++;
  return { value: await fetch(undefined), fetched: true };
}

/** Drops an environment's shared answers (after a write, so the next viewer sees the change). */
export async function forgetShared(prefix: string) {
  await db.metricsCache.deleteMany({ where: { key: { startsWith: prefix } } });
}
