/**
 * `npm run bench:start`: how long a new user waits for the first page. A fresh clone of this
 * repository's HEAD in a temporary folder, with `npm ci` done (its node_modules hard-linked
 * from this checkout, and the Prisma client that npm ci's postinstall generates), no build,
 * no data directory; then `npm start`'s launcher, timed until `GET /` answers 200 from the app
 * (the launcher's status page answers 503 until then). Also reports when the status page
 * first answered. Last line:
 *   first_page_s=<n> status_page_s=<n>
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { root } from "./lib.ts";

const PORT = Number(process.env.BENCH_PORT ?? 3460);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-start-"));
fs.chmodSync(dir, 0o755);
const clone = path.join(dir, "switchyard");
execFileSync("git", ["clone", "--quiet", root, clone]);
execFileSync("cp", ["-al", path.join(root, "node_modules"), path.join(clone, "node_modules")]);
execFileSync("cp", ["-r", path.join(root, "server/generated"), path.join(clone, "server/generated")]);
const dataDir = path.join(dir, "data");
fs.mkdirSync(dataDir, { mode: 0o755 });

const t0 = performance.now();
const child = spawn(path.join(clone, "node_modules/.bin/tsx"), [path.join(clone, "scripts/start.ts")], {
  cwd: clone,
  env: {
    ...process.env,
    PORT: String(PORT),
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_PG_PORT: String(PORT + 51000),
    LOCALCLOUD_PORT: String(PORT + 1200),
    NEXT_TELEMETRY_DISABLED: "1",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
let log = "";
child.stdout!.on("data", (d) => (log += d));
child.stderr!.on("data", (d) => (log += d));
let exited = false;
child.on("exit", () => (exited = true));

let statusPage: number | null = null;
let firstPage: number | null = null;
try {
  while (firstPage === null) {
    if (exited) throw new Error(`npm start exited before the first page:\n${log.slice(-3000)}`);
    if (performance.now() - t0 > 600_000) throw new Error(`no page after 10 minutes:\n${log.slice(-3000)}`);
    try {
      const res = await fetch(`http://127.0.0.1:${PORT}/`, { signal: AbortSignal.timeout(5_000) });
      const body = await res.text();
      if (res.status === 503 && body.includes("Switchyard is starting")) statusPage ??= (performance.now() - t0) / 1000;
      if (res.status === 200) firstPage = (performance.now() - t0) / 1000;
    } catch {
      // not listening yet
    }
    if (firstPage === null) await new Promise((r) => setTimeout(r, 250));
  }
  const steps = log.split("\n").filter((l) => l.startsWith("[switchyard]"));
  console.log(steps.join("\n"));
  console.log(`status page after ${statusPage?.toFixed(1) ?? "never"} s; the app's first page after ${firstPage.toFixed(1)} s`);
  console.log(`first_page_s=${firstPage.toFixed(1)} status_page_s=${statusPage?.toFixed(1) ?? "NaN"}`);
} finally {
  child.kill("SIGINT");
  await new Promise((r) => (exited ? r(null) : child.once("exit", r)));
  fs.rmSync(dir, { recursive: true, force: true });
}
