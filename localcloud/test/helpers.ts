/**
 * Shared test helper: starts a local cloud in-process on a random port with its own temp
 * data dir, and builds real AWS SDK v3 clients pointed at it.
 *
 *   const lc = await startTestCloud();          // speed 200 by default
 *   const { Vpcs } = await lc.ec2.send(new DescribeVpcsCommand({}));
 *   await lc.close();                           // also removes the temp dir
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EC2Client } from "@aws-sdk/client-ec2";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient } from "@aws-sdk/client-rds";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { startLocalCloud } from "../src/index.ts";
import type { CloudApi, ServiceModule, ServiceName } from "../src/core/types.ts";

export const TEST_REGION = "us-east-1";
export const TEST_CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export interface TestCloudOptions {
  /** Simulation speed (default 200: 1 wall second = 200 simulated seconds). */
  speed?: number;
  /** Reuse a data dir (e.g. to test a restart); by default a fresh temp dir is created and removed on close. */
  dataDir?: string;
  /** SDK retry attempts (default 1 so error tests are fast; the SDK default is 3). */
  maxAttempts?: number;
}

/** Client config for any SDK v3 client pointed at the local cloud. */
export function clientConfig(url: string, region = TEST_REGION, maxAttempts = 1) {
  return { endpoint: url, region, credentials: TEST_CREDENTIALS, maxAttempts };
}

export interface TestCloud {
  url: string;
  port: number;
  dataDir: string;
  /** The in-process cloud: simulated time, state, services (for white-box assertions). */
  cloud: CloudApi;
  ec2: EC2Client;
  autoscaling: AutoScalingClient;
  elbv2: ElasticLoadBalancingV2Client;
  rds: RDSClient;
  cloudwatch: CloudWatchClient;
  cloudfront: CloudFrontClient;
  /** Clients for another region (same cloud). */
  clientsFor(region: string): Pick<TestCloud, "ec2" | "autoscaling" | "elbv2" | "rds" | "cloudwatch" | "cloudfront">;
  /** Call the admin API: admin("GET", "stats") -> parsed JSON body and status. */
  admin<T = any>(method: string, route: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** All state back to initial (like POST /_localcloud/reset). */
  reset(): Promise<void>;
  /** Jump simulated time forward by `ms` (then every service ticks once), like POST /_localcloud/clock {advanceMs}. */
  advance(ms: number): Promise<void>;
  /** Stops the server (flushing state); removes the temp dir unless keepData or a dataDir was given. */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

export async function startTestCloud(opts: TestCloudOptions = {}): Promise<TestCloud> {
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), "localcloud-test-"));
  const lc = await startLocalCloud({ port: 0, dataDir, speed: opts.speed ?? 200 });
  const maxAttempts = opts.maxAttempts ?? 1;
  const clientsFor = (region: string) => {
    const cfg = clientConfig(lc.url, region, maxAttempts);
    return {
      ec2: new EC2Client(cfg),
      autoscaling: new AutoScalingClient(cfg),
      elbv2: new ElasticLoadBalancingV2Client(cfg),
      rds: new RDSClient(cfg),
      cloudwatch: new CloudWatchClient(cfg),
      cloudfront: new CloudFrontClient(cfg),
    };
  };
  const clients = clientsFor(TEST_REGION);
  return {
    url: lc.url,
    port: lc.port,
    dataDir,
    cloud: lc.cloud,
    ...clients,
    clientsFor,
    async admin(method, route, body) {
      const res = await fetch(`${lc.url}/_localcloud/${route.replace(/^\//, "")}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    reset: () => lc.reset(),
    async advance(ms) {
      const res = await fetch(`${lc.url}/_localcloud/clock`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ advanceMs: ms }),
      });
      if (res.status !== 200) throw new Error(`advance(${ms}) failed: ${res.status} ${await res.text()}`);
    },
    async close(closeOpts) {
      for (const c of Object.values(clients)) c.destroy();
      await lc.close();
      if (ownDir && !closeOpts?.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Poll until `check` returns a truthy value (or stops throwing), or fail after timeoutMs wall
 * time. Use instead of SDK waiters, whose minimum delays are too slow for tests.
 */
export async function eventually<T>(check: () => Promise<T> | T, { timeoutMs = 20_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      lastError = new Error("condition still false");
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline)
      throw new Error(`eventually: timed out after ${timeoutMs} ms: ${(lastError as Error)?.message ?? lastError}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * Settings for the SDK's own waiters (waitUntil...): the real waiter and its acceptors, polling
 * every 50-200 ms instead of at least once a second (the simulated clock runs fast).
 */
export const fastWaiter = <C>(client: C, maxWaitTime = 30) => ({ client, maxWaitTime, minDelay: 0.05, maxDelay: 0.2 });

/** Await a promise that must reject; returns the error for typed assertions. */
export async function expectError(p: Promise<unknown>): Promise<any> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the call to fail, but it succeeded");
}

/**
 * A fake service module that records the last input per operation and answers with `reply`
 * (the core codec tests pass it to startLocalCloud({ services })).
 */
export function fakeService(name: ServiceName, replies: Record<string, (input: any, ctx: any) => unknown>) {
  const seen: Record<string, any> = {};
  const module: ServiceModule = {
    name,
    initialState: () => ({ counter: 0 }),
    handlers: Object.fromEntries(
      Object.entries(replies).map(([op, reply]) => [op, (input: any, ctx: any) => ((seen[op] = input), reply(input, ctx))]),
    ),
  };
  return { module, seen };
}
