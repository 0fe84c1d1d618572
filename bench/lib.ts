import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { waitForHttp } from "../scripts/lib/process.ts";

export const root = path.resolve(import.meta.dirname, "..");

/** Starts Switchyard with `npm start`'s launcher on a fresh data dir; returns its URL and a stop(). */
export async function startSwitchyard(opts: {
  port: number;
  env?: Record<string, string>;
}): Promise<{ url: string; dataDir: string; stop(): Promise<void>; child: ChildProcess }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-bench-"));
  fs.chmodSync(dataDir, 0o755);
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/start.ts")], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(opts.port),
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_PG_PORT: String(opts.port + 51000),
      NEXT_TELEMETRY_DISABLED: "1",
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${opts.port}`;
  try {
    await waitForHttp(`${url}/api/health`, 300_000);
  } catch (e) {
    child.kill("SIGINT");
    throw new Error(`Switchyard did not start:\n${log.slice(-3000)}\n${(e as Error).message}`);
  }
  return {
    url,
    dataDir,
    child,
    stop: async () => {
      child.kill("SIGINT");
      await new Promise((r) => child.once("exit", r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

/** Runs `fn` over `items` with at most `n` in flight. */
export async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Signs in through better-auth's endpoint; returns the session cookie header. */
export async function signInCookie(url: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ email, password }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

/**
 * An environment spec for a bench on the local account (two zones, a small fleet, no
 * CloudFront, all-at-once rollouts, no bake): each bench overrides what it measures.
 */
export function benchSpec(name: string, overrides: Record<string, unknown> & { userData?: string } = {}) {
  const { userData = "#!/bin/bash\nAPP_VERSION={{version}} /opt/app/start\n", ...rest } = overrides;
  return {
    name,
    account: "local",
    region: "us-east-1",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    app: { version: "v1", source: { kind: "al2023", userData } },
    instanceType: "t3.small",
    capacity: { min: 2, desired: 2, max: 6 },
    scaling: { metric: "cpu", target: 50 },
    healthCheck: {
      path: "/health",
      intervalSeconds: 10,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      gracePeriodSeconds: 30,
    },
    database: null,
    cloudfront: false,
    rollout: { strategy: "all-at-once", canarySteps: [100], bakeMinutes: 0 },
    autoRollback: { max5xxRatePercent: 5, maxP95LatencyMs: 800 },
    rollbackWindowMinutes: 30,
    protected: false,
    ...rest,
  };
}
