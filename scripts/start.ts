/**
 * `npm start`: everything Switchyard needs on one machine, in order:
 *   1. configuration validated (server/env.ts),
 *   2. PostgreSQL: DATABASE_URL, or an embedded server under the data directory,
 *   3. migrations applied,
 *   4. the local cloud beside the app (unless SWITCHYARD_LOCALCLOUD=off),
 *   5. a production build when the sources are newer than the last one (`--dev`: next dev),
 *      started at once, beside steps 2-4 (it needs no database), without the type check
 *      (`npm test` and CI run `tsc`), with Turbopack's build cache for later builds,
 *   6. the app on PORT.
 * Until the app answers, PORT serves a page that lists these steps (scripts/lib/status-page.ts).
 * Ctrl-C stops all of it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { bootstrapWorkflowWorld, ensureDatabase, migrateDeploy } from "./lib/database.ts";
import { buildIsStale, waitForHttp } from "./lib/process.ts";
import { StatusPage } from "./lib/status-page.ts";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const { env, dataDir } = await import("../server/env.ts").catch((e: Error) => {
  console.error(e.message);
  process.exit(2);
});
const say = (m: string) => console.log(`[switchyard] ${m}`);
const children: ChildProcess[] = [];
let stopping = false;
let stopDb: (() => Promise<void>) | null = null;

// A child killed by a signal has exitCode null too: only the 'exit' event says it is gone.
const exited = new WeakSet<ChildProcess>();

async function stop(code: number) {
  if (stopping) return;
  stopping = true;
  const running = children.filter((c) => !exited.has(c));
  for (const c of running) c.kill("SIGINT");
  // One that ignores SIGINT gets SIGKILL after a grace period, so the launcher always ends.
  const force = setTimeout(() => running.forEach((c) => exited.has(c) || c.kill("SIGKILL")), 8_000);
  await Promise.all(running.map((c) => (exited.has(c) ? null : new Promise((r) => c.once("exit", r)))));
  clearTimeout(force);
  await status?.close();
  await stopDb?.();
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

fs.mkdirSync(dataDir, { recursive: true });
const next = path.join(root, "node_modules/.bin/next");
const needsBuild = !dev && buildIsStale(root);
const status = dev
  ? null
  : new StatusPage({
      database: "PostgreSQL",
      migrations: "Database migrations",
      localcloud: "The local cloud",
      ...(needsBuild ? { build: "Building the app (first start, or the sources changed)" } : {}),
      app: "Starting the app",
    });
await status?.listen(env.PORT);

// Session-signing secret: from the environment, else generated once and kept (mode 600) under the data directory.
const secretFile = path.join(dataDir, "auth-secret");
let secret = env.BETTER_AUTH_SECRET;
if (!secret) {
  if (!fs.existsSync(secretFile)) fs.writeFileSync(secretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
  secret = fs.readFileSync(secretFile, "utf8").trim();
}

// The build needs no database (a placeholder URL during the build phase): it runs beside the rest.
const built = needsBuild ? build() : Promise.resolve();
built.catch(() => undefined); // a failure is handled where it is awaited

status?.set("database", "running");
const db = await ensureDatabase({ dataDir, pgPort: env.SWITCHYARD_PG_PORT, log: say });
if (db.embedded) {
  stopDb = db.embedded.stop;
  say(`embedded PostgreSQL on port ${db.embedded.port} (data in ${db.embedded.dir})`);
}
status?.set("database", "done");
status?.set("migrations", "running");
await migrateDeploy(db.url);
await bootstrapWorkflowWorld(db.url);
status?.set("migrations", "done");
say("database migrations applied");

const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: db.url,
  BETTER_AUTH_SECRET: secret,
  NEXT_TELEMETRY_DISABLED: "1",
  CHECKPOINT_DISABLE: "1",
  PORT: String(env.PORT),
  // Durable workflows run on the same PostgreSQL, so replicas share runs, steps and hooks.
  WORKFLOW_TARGET_WORLD: "@workflow/world-postgres",
  WORKFLOW_POSTGRES_URL: db.url,
};

function run(name: string, cmd: string, args: string[]) {
  const child = spawn(cmd, args, { cwd: root, env: childEnv, stdio: ["ignore", "inherit", "inherit"] });
  children.push(child);
  child.on("exit", (code, signal) => {
    exited.add(child);
    if (!stopping) {
      // Whatever it supervises ending is a failure (a supervisor restarts us), even with exit code 0.
      say(`${name} exited (${signal ?? code}); stopping`);
      void stop(code || 1);
    }
  });
  return child;
}

status?.set("localcloud", "running", env.SWITCHYARD_LOCALCLOUD === "on" ? undefined : "off");
if (env.SWITCHYARD_LOCALCLOUD === "on") {
  run("local cloud", path.join(root, "node_modules/.bin/tsx"), [
    path.join(root, "localcloud/src/main.ts"),
    "--port",
    String(env.LOCALCLOUD_PORT),
    "--data-dir",
    dataDir,
    "--speed",
    String(env.LOCALCLOUD_SPEED),
    "--default-load",
    String(env.LOCALCLOUD_DEFAULT_LOAD),
  ]);
  await waitForHttp(`http://127.0.0.1:${env.LOCALCLOUD_PORT}/_localcloud/health`, 30_000);
  say(`local cloud on http://127.0.0.1:${env.LOCALCLOUD_PORT} (speed ${env.LOCALCLOUD_SPEED}x)`);
}

status?.set("localcloud", "done");

/** `next build` of the current sources, skipping the type check (CI and `npm test` run tsc). */
function build(): Promise<void> {
  say("building the app (sources changed since the last build)...");
  status?.set("build", "running");
  // A first build takes minutes on a small machine: the terminal says it is still at it, and for how long.
  const began = Date.now();
  const ticker = setInterval(() => say(`still building the app (${Math.round((Date.now() - began) / 1000)} s so far)`), 20_000);
  return new Promise<void>((resolve, reject) => {
    const b = spawn(next, ["build"], {
      cwd: root,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", SWITCHYARD_SKIP_TYPECHECK: "1" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    children.push(b);
    b.on("exit", (code, signal) => {
      clearInterval(ticker);
      exited.add(b);
      if (code === 0) say(`app built in ${Math.round((Date.now() - began) / 1000)} s`);
      status?.set("build", code === 0 ? "done" : "failed", code === 0 ? undefined : `${signal ?? `exit ${code}`}`);
      if (code === 0) resolve();
      else reject(new Error(`next build failed (${signal ?? `exit ${code}`})`));
    });
  });
}

if (dev) {
  run("next dev", next, ["dev", "-p", String(env.PORT)]);
} else {
  await built.catch(async (e: Error) => {
    console.error(e.message);
    await stop(1);
  });
  status?.set("app", "running");
  await status?.close();
  run("next", next, ["start", "-p", String(env.PORT)]);
}
await waitForHttp(`http://127.0.0.1:${env.PORT}/api/health`, 120_000);
say(`Switchyard is up at http://localhost:${env.PORT}`);
