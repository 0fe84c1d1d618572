/**
 * `npm test`: every test, then one summary line CI can read.
 *   0. Lint and type check (unless .ci/run did them), and a production build if it is stale.
 *   1. Vitest: unit and integration tests (app tests on a real PostgreSQL: DATABASE_URL or
 *      an embedded server; local cloud conformance through the real AWS SDK).
 *   2. Playwright: end-to-end in Debian's Chromium against `npm start` on a fresh data dir.
 * Stages 1 and 2 run at the same time: the end-to-end story spends most of its time waiting
 * for rollouts (about a fifth of one core), and they share nothing (their own PostgreSQL,
 * local cloud, ports and data dirs; the build is only read). Playwright's output is held back
 * until Vitest's ends, so each reads as one block. They run one after the other when the build
 * failed (`npm start` would build again under Vitest's servers) or with SWITCHYARD_TEST_SERIAL=1.
 * `npm test -- --unit` or `--e2e` runs one stage.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIsStale } from "./lib/process.ts";

const root = path.resolve(import.meta.dirname, "..");
const only = process.argv.includes("--unit") ? "unit" : process.argv.includes("--e2e") ? "e2e" : null;
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1", NO_COLOR: "1" };
// Summaries are parsed from the runners' output: strip colour codes first.
const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "");

/** Where a stage's output goes: straight to stdout, or held until `release()` (then straight through). */
class Output {
  private held: Buffer[] | null;
  constructor(hold: boolean) {
    this.held = hold ? [] : null;
  }
  write(d: Buffer) {
    if (this.held) this.held.push(d);
    else process.stdout.write(d);
  }
  release() {
    for (const d of this.held ?? []) process.stdout.write(d);
    this.held = null;
  }
}

function run(
  cmd: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  output = new Output(false),
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const tee = (d: Buffer) => {
      out += d;
      output.write(d);
    };
    child.stdout.on("data", tee);
    child.stderr.on("data", tee);
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

let passed = 0;
let failed = 0;
let ok = true;
const bin = (n: string) => path.join(root, "node_modules/.bin", n);

let buildEnv: Record<string, string> = {};
let buildOk = true;
if (only !== "e2e") {
  // Some app tests start `next start` (testing/servers.ts): a production build of the
  // current sources must exist before vitest runs. A failed build counts as a failure; the
  // other tests still run, and those servers refuse to start with a clear message.
  // The type check runs once, here (the build skips it, as `npm start`'s does).
  // .ci/run lints and type-checks before it calls us (SWITCHYARD_CHECKED=1); a person running
  // `npm test` gets the same checks here.
  if (process.env.SWITCHYARD_CHECKED !== "1") {
    console.log("[test] lint and type check (npm run lint, npm run typecheck)...");
    for (const script of ["lint", "typecheck"]) {
      const r = await run("npm", ["run", "--silent", script]);
      if (r.code !== 0) {
        ok = false;
        failed += 1;
      }
    }
  }
  if (buildIsStale(root)) {
    console.log("[test] building the app (sources changed since the last build)...");
    const b = await run(bin("next"), ["build"], { SWITCHYARD_SKIP_TYPECHECK: "1" });
    if (b.code !== 0) {
      ok = false;
      failed += 1;
      buildOk = false;
      buildEnv = { SWITCHYARD_TEST_NO_BUILD: "1" };
    }
  }
}

async function unitStage() {
  const r = await run(bin("vitest"), ["run", "--reporter=default"], buildEnv);
  const tests = /Tests\s+(?:(\d+) failed\s*\|\s*)?(\d+) passed/.exec(plain(r.out));
  if (tests) {
    failed += Number(tests[1] ?? 0);
    passed += Number(tests[2]);
  }
  if (r.code !== 0) {
    ok = false;
    if (!tests || Number(tests[1] ?? 0) === 0) failed += 1; // a crash outside a test still fails the run
  }
}

async function e2eStage(output: Output) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-e2e-"));
  fs.chmodSync(dataDir, 0o755);
  const r = await run(bin("playwright"), ["test"], { E2E_DATA_DIR: dataDir }, output);
  const out = plain(r.out);
  const p = /(\d+) passed/.exec(out);
  const f = /(\d+) failed/.exec(out);
  passed += Number(p?.[1] ?? 0);
  failed += Number(f?.[1] ?? 0);
  if (r.code !== 0) {
    ok = false;
    if (!f) failed += 1;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}

const together = only === null && buildOk && process.env.SWITCHYARD_TEST_SERIAL !== "1";
const started = Date.now();
const took = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
if (together) {
  console.log("[test] Vitest and Playwright run at the same time; Playwright's output follows Vitest's.");
  const e2eOutput = new Output(true);
  let e2eTook = "";
  const e2e = e2eStage(e2eOutput).then(() => (e2eTook = took()));
  await unitStage();
  console.log(`[test] Vitest done after ${took()}`);
  e2eOutput.release();
  await e2e;
  console.log(`[test] Playwright done after ${e2eTook}`);
} else {
  if (only !== "e2e") await unitStage();
  if (only !== "unit") await e2eStage(new Output(false));
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
