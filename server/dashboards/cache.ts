/**
 * A cache shared by every viewer: one fetch per key and refresh window (wall clock, 10 s by
 * default), with in-flight de-duplication so N concurrent callers in a window wait on the
 * same promise. Viewers poll on the wall clock, so the window is wall time even when the
 * service's clock (the local cloud's) runs faster; the data's time range comes from the
 * service's clock. Entries of past windows are dropped as new windows start.
 */
export interface Shared<T> {
  value: T;
  window: number;
}

export class WindowCache<T> {
  private entries = new Map<string, { window: number; promise: Promise<T> }>();
  private last = new Map<string, T>();
  readonly fetches = { count: 0 };

  constructor(private readonly opts: { windowMs: number; now?: () => number }) {}

  windowOf(ms = (this.opts.now ?? Date.now)()): number {
    return Math.floor(ms / this.opts.windowMs);
  }

  /** The value for `key` in the current window, fetching it once; `fetch` gets the previous value (for stale-on-error). */
  async get(key: string, fetch: (previous: T | undefined, window: number) => Promise<T>): Promise<Shared<T>> {
    const window = this.windowOf();
    let entry = this.entries.get(key);
    if (!entry || entry.window !== window) {
      this.fetches.count++;
      const promise = fetch(this.last.get(key), window).then(
        (v) => {
          this.last.set(key, v);
          return v;
        },
        (err: unknown) => {
          // A failed fetch is not cached: the next caller tries again.
          if (this.entries.get(key)?.promise === promise) this.entries.delete(key);
          throw err;
        },
      );
      entry = { window, promise };
      this.entries.set(key, entry);
      this.prune(window);
    }
    return { value: await entry.promise, window };
  }

  /** Forget a key (after a write, so the next viewer sees the change at once). */
  invalidate(predicate: (key: string) => boolean): void {
    for (const k of this.entries.keys()) if (predicate(k)) this.entries.delete(k);
  }

  private prune(window: number) {
    for (const [k, e] of this.entries) if (e.window < window - 1) this.entries.delete(k);
    if (this.last.size > 2000) this.last.clear();
  }
}
