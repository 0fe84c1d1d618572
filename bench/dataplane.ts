/**
 * `npm run bench:dataplane`: what the local cloud's data plane sustains on this machine.
 * Starts a local cloud in-process (fast clock), builds one ALB with an Auto Scaling group of
 * instances answering at once (latency_ms=0), then drives the listener port with N concurrent
 * keep-alive clients for D seconds. The clients run in a worker thread so they do not share
 * the cloud's event loop (they still share the CPU). Last line:
 *   rps=<n> p99_ms=<n> failed=<n>
 * Env: BENCH_CLIENTS (default 32), BENCH_SECONDS (20), BENCH_INSTANCES (3).
 */
import { Worker } from "node:worker_threads";
import { startTestCloud } from "../localcloud/test/helpers.ts";
import { buildWebStack, waitForHealthy } from "../localcloud/test/stack-helpers.ts";
import { onTraffic } from "../localcloud/src/dataplane/index.ts";

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 3);

/** Plain JS (a worker cannot load TypeScript): CLIENTS loops, each one request at a time on a keep-alive connection. */
const CLIENT_CODE = `
const { workerData, parentPort } = require("node:worker_threads");
const http = require("node:http");
const { url, clients, seconds } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const latencies = [];
let failed = 0;
const until = Date.now() + seconds * 1000;
function one() {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const req = http.get(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode === 200) latencies.push(performance.now() - t0);
        else failed++;
        resolve();
      });
    });
    req.on("error", () => { failed++; resolve(); });
  });
}
async function loop() { while (Date.now() < until) await one(); }
const started = Date.now();
Promise.all(Array.from({ length: clients }, loop)).then(() => {
  agent.destroy();
  parentPort.postMessage({ latencies, failed, elapsedMs: Date.now() - started });
});
`;

const lc = await startTestCloud({ speed: 100 });
try {
  const t0 = Date.now();
  const stack = await buildWebStack(lc, { name: "bench", fleets: [{ name: "app", version: "bench", capacity: INSTANCES, latency_ms: 0 }] });
  await waitForHealthy(lc, stack.fleets.app.targetGroupArn, INSTANCES, 60_000);
  console.log(`stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s: 1 ALB, ${INSTANCES} instances, listener ${stack.url}`);

  let records = 0;
  const unsubscribe = onTraffic(() => records++);
  console.log(`driving ${CLIENTS} keep-alive clients for ${SECONDS} s...`);
  const result = await new Promise<{ latencies: number[]; failed: number; elapsedMs: number }>((resolve, reject) => {
    const worker = new Worker(CLIENT_CODE, { eval: true, workerData: { url: `${stack.url}/bench`, clients: CLIENTS, seconds: SECONDS } });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  unsubscribe();

  const sorted = result.latencies.sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  const total = sorted.length + result.failed;
  const rps = Math.round(sorted.length / (result.elapsedMs / 1000));
  console.log(`requests: ${total} (${sorted.length} ok, ${result.failed} failed), traffic records: ${records}`);
  console.log(
    `latency ms: p50 ${pct(50).toFixed(2)}  p90 ${pct(90).toFixed(2)}  p99 ${pct(99).toFixed(2)}  max ${(sorted[sorted.length - 1] ?? 0).toFixed(2)}`,
  );
  console.log(`rps=${rps} p99_ms=${pct(99).toFixed(1)} failed=${result.failed}`);
} finally {
  await lc.close();
}
