/**
 * Real Switchyard server processes for tests that need more than the in-process code: a
 * `next start` (production build) on a free port, on the test file's own database
 * (process.env.DATABASE_URL from setup-db.ts) with the Postgres workflow world in the same
 * database, so several servers share runs, steps and hooks, and one can be SIGKILLed and
 * another take over.
 *
 *   await prepareWorkflowWorld();                 // the world's schemas in this file's database
 *   const a = await startAppServer({ name: "a", env: { ... } });
 *   await a.kill();                               // SIGKILL the whole process group
 *   afterAll(stopAllServers);                     // every server this file started, even on failure
 *
 * Servers are spawned detached (their own process group), so a kill reaches next-server and
 * anything it started, and nothing outlives the test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { bootstrapWorkflowWorld } from "../scripts/lib/database.ts";
import { buildIsStale, waitForHttp } from "../scripts/lib/process.ts";

export const root = path.resolve(import.meta.dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: app tests get one from testing/setup-db.ts");
  return url;
}

const prepared = new Map<string, Promise<void>>();

/** Creates the workflow world's schemas (workflow, graphile_worker) in the test database; once per URL. */
export function prepareWorkflowWorld(url = testDatabaseUrl()): Promise<void> {
  if (!prepared.has(url)) prepared.set(url, bootstrapWorkflowWorld(url));
  return prepared.get(url)!;
}

/**
 * A production build of the current sources (`npm test` builds before vitest; this covers a
 * direct `npx vitest run`). Checked ONCE per vitest run: rebuilding while another test file's
 * servers run from `.next` would pull their lazily loaded chunks from under them (they then
 * fail with "Failed to load chunk"). Test files run in parallel workers of one vitest process
 * (their parent): the first to get here builds if needed, under a lock directory, and leaves a
 * marker for that run; the others wait on the lock and then find the marker.
 */
export function ensureProductionBuild(): Promise<void> {
  buildChecked ??= checkBuildOncePerRun();
  return buildChecked;
}
let buildChecked: Promise<void> | null = null;

async function checkBuildOncePerRun(): Promise<void> {
  const key = createHash("sha256").update(root).digest("hex").slice(0, 16);
  const marker = path.join(os.tmpdir(), `switchyard-build-checked-${key}-${process.ppid}`);
  /** The marker holds "" when the build is good for this run, else why it is not. */
  const decided = () => {
    if (!fs.existsSync(marker)) return false;
    const failure = fs.readFileSync(marker, "utf8");
    if (failure) throw new Error(failure);
    return true;
  };
  if (decided()) return;
  const lock = path.join(os.tmpdir(), `switchyard-build-lock-${key}`);
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      // Another worker is building; a lock older than 10 minutes is left from a killed run.
      try {
        if (Date.now() - fs.statSync(lock).mtimeMs > 600_000) fs.rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone meanwhile */
      }
      if (Date.now() > deadline) throw new Error(`Timed out waiting for another test worker's build (lock ${lock})`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (decided()) return;
    let failure = "";
    if (buildIsStale(root)) {
      if (process.env.SWITCHYARD_TEST_NO_BUILD === "1") {
        failure =
          "No up-to-date production build (.next/BUILD_ID is missing or older than the sources) and building is disabled (SWITCHYARD_TEST_NO_BUILD=1: npm test's build failed): run `npx next build` and look at its errors.";
      } else {
        // Someone else's `next build` in this checkout (npm start builds too): wait for it, then look again.
        let out = { code: 0, log: "" };
        for (const until = Date.now() + 300_000; buildIsStale(root); ) {
          out = await nextBuild();
          if (out.code === 0 || !/Another next build process is already running/.test(out.log) || Date.now() > until) break;
          await new Promise((r) => setTimeout(r, 3_000));
        }
        if (out.code !== 0 && buildIsStale(root)) failure = `next build failed (exit ${out.code}):\n${out.log.slice(-4000)}`;
      }
    }
    fs.writeFileSync(marker, failure);
    // Markers of runs older than an hour are of no use any more.
    for (const f of fs.readdirSync(os.tmpdir())) {
      const p = path.join(os.tmpdir(), f);
      if (f.startsWith(`switchyard-build-checked-${key}-`) && p !== marker && Date.now() - fs.statSync(p).mtimeMs > 3_600_000)
        fs.rmSync(p, { force: true });
    }
    decided();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

function nextBuild(): Promise<{ code: number; log: string }> {
  return new Promise((resolve) => {
    const b = spawn(path.join(root, "node_modules/.bin/next"), ["build"], {
      cwd: root,
      env: childEnv({}),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    b.stdout!.on("data", (d) => (log += d));
    b.stderr!.on("data", (d) => (log += d));
    b.on("error", (e) => resolve({ code: 1, log: `${log}\n${e.message}` }));
    b.on("close", (code) => resolve({ code: code ?? 1, log }));
  });
}

/** The environment of a server: this process's, minus vitest's own markers, as production. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("VITEST") && k !== "TEST" && k !== "NODE_OPTIONS") env[k] = v;
  return { ...env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", ...extra };
}

export interface AppServer {
  name: string;
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** The server's stdout and stderr so far (the last ~200 KB). */
  output(): string;
  /** SIGKILL to the whole process group, as a crash would; resolves when the group is gone. */
  kill(): Promise<void>;
  /** SIGINT to the group, SIGKILL after a grace period; resolves when the group is gone. */
  stop(graceMs?: number): Promise<void>;
}

const started = new Set<AppServer>();

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGroupGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

function signalGroup(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
}

export interface StartAppServerOptions {
  /** Shown in logs and errors. */
  name?: string;
  /** Default: this test file's database (process.env.DATABASE_URL). */
  databaseUrl?: string;
  port?: number;
  /** Extra environment (SWITCHYARD_BOOTSTRAP_*, ...). */
  env?: Record<string, string>;
  /** How long to wait for /api/health (default 90 s). */
  timeoutMs?: number;
}

/**
 * Starts `next start` on the test database with the Postgres workflow world in it, and waits
 * until /api/health answers. The local cloud is not started beside it
 * (SWITCHYARD_LOCALCLOUD=off): tests run their own and register it as an account.
 */
export async function startAppServer(opts: StartAppServerOptions = {}): Promise<AppServer> {
  const name = opts.name ?? "switchyard";
  const databaseUrl = opts.databaseUrl ?? testDatabaseUrl();
  await prepareWorkflowWorld(databaseUrl);
  await ensureProductionBuild();
  const port = opts.port ?? (await freePort());
  const child = spawn(path.join(root, "node_modules/.bin/next"), ["start", "-p", String(port)], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: childEnv({
      DATABASE_URL: databaseUrl,
      WORKFLOW_TARGET_WORLD: "@workflow/world-postgres",
      WORKFLOW_POSTGRES_URL: databaseUrl,
      PORT: String(port),
      BETTER_AUTH_SECRET: process.env.BETTER_AUTH_SECRET ?? "test-secret-test-secret-test-secret-0000",
      SWITCHYARD_URL: `http://127.0.0.1:${port}`,
      SWITCHYARD_LOCALCLOUD: "off",
      ...opts.env,
    }),
  });
  let log = "";
  const keep = (d: Buffer) => {
    log += d;
    if (log.length > 400_000) log = log.slice(-200_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const pid = child.pid!;
  const url = `http://127.0.0.1:${port}`;
  const server: AppServer = {
    name,
    url,
    port,
    pid,
    child,
    output: () => log,
    kill: async () => {
      signalGroup(pid, "SIGKILL");
      if (!(await waitGroupGone(pid, 10_000))) throw new Error(`${name} (pid ${pid}) survived SIGKILL`);
      started.delete(server);
    },
    stop: async (graceMs = 10_000) => {
      if (groupAlive(pid)) {
        // next-server stops on SIGINT (it may ignore SIGTERM with the workflow world, see STACK.md).
        signalGroup(pid, "SIGINT");
        if (!(await waitGroupGone(pid, graceMs))) {
          signalGroup(pid, "SIGKILL");
          await waitGroupGone(pid, 10_000);
        }
      }
      started.delete(server);
    },
  };
  started.add(server);
  try {
    await Promise.race([
      waitForHttp(`${url}/api/health`, opts.timeoutMs ?? 90_000),
      new Promise<never>((_, reject) =>
        child.once("exit", (code, signal) => reject(new Error(`exited during start-up (${signal ?? code})`))),
      ),
    ]);
  } catch (e) {
    await server.kill().catch(() => {});
    throw new Error(
      `Switchyard server ${name} on port ${port} did not start: ${(e as Error).message}\n--- its output ---\n${log.slice(-4000)}`,
    );
  }
  return server;
}

/** Stops every server this test file started that is still running (afterAll, also after a failure). */
export async function stopAllServers(): Promise<void> {
  await Promise.all([...started].map((s) => s.stop(5_000).catch(() => s.kill())));
}

/** A REST API caller with a Bearer token; `baseUrl` may be changed (a server restarted on another port). */
export class ApiClient {
  constructor(
    public baseUrl: string,
    public token: string,
  ) {}

  async call<T = any>(method: string, p: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${p}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text for the error message */
    }
    return { status: res.status, body: parsed as T };
  }

  /** Like call(), but throws with the answer unless the status is `expected`. */
  async expect<T = any>(expected: number, method: string, p: string, body?: unknown): Promise<T> {
    const r = await this.call<T>(method, p, body);
    if (r.status !== expected)
      throw new Error(`${method} ${this.baseUrl}${p}: expected HTTP ${expected}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  }
}

export interface OperationStep {
  key: string;
  status: string;
  attempts: number;
  error: string | null;
  detail: unknown;
}
export interface Operation {
  id: string;
  kind: string;
  status: string;
  reason: string | null;
  toVersion: string | null;
  startedBy: string;
  approvedBy: string | null;
  steps: OperationStep[];
}

/** One line per step, for failure messages: `shift-50 running x1 (error)`. */
export function describeSteps(op: Operation | null | undefined): string {
  if (!op) return "(no operation read yet)";
  const steps = op.steps
    .map((s) => `  ${s.key.padEnd(22)} ${s.status.padEnd(10)} x${s.attempts}${s.error ? `  ${s.error}` : ""}`)
    .join("\n");
  return `${op.kind} ${op.id} ${op.status}${op.reason ? ` (${op.reason})` : ""}\n${steps}`;
}

/**
 * Polls GET /api/v1/environments/{name}/deployments/{id} until `done(op)`; throws after
 * `timeoutMs` with the deployment's steps. Transient connection errors (a server restarting)
 * are retried.
 */
export async function waitForOperation(
  api: ApiClient,
  env: string,
  id: string,
  done: (op: Operation) => boolean,
  opts: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<Operation> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: Operation | null = null;
  let lastError = "";
  for (;;) {
    try {
      const r = await api.call<Operation>("GET", `/api/v1/environments/${env}/deployments/${id}`);
      if (r.status === 200) {
        last = r.body;
        if (done(last)) return last;
      } else lastError = `HTTP ${r.status}: ${JSON.stringify(r.body)}`;
    } catch (e) {
      lastError = (e as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${opts.timeoutMs} ms waiting for ${opts.what}.${lastError ? ` Last error: ${lastError}.` : ""}\n${describeSteps(last)}`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
  }
}

const TERMINAL = ["succeeded", "failed", "rolled_back", "cancelled"];
const STEP_DONE = ["succeeded", "failed", "skipped"];

/**
 * The operation is over: it failed, rolled back or was cancelled, or it succeeded and none of
 * its steps is still pending, running or waiting (a rollout succeeds at promote, then keeps
 * the old fleet warm and scales it down).
 */
export const operationSettled = (op: Operation) =>
  TERMINAL.includes(op.status) && (op.status !== "succeeded" || op.steps.every((s) => STEP_DONE.includes(s.status)));
