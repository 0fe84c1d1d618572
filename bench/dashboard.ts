/**
 * `npm run bench:dashboard`: 50 viewers on one environment's dashboard, served by TWO
 * Switchyard replicas sharing one PostgreSQL (as in production), for 3 minutes of wall time
 * = 18 simulated minutes (local cloud at 6x, so that each replica's 10-second answer window
 * is shorter than a simulated minute, as it is on AWS; viewers poll every 2 s).
 * Starts PostgreSQL, replica A (with the local cloud, fast clock, default load) and replica B
 * (same database and local cloud), creates and provisions one environment through the REST
 * API, then 50 concurrent HTTP clients (session cookie of the bootstrap admin; half on each
 * replica) poll `GET /api/v1/environments/<name>/metrics?range=1h`.
 * Reports the refresh windows seen, the local cloud's GetMetricData count for the run, the
 * CloudWatch metrics requested (what AWS bills GetMetricData by, from Switchyard's own usage
 * record) per simulated hour and what that costs a month at the dated price table, the p95
 * server time of the endpoint, and the environment page's JavaScript. Last line:
 *   viewers=<n> replicas=2 refresh_windows=<n> getmetricdata_calls=<n> cloudwatch_metrics_per_hour=<n> cloudwatch_usd_per_month=<x> data_p95_ms=<n> env_page_js_kb_gzip=<n>
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { ensureDatabase } from "../scripts/lib/database.ts";
import { CLOUDWATCH_PRICES } from "../server/dashboards/usage.ts";
import { benchSpec, percentile, startSwitchyard, signInCookie } from "./lib.ts";

const VIEWERS = Number(process.env.BENCH_VIEWERS ?? 50);
const DURATION_MS = Number(process.env.BENCH_DURATION_SECONDS ?? 180) * 1000;
const SPEED = 6;
const POLL_MS = 2_000;
const LOCALCLOUD_PORT = 4597;
const LC = `http://127.0.0.1:${LOCALCLOUD_PORT}`;
const email = "bench@example.com";
const password = "bench-password-123";
const token = "bench-token-0123456789abcdefghijklmnop";
const NAME = "bench-dash";

const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-pg-"));
fs.chmodSync(pgDir, 0o755);
const pg = await ensureDatabase({ dataDir: pgDir, pgPort: 55411 });
const shared = {
  DATABASE_URL: pg.url,
  BETTER_AUTH_SECRET: "bench-secret-bench-secret-bench-secret-0123",
  LOCALCLOUD_PORT: String(LOCALCLOUD_PORT),
  SWITCHYARD_TEST_MODE: "1",
};
const sy = await startSwitchyard({
  port: 3410,
  env: {
    ...shared,
    LOCALCLOUD_SPEED: String(SPEED),
    LOCALCLOUD_DEFAULT_LOAD: "25",
    SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: email,
    SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: password,
    SWITCHYARD_BOOTSTRAP_TOKEN: token,
  },
});
const replicaB = await startSwitchyard({ port: 3411, env: { ...shared, SWITCHYARD_LOCALCLOUD: "off" } }).catch(async (e) => {
  await sy.stop();
  throw e;
});
try {
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const created = await fetch(`${sy.url}/api/v1/environments`, { method: "POST", headers: auth, body: JSON.stringify(spec(NAME)) });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${await created.text()}`);
  const op = await fetch(`${sy.url}/api/v1/environments/${NAME}/provision`, { method: "POST", headers: auth });
  if (op.status !== 202) throw new Error(`provision: ${op.status} ${await op.text()}`);
  const opId = ((await op.json()) as { id: string }).id;
  const t0 = Date.now();
  for (;;) {
    const d = (await (await fetch(`${sy.url}/api/v1/environments/${NAME}/deployments/${opId}`, { headers: auth })).json()) as {
      status: string;
      reason: string | null;
    };
    if (d.status === "succeeded") break;
    if (["failed", "cancelled", "rolled_back"].includes(d.status)) throw new Error(`provisioning ${d.status}: ${d.reason}`);
    if (Date.now() - t0 > 300_000) throw new Error("provisioning took over 5 minutes");
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`provisioned ${NAME} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // Let a few simulated minutes of traffic land so the charts have data.
  await new Promise((r) => setTimeout(r, 5_000));

  const cookie = await signInCookie(sy.url, email, password);
  const pageJsKb = await pageJavaScriptGzipKb(sy.url, cookie);

  const urls = [sy.url, replicaB.url].map((u) => `${u}/api/v1/environments/${NAME}/metrics?range=1h`);
  const url = urls[0];
  const before = await getMetricDataCount();
  const metricsBefore = await metricsRequested(url, cookie);
  const simStart = await simulatedNow();
  await fetch(url, { headers: { cookie } }); // warm-up: its window is one the viewers share too, so count from before it
  const windows = new Set<number>();
  const times: number[] = [];
  let failures = 0;
  let emptyAnswers = 0;
  const end = Date.now() + DURATION_MS;
  await Promise.all(
    Array.from({ length: VIEWERS }, async (_, v) => {
      // Viewers open the page at different moments, like people do.
      await new Promise((r) => setTimeout(r, (v * POLL_MS) / VIEWERS));
      while (Date.now() < end) {
        const started = performance.now();
        const res = await fetch(urls[v % urls.length], { headers: { cookie } });
        const body = (await res.json()) as { window?: number; series?: Array<{ points: Array<[number, number | null]> }> };
        times.push(performance.now() - started);
        if (!res.ok || body.window === undefined) failures++;
        else {
          windows.add(body.window);
          if (!body.series?.some((s) => s.points.some((p) => p[1] !== null))) emptyAnswers++;
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    }),
  );
  const calls = (await getMetricDataCount()) - before;
  const metrics = (await metricsRequested(url, cookie)) - metricsBefore;
  const simHours = ((await simulatedNow()) - simStart) / 3_600_000;
  const perHour = metrics / simHours;
  const usdPerMonth = (perHour * 24 * 30 * CLOUDWATCH_PRICES.getMetricDataUsdPer1000Metrics) / 1000;
  console.log(
    `${metrics} CloudWatch metrics requested over ${simHours.toFixed(2)} simulated hours by two replicas for ${VIEWERS} viewers (prices of ${CLOUDWATCH_PRICES.asOf}: $${CLOUDWATCH_PRICES.getMetricDataUsdPer1000Metrics} per 1,000 metrics)`,
  );
  times.sort((a, b) => a - b);
  console.log(
    `${times.length} requests by ${VIEWERS} viewers over ${DURATION_MS / 1000} s; ${failures} failed; ${emptyAnswers} answers without data; p50 ${percentile(times, 50).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
  );
  console.log(
    `GetMetricData calls per refresh window: ${(calls / Math.max(1, windows.size)).toFixed(2)} (an environment with CloudFront makes 2: its metrics live in us-east-1)`,
  );
  console.log(
    `viewers=${VIEWERS} replicas=2 refresh_windows=${windows.size} getmetricdata_calls=${calls} cloudwatch_metrics_per_hour=${Math.round(perHour)} cloudwatch_usd_per_month=${usdPerMonth.toFixed(2)} data_p95_ms=${percentile(times, 95).toFixed(1)} env_page_js_kb_gzip=${pageJsKb.toFixed(1)}`,
  );
} finally {
  await replicaB.stop();
  await sy.stop();
  await pg.embedded?.stop();
  fs.rmSync(pgDir, { recursive: true, force: true });
}

/** Switchyard's own record of CloudWatch metrics requested for the environment today (both replicas write it). */
async function metricsRequested(u: string, cookie: string): Promise<number> {
  const body = (await (await fetch(u, { headers: { cookie } })).json()) as { cost?: { metricsToday: number } };
  return body.cost?.metricsToday ?? 0;
}

/** The local cloud's simulated clock (its API answers carry it in the Date header). */
async function simulatedNow(): Promise<number> {
  return ((await (await fetch(`${LC}/_localcloud/clock`)).json()) as { nowMs: number }).nowMs;
}

async function getMetricDataCount(): Promise<number> {
  const stats = (await (await fetch(`${LC}/_localcloud/stats`)).json()) as { calls: Record<string, number> };
  return stats.calls["monitoring:GetMetricData"] ?? 0;
}

async function pageJavaScriptGzipKb(base: string, cookie: string): Promise<number> {
  const html = await (await fetch(`${base}/environments/${NAME}`, { headers: { cookie } })).text();
  const chunks = [...new Set([...html.matchAll(/\/_next\/static\/[^"'\s)\\]+?\.js/g)].map((m) => m[0]))];
  let bytes = 0;
  for (const c of chunks) bytes += gzipSync(Buffer.from(await (await fetch(`${base}${c}`)).arrayBuffer())).length;
  console.log(`environment page: ${chunks.length} JavaScript chunks, ${(bytes / 1024).toFixed(1)} kB gzip`);
  return bytes / 1024;
}

function spec(name: string) {
  return benchSpec(name, {
    userData: "#!/bin/bash\n# localcloud: boot_seconds=5 latency_ms=20 error_rate=0.01\nAPP_VERSION={{version}} /opt/app/start\n",
    database: { engine: "postgres", instanceClass: "db.t3.medium", storageGb: 20, multiAz: true },
    // Without CloudFront: one GetMetricData per refresh window (with it, a second call in us-east-1).
    cloudfront: false,
  });
}
