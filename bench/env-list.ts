/**
 * `npm run bench:list`: the environments list page with 1,000 environments in the database.
 * Seeds them through the REST API, signs in, then times server-rendered GETs of
 * /environments over loopback (so the time is the server's). Last line:
 *   env_list_p50_ms=<n> env_list_p95_ms=<n>
 */
import { benchSpec, percentile, pool, startSwitchyard, signInCookie } from "./lib.ts";

const N = Number(process.env.BENCH_ENVIRONMENTS ?? 1000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const email = "bench@example.com";
const password = "bench-password-123";
const token = "bench-token-0123456789abcdefghijklmnop";

const sy = await startSwitchyard({
  port: 3400,
  env: {
    LOCALCLOUD_PORT: "4598",
    SWITCHYARD_TEST_MODE: "1",
    SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: email,
    SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: password,
    SWITCHYARD_BOOTSTRAP_TOKEN: token,
  },
});
try {
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };

  const t0 = Date.now();
  const names = Array.from({ length: N }, (_, i) => `bench-${String(i).padStart(4, "0")}`);
  await pool(names, 8, async (name) => {
    const res = await fetch(`${sy.url}/api/v1/environments`, { method: "POST", headers: auth, body: JSON.stringify(specFor(name)) });
    if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${await res.text()}`);
  });
  console.log(`seeded ${N} environments through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const cookie = await signInCookie(sy.url, email, password);
  // Warm up (first render compiles and fills caches), then measure.
  for (let i = 0; i < 5; i++) await timedGet(sy.url, cookie);
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) times.push(await timedGet(sy.url, cookie));
  times.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(
    `list page (100 of ${N} environments per page), ${SAMPLES} sequential requests: min ${times[0].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
  );
  console.log(`env_list_p50_ms=${p50.toFixed(1)} env_list_p95_ms=${p95.toFixed(1)}`);
} finally {
  await sy.stop();
}

function specFor(name: string) {
  return benchSpec(name, {
    app: { version: "v1", source: { kind: "ami", amiId: "ami-0abc1234def567890" } },
    healthCheck: {
      path: "/health",
      intervalSeconds: 10,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 3,
      gracePeriodSeconds: 60,
    },
    autoRollback: { max5xxRatePercent: 2, maxP95LatencyMs: 800 },
    rollbackWindowMinutes: 60,
  });
}

async function timedGet(url: string, cookie: string): Promise<number> {
  const t = performance.now();
  const res = await fetch(`${url}/environments`, { headers: { cookie } });
  const body = await res.text();
  const ms = performance.now() - t;
  if (!res.ok || !body.includes("bench-0000")) throw new Error(`list page failed: ${res.status}`);
  return ms;
}
