/**
 * Persistent state: `{ services: { <name>: <json> }, clock: { nowMs, speed } }` in
 * `<dataDir>/localcloud/state.json`. Writes are debounced (many mutations per request and per
 * tick collapse into one write) and atomic (write a temp file, then rename), so a crash leaves
 * either the old or the new file, never half of one.
 *
 * Serializing blocks the event loop, and the simulation keeps the state dirty (metrics every
 * simulated minute), so the debounce grows with the cost of the last write: at most ~10% of
 * the time goes to persistence however large the state gets.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { ClockState } from "./clock.ts";

export interface PersistedState {
  services: Record<string, unknown>;
  clock?: ClockState;
}

export class StateStore {
  readonly file: string;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private lastWriteMs = 0;

  constructor(
    dataDir: string,
    /** Produces the document to write (called at write time, so it is always current). */
    private readonly snapshot: () => PersistedState,
    private readonly debounceMs = 1_000,
  ) {
    const dir = path.join(dataDir, "localcloud");
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, "state.json");
  }

  /** The last persisted state, or undefined on a fresh data dir. A corrupt file is kept aside, not fatal. */
  load(): PersistedState | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      const parsed = JSON.parse(readFileSync(this.file, "utf8")) as PersistedState;
      if (!parsed || typeof parsed !== "object" || typeof parsed.services !== "object") throw new Error("not a localcloud state document");
      return parsed;
    } catch (err) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      renameSync(this.file, aside);
      console.error(`localcloud: could not read ${this.file} (${(err as Error).message}); moved it to ${aside} and started fresh`);
      return undefined;
    }
  }

  /** Schedule a write; several calls within the debounce window produce one write. */
  markDirty(): void {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.nextDelayMs());
    this.timer.unref();
  }

  /** Debounce: at least debounceMs, and 10x the last write's duration (capped at a minute). */
  nextDelayMs(): number {
    return Math.min(Math.max(this.debounceMs, 10 * this.lastWriteMs), 60_000);
  }

  /** Write now (atomically). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const tmp = `${this.file}.tmp-${process.pid}`;
    const started = performance.now();
    try {
      writeFileSync(tmp, JSON.stringify(this.snapshot()));
      renameSync(tmp, this.file);
    } catch (err) {
      console.error(`localcloud: could not write ${this.file}: ${(err as Error).message}`);
    }
    this.lastWriteMs = performance.now() - started;
  }

  /** Final write; later markDirty calls are ignored. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }
}
