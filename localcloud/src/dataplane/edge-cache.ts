/**
 * A distribution's edge cache: complete responses to cacheable GET/HEAD requests, keyed by
 * path and query string, expiring on SIMULATED time (TTLs are cache configuration, like every
 * other duration of the simulation).
 */

export interface CachedResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
  storedAt: number;
  expiresAt: number;
}

/** Bigger responses are served but not cached (keeps memory bounded). */
export const MAX_CACHED_BYTES = 1024 * 1024;
const MAX_ENTRIES = 10_000;

export class EdgeCache {
  private entries = new Map<string, CachedResponse>();
  /** Invalidation ids already applied. */
  readonly appliedInvalidations = new Set<string>();

  get(key: string, now: number): CachedResponse | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  set(key: string, entry: CachedResponse): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
  }

  /** Purge like CreateInvalidation: exact paths, or prefixes ending in `*` ("/*" empties the cache). Query strings are ignored, as AWS does. */
  purge(paths: string[]): void {
    for (const key of [...this.entries.keys()]) {
      const path = key.split("?")[0];
      if (paths.some((p) => (p.endsWith("*") ? path.startsWith(p.slice(0, -1)) : path === p))) this.entries.delete(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/** AWS's managed cache policies a distribution is most likely to name (the others: CachingOptimized's TTLs). */
const MANAGED_POLICIES: Record<string, { MinTTL: number; DefaultTTL: number; MaxTTL: number }> = {
  "4135ea2d-6df8-44a3-9df3-4b5a84be39ad": { MinTTL: 0, DefaultTTL: 0, MaxTTL: 0 }, // CachingDisabled
  "658327ea-f89d-4fab-a63d-7e88639e58f6": { MinTTL: 1, DefaultTTL: 86_400, MaxTTL: 31_536_000 }, // CachingOptimized
};

/** The TTLs of a cache behaviour: legacy MinTTL/DefaultTTL/MaxTTL, or its managed cache policy's. */
export function behaviourTtls(b: { CachePolicyId?: string; MinTTL?: number; DefaultTTL?: number; MaxTTL?: number }): {
  MinTTL?: number;
  DefaultTTL?: number;
  MaxTTL?: number;
} {
  return b.CachePolicyId ? (MANAGED_POLICIES[b.CachePolicyId] ?? MANAGED_POLICIES["658327ea-f89d-4fab-a63d-7e88639e58f6"]) : b;
}

/**
 * How long CloudFront keeps a response (simulated ms), 0 = do not cache. The origin's
 * Cache-Control (s-maxage, then max-age) is clamped to [MinTTL, MaxTTL]; no-store, no-cache
 * and private are not cached unless MinTTL forces it; without Cache-Control: DefaultTTL.
 */
export function ttlMs(cacheControl: string | undefined, behaviour: { MinTTL?: number; DefaultTTL?: number; MaxTTL?: number }): number {
  const min = behaviour.MinTTL ?? 0;
  const def = behaviour.DefaultTTL ?? 86_400;
  const max = behaviour.MaxTTL ?? 31_536_000;
  if (!cacheControl) return Math.min(Math.max(def, min), max) * 1000;
  const cc = cacheControl.toLowerCase();
  if (/\b(no-store|no-cache|private)\b/.test(cc)) return min * 1000;
  const m = /\bs-maxage=(\d+)/.exec(cc) ?? /\bmax-age=(\d+)/.exec(cc);
  const seconds = m ? Number(m[1]) : def;
  return Math.min(Math.max(seconds, min), max) * 1000;
}
