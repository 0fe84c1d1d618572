/**
 * --default-load (startLocalCloud({ defaultLoadRps })): every active load balancer with a
 * listener gets a gentle constant load unless a profile targets it, so a new user sees live
 * charts; caller profiles persist across a restart and resume sending.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { startLocalCloud, type RunningLocalCloud } from "../src/index.ts";
import { clientConfig, eventually, type TestCloud } from "./helpers.ts";
import { buildWebStack, waitForHealthy } from "./stack-helpers.ts";

const dataDir = mkdtempSync(path.join(tmpdir(), "localcloud-load-"));
let running: RunningLocalCloud | undefined;

/** The parts of a TestCloud the stack helpers use, for a cloud started with options startTestCloud does not take. */
function testCloudOf(lc: RunningLocalCloud): TestCloud {
  const cfg = clientConfig(lc.url);
  return {
    url: lc.url,
    ec2: new EC2Client(cfg),
    elbv2: new ElasticLoadBalancingV2Client(cfg),
    autoscaling: new AutoScalingClient(cfg),
    async admin(method: string, route: string, body?: unknown) {
      const res = await fetch(`${lc.url}/_localcloud/${route}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  } as unknown as TestCloud;
}

afterAll(async () => {
  await running?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("default load", () => {
  it("loads every serving load balancer no profile targets; a caller's profile replaces it; DELETE quiets everything", async () => {
    running = await startLocalCloud({ port: 0, dataDir, speed: 50, defaultLoadRps: 20 });
    const lc = testCloudOf(running);
    const stack = await buildWebStack(lc, { name: "fresh", fleets: [{ name: "app", version: "v1", capacity: 1 }] });
    await waitForHealthy(lc, stack.fleets.app.targetGroupArn, 1);
    const byDefault = await eventually(
      async () => {
        const loads = (await lc.admin("GET", "load")).body.loads;
        return loads.length === 1 && loads[0].ok > 5 ? loads[0] : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(byDefault).toMatchObject({ default: true, targetRef: stack.loadBalancerArn, profile: "constant", rps: 20, status: "running" });

    const mine = await lc.admin("POST", "load", { target: stack.name, rps: 5 });
    expect(mine.status).toBe(201);
    const loads = (await lc.admin("GET", "load")).body.loads;
    expect(loads.map((l: any) => l.id)).toEqual([mine.body.load.id]);

    // Restart: the caller's profile comes back from load.json and sends again through the rebuilt listener port.
    await running.close();
    running = await startLocalCloud({ port: 0, dataDir, defaultLoadRps: 20 });
    const again = testCloudOf(running);
    const resumed = await eventually(
      async () => {
        const l = (await again.admin("GET", "load")).body.loads;
        return l.length === 1 && l[0].ok > 2 ? l[0] : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(resumed).toMatchObject({ id: mine.body.load.id, target: stack.name, rps: 5, status: "running" });

    expect((await again.admin("DELETE", "load")).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200));
    expect((await again.admin("GET", "load")).body.loads).toEqual([]);
  });
});
