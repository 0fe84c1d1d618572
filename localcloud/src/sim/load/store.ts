/** Caller-made load profiles, kept in <dataDir>/localcloud/load.json so they resume after a restart. */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { LoadSpec } from "./profiles.ts";

export class LoadStore {
  private readonly file?: string;

  constructor(dataDir?: string) {
    this.file = dataDir ? path.join(dataDir, "localcloud", "load.json") : undefined;
  }

  load(): LoadSpec[] {
    if (!this.file) return [];
    try {
      const parsed = JSON.parse(readFileSync(this.file, "utf8"));
      return Array.isArray(parsed?.profiles) ? parsed.profiles : [];
    } catch {
      return [];
    }
  }

  save(profiles: LoadSpec[]): void {
    if (!this.file) return;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify({ profiles }, null, 1));
      renameSync(tmp, this.file);
    } catch (err) {
      console.error("localcloud: could not save load profiles:", err);
    }
  }
}
