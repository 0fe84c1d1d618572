/**
 * Issue 14, item 11: the embedded PostgreSQL's superuser had the fixed password
 * "switchyard-local", and 127.0.0.1 is reachable by everyone on the machine. Now the password
 * is generated per data directory and kept there with mode 600; a database made by an older
 * version gets a generated password on its next start.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../scripts/lib/embedded.ts";
import { freePort } from "../../testing/servers.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "sy-pgpw-"));
fs.chmodSync(root, 0o755);
const dataDir = path.join(root, "data");
let running: EmbeddedDatabase | null = null;

afterAll(async () => {
  await running?.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

async function canConnect(port: number, password: string): Promise<boolean> {
  const c = new pg.Client({ host: "127.0.0.1", port, user: "switchyard", password, database: "postgres" });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}

describe("the embedded PostgreSQL's password", () => {
  it("is generated, kept under the data directory with mode 600, and the old fixed one is refused", async () => {
    running = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: () => {} });
    const file = path.join(dataDir, "postgres-password");
    const stat = fs.statSync(file);
    expect((stat.mode & 0o777).toString(8)).toBe("600");
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(decodeURIComponent(new URL(running.url).password)).toBe(password);
    expect(await canConnect(running.port, password)).toBe(true);
    expect(await canConnect(running.port, "switchyard-local")).toBe(false);
  });

  it("replaces the fixed password of a database created by an older version on its next start", async () => {
    // Make the running database look like an old one: the fixed password, no password file.
    const c = new pg.Client({ connectionString: running!.url.replace(/\/switchyard$/, "/postgres") });
    await c.connect();
    await c.query("ALTER ROLE switchyard PASSWORD 'switchyard-local'");
    await c.end();
    await running!.stop();
    fs.rmSync(path.join(dataDir, "postgres-password"));

    const logs: string[] = [];
    running = await startEmbeddedPostgres({ dataDir, port: await freePort(), log: (m) => logs.push(m) });
    expect(logs.join("\n")).toMatch(/replaced the old fixed password/);
    const password = fs.readFileSync(path.join(dataDir, "postgres-password"), "utf8").trim();
    expect(password).not.toBe("switchyard-local");
    expect(await canConnect(running.port, password)).toBe(true);
    expect(await canConnect(running.port, "switchyard-local")).toBe(false);
  });
});
