/**
 * Persistent state: `{ services: { <name>: <json> }, clock: { nowMs, speed } }` in
 * `<dataDir>/localcloud/state.json`. Writes are debounced (many mutations per request and per
 * tick collapse into one write) and atomic (write a temp file, then rename), so a crash leaves
 * either the old or the new file, never half of one.
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
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Write now (atomically). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, JSON.stringify(this.snapshot()));
      renameSync(tmp, this.file);
    } catch (err) {
      console.error(`localcloud: could not write ${this.file}: ${(err as Error).message}`);
    }
  }

  /** Final write; later markDirty calls are ignored. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
  }
}
