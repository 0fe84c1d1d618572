import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "./embedded.ts";

describe("embedded PostgreSQL launcher", () => {
  it("starts from a data directory under a private (mode 700) folder and recovers from an orphaned postmaster", async () => {
    const privateRoot = fs.mkdtempSync(path.join(os.tmpdir(), "sy-private-"));
    fs.chmodSync(privateRoot, 0o700);
    const dataDir = path.join(privateRoot, "clone", ".switchyard");
    const logs: string[] = [];
    const first = await startEmbeddedPostgres({ dataDir, port: 55432, log: (m) => logs.push(m) });
    try {
      const c = new pg.Client({ connectionString: first.url });
      await c.connect();
      expect((await c.query("SELECT 1 AS one")).rows[0].one).toBe(1);
      await c.end();
      if (process.getuid?.() === 0) expect(logs.join("\n")).toMatch(/not reachable by the postgres user/);

      // Simulate a SIGKILLed parent: the postmaster keeps running with its pid file.
      const pid = Number(fs.readFileSync(path.join(first.dir, "postmaster.pid"), "utf8").split("\n")[0]);
      expect(fs.existsSync(`/proc/${pid}`)).toBe(true);
      const second = await startEmbeddedPostgres({ dataDir, port: 55432, log: (m) => logs.push(m) });
      expect(logs.join("\n")).toMatch(/orphaned postmaster/);
      const c2 = new pg.Client({ connectionString: second.url });
      await c2.connect();
      expect((await c2.query("SELECT 2 AS two")).rows[0].two).toBe(2);
      await c2.end();
      await second.stop();
    } finally {
      try {
        execFileSync("pkill", ["-f", first.dir]);
      } catch {
        /* already stopped */
      }
      fs.rmSync(privateRoot, { recursive: true, force: true });
    }
  });
});
