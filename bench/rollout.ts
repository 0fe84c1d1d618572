/**
 * `npm run bench:rollout`: deploy safety, measured end to end through the REST API.
 * Starts Switchyard (its launcher: embedded PostgreSQL, the local cloud at 20x with its default
 * load of 20 wall requests/s on every listener), creates and provisions one environment (2
 * instances, a PostgreSQL database, a NAT gateway), then 20 times: rolls out a new version
 * (all at once) and rolls it back at once, onto the warm previous fleet; finally one more
 * rollout whose old fleet is scaled down after its (1 minute) rollback window.
 * Reports:
 *   - rollback latency: from the rollback request to the listener serving 100% of the previous
 *     version, confirmed by traffic: the bench's own requests to the listener, one after the
 *     other; the time of the first answer of the final unbroken run of previous-version answers
 *     (at least 10). Switchyard's own measurement (the rollback's confirm step) is printed too;
 *   - failed requests (HTTP >= 400 or no answer) of the cloud's load and the bench's requests
 *     during every rollout, rollback and scale-down (must be 0);
 *   - provisioning wall time over the critical path of its dependency graph (the longest chain
 *     of step durations through provision.ts's graph): 1.00 would be perfectly parallel;
 *   - AWS API calls per rollout (the local cloud's call counts, request to promotion).
 * Last line:
 *   rollback_p50_ms=<n> rollback_p95_ms=<n> failed_requests=<n> provision_over_critical_path=<x> api_calls_per_rollout=<n>
 */
import { benchSpec, percentile, startSwitchyard } from "./lib.ts";

const ROLLBACKS = Number(process.env.BENCH_ROLLBACKS ?? 20);
const PORT = Number(process.env.BENCH_PORT ?? 3302);
const LOCALCLOUD_PORT = Number(process.env.BENCH_LOCALCLOUD_PORT ?? 4802);
const LC = `http://127.0.0.1:${LOCALCLOUD_PORT}`;
const NAME = "bench-roll";
const token = "bench-rollout-token-0123456789abcdefghij";
const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

interface Step {
  key: string;
  status: string;
  durationMs: number | null;
  detail: unknown;
}
interface Operation {
  id: string;
  status: string;
  reason: string | null;
  durationMs: number | null;
  steps: Step[];
}
interface Load {
  target: string;
  targetRef?: string;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
}

const sy = await startSwitchyard({
  port: PORT,
  env: {
    LOCALCLOUD_PORT: String(LOCALCLOUD_PORT),
    LOCALCLOUD_SPEED: "20",
    LOCALCLOUD_DEFAULT_LOAD: "20",
    SWITCHYARD_TEST_MODE: "1",
    SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: "bench@example.com",
    SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: "bench-password-123",
    SWITCHYARD_BOOTSTRAP_TOKEN: token,
  },
});
const api = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${sy.url}/api/v1${p}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
};
const operation = (id: string) => api<Operation>("GET", `/environments/${NAME}/deployments/${id}`);
async function settled(
  id: string,
  what: string,
  done = (op: Operation) => !["pending", "running", "awaiting_approval"].includes(op.status),
) {
  const t0 = Date.now();
  for (;;) {
    const op = await operation(id);
    if (done(op)) return op;
    if (Date.now() - t0 > 600_000) throw new Error(`${what} did not settle in 10 minutes: ${JSON.stringify(op)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const lc = async <T>(p: string) => (await (await fetch(`${LC}/_localcloud/${p}`)).json()) as T;
const apiCalls = async () => Object.values((await lc<{ calls: Record<string, number> }>("stats")).calls).reduce((n, c) => n + c, 0);
const load = async () => {
  const mine = (await lc<{ loads: Load[] }>("load")).loads.filter((l) => `${l.target} ${l.targetRef ?? ""}`.includes(NAME));
  return { ok: mine.reduce((n, l) => n + l.ok, 0), failed: mine.reduce((n, l) => n + l.failed, 0) };
};

/** The provisioning graph of provision.ts: each step and the steps it waits for. */
const GRAPH: Record<string, string[]> = {
  network: [],
  egress: ["network"],
  "egress-ready": ["egress"],
  "security-groups": ["network"],
  database: ["security-groups"],
  "database-available": ["database"],
  cache: ["security-groups"],
  "cache-available": ["cache"],
  "load-balancer": ["security-groups"],
  "load-balancer-active": ["load-balancer"],
  distribution: ["load-balancer-active"],
  "distribution-deployed": ["distribution"],
  "instance-role": ["security-groups", "database-available", "cache-available"],
  parameters: ["instance-role"],
  "launch-template": ["parameters"],
  "fleet-blue": ["launch-template", "load-balancer-active", "egress-ready"],
  "fleet-green": ["fleet-blue"],
  "fleet-healthy": ["fleet-green"],
  alarms: ["fleet-healthy", "distribution-deployed", "database-available", "cache-available", "egress-ready", "load-balancer-active"],
  "read-back": ["alarms"],
};
function criticalPathMs(steps: Step[]): { ms: number; path: string[] } {
  const duration = new Map(steps.filter((s) => s.durationMs !== null).map((s) => [s.key, s.durationMs!]));
  const memo = new Map<string, { ms: number; path: string[] }>();
  const longest = (key: string): { ms: number; path: string[] } => {
    const hit = memo.get(key);
    if (hit) return hit;
    const before = (GRAPH[key] ?? []).filter((k) => duration.has(k)).map(longest);
    const best = before.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, path: [] as string[] });
    const out = { ms: best.ms + (duration.get(key) ?? 0), path: [...best.path, key] };
    memo.set(key, out);
    return out;
  };
  return [...duration.keys()].map(longest).reduce((a, b) => (b.ms > a.ms ? b : a), { ms: 0, path: [] });
}

/** The bench's own traffic: one request after the other to the listener, until stopped. */
function watch(url: string) {
  const answers: Array<{ at: number; version: string | null; ok: boolean }> = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
        await res.arrayBuffer();
        answers.push({ at: performance.now(), version: res.headers.get("x-app-version"), ok: res.status < 400 });
      } catch {
        answers.push({ at: performance.now(), version: null, ok: false });
      }
    }
  })();
  return {
    answers,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

function spec() {
  return benchSpec(NAME, {
    userData: "#!/bin/bash\n# localcloud: boot_seconds=5 latency_ms=5\nexport APP_VERSION={{version}}\n",
    capacity: { min: 2, desired: 2, max: 4 },
    database: { engine: "postgres", instanceClass: "db.t3.micro", storageGb: 20, multiAz: false },
    rollbackWindowMinutes: 1,
  });
}

try {
  await api("POST", "/environments", spec());
  const provision = await api<Operation>("POST", `/environments/${NAME}/provision`);
  const provisioned = await settled(provision.id, "provisioning");
  if (provisioned.status !== "succeeded") throw new Error(`provisioning ${provisioned.status}: ${provisioned.reason}`);
  const critical = criticalPathMs(provisioned.steps);
  const overCritical = (provisioned.durationMs ?? 0) / critical.ms;
  console.log(
    `provisioned in ${((provisioned.durationMs ?? 0) / 1000).toFixed(1)} s; critical path ${(critical.ms / 1000).toFixed(1)} s: ${critical.path.join(" -> ")}`,
  );
  const { loadBalancers } = await lc<{ loadBalancers: Array<{ name: string; listeners: Array<{ url: string }> }> }>("endpoints");
  const listener = loadBalancers.find((l) => l.name.includes(NAME))?.listeners[0]?.url;
  if (!listener) throw new Error("the local cloud lists no listener for the environment");
  const listenerUrl = `${listener.replace(/\/$/, "")}/`;
  for (const t0 = Date.now(); (await load()).ok < 20; ) {
    if (Date.now() - t0 > 30_000) throw new Error("the cloud's default load never reached the environment");
    await new Promise((r) => setTimeout(r, 250));
  }

  const loadBefore = await load();
  const latencies: number[] = [];
  const confirmed: number[] = [];
  const callsPerRollout: number[] = [];
  let benchFailures = 0;
  for (let i = 0; i < ROLLBACKS; i++) {
    const previous = i === 0 ? "v1" : `v1.${i}`;
    const next = `v2.${i}`;
    const calls0 = await apiCalls();
    const rollout = await api<Operation>("POST", `/environments/${NAME}/deployments`, { version: next });
    const rolled = await settled(rollout.id, `rollout ${next}`);
    callsPerRollout.push((await apiCalls()) - calls0);
    if (rolled.status !== "succeeded") throw new Error(`rollout ${next} ${rolled.status}: ${rolled.reason}`);

    const w = watch(listenerUrl);
    await new Promise((r) => setTimeout(r, 300));
    const requested = performance.now();
    const rollback = await api<Operation>("POST", `/environments/${NAME}/rollback`);
    const back = await settled(rollback.id, `rollback to ${previous}`);
    await new Promise((r) => setTimeout(r, 300));
    await w.stop();
    if (back.status !== "succeeded") throw new Error(`rollback to ${previous} ${back.status}: ${back.reason}`);
    benchFailures += w.answers.filter((a) => !a.ok).length;
    // The final unbroken run of answers from the previous version, and when it began.
    let start = w.answers.length;
    while (start > 0 && w.answers[start - 1].version === previous) start--;
    if (w.answers.length - start < 10)
      throw new Error(`rollback ${i + 1}: only ${w.answers.length - start} answers from ${previous} at the end`);
    latencies.push(w.answers[start].at - requested);
    const confirm = back.steps.find((s) => s.key === "confirm")?.detail as { measuredMs?: number } | undefined;
    if (typeof confirm?.measuredMs === "number") confirmed.push(confirm.measuredMs);
    // The rolled-back fleet is scaled down (after the deregistration delay) before the next rollout.
    await settled(rollback.id, "the rolled-back fleet's scale-down", (op) =>
      ["succeeded", "skipped", "failed"].includes(op.steps.find((s) => s.key === "scale-down-old")?.status ?? ""),
    );
    // The next rollout starts from the version rolled back to.
    if (i + 1 < ROLLBACKS) {
      const again = await api<Operation>("POST", `/environments/${NAME}/deployments`, { version: `v1.${i + 1}` });
      const done = await settled(again.id, `rollout v1.${i + 1}`);
      if (done.status !== "succeeded") throw new Error(`rollout v1.${i + 1} ${done.status}: ${done.reason}`);
    }
    console.log(
      `rollback ${i + 1}: ${Math.round(latencies[i])} ms to 100% ${previous} (Switchyard confirmed at ${confirm?.measuredMs ?? "?"} ms)`,
    );
  }
  // One more rollout, and its old fleet's scale-down once its 1-minute window is over.
  const last = await api<Operation>("POST", `/environments/${NAME}/deployments`, { version: "v3" });
  await settled(last.id, "the last rollout's scale-down", (op) =>
    ["succeeded", "skipped", "failed"].includes(op.steps.find((s) => s.key === "scale-down-old")?.status ?? ""),
  );
  const loadAfter = await load();
  const failed = loadAfter.failed - loadBefore.failed + benchFailures;
  console.log(
    `load: ${loadAfter.ok - loadBefore.ok} requests answered, ${loadAfter.failed - loadBefore.failed} failed; bench requests failed: ${benchFailures}`,
  );
  const sorted = [...latencies].sort((a, b) => a - b);
  const sortedConfirmed = [...confirmed].sort((a, b) => a - b);
  console.log(
    `Switchyard's own confirmation (request to ${10} answers in a row from the previous version): p50 ${Math.round(percentile(sortedConfirmed, 50))} ms, p95 ${Math.round(percentile(sortedConfirmed, 95))} ms`,
  );
  const calls = Math.round(callsPerRollout.reduce((n, c) => n + c, 0) / callsPerRollout.length);
  console.log(
    `rollback_p50_ms=${Math.round(percentile(sorted, 50))} rollback_p95_ms=${Math.round(percentile(sorted, 95))} failed_requests=${failed} provision_over_critical_path=${overCritical.toFixed(2)} api_calls_per_rollout=${calls}`,
  );
} finally {
  await sy.stop();
}
