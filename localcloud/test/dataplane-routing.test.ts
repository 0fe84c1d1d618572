/**
 * Data plane, routing: real HTTP through an ALB listener port to in-process instance apps.
 * A blue/green weight flip under steady load loses nothing and never serves a version the
 * weights did not allow; the ELB answers 503 / fixed responses itself.
 */
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateListenerCommand, CreateTargetGroupCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, setWeights, waitForHealthy, type WebStack } from "./stack-helpers.ts";

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One GET through keep-alive connections (like a browser or load balancer client); rejects on connection errors. */
function get(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

let lc: TestCloud;
let stack: WebStack;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 100 });
  stack = await buildWebStack(lc, {
    fleets: [
      { name: "blue", version: "v1", capacity: 2 },
      { name: "green", version: "v2", capacity: 2 },
    ],
    weights: { blue: 100, green: 0 },
  });
  await waitForHealthy(lc, stack.fleets.blue.targetGroupArn, 2);
  await waitForHealthy(lc, stack.fleets.green.targetGroupArn, 2);
});

afterAll(async () => {
  agent.destroy();
  await lc?.close();
});

describe("ALB listener ports", () => {
  it("lists each listener's local URL and answers from an instance with its version, id, zone and the ALB's forwarded headers", async () => {
    const { body } = await lc.admin("GET", "endpoints");
    const lb = body.loadBalancers.find((l: any) => l.arn === stack.loadBalancerArn);
    expect(lb).toMatchObject({ name: stack.name, dnsName: stack.dnsName, listeners: [{ port: 80, url: stack.url }] });
    expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const res = await get(`${stack.url}/orders/42?x=1`);
    expect(res.status).toBe(200);
    const reply = JSON.parse(res.body);
    expect(reply).toMatchObject({ version: "v1", path: "/orders/42", forwardedProto: "http", forwardedPort: "80" });
    expect(reply.instanceId).toMatch(/^i-[0-9a-f]+$/);
    expect(["us-east-1a", "us-east-1b"]).toContain(reply.availabilityZone);
    expect(reply.forwardedFor).toContain("127.0.0.1");

    const { body: listed } = await lc.admin("GET", "instances");
    const mine = listed.instances.find((i: any) => i.id === reply.instanceId);
    expect(mine).toMatchObject({ version: "v1", state: "serving", health: "ok" });
  });

  it("spreads requests round robin over the healthy targets of the chosen group", async () => {
    const seen = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const id = JSON.parse((await get(`${stack.url}/`)).body).instanceId;
      seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    expect(seen.size).toBe(2);
    for (const n of seen.values()) expect(n).toBe(20);
  });

  it("flips blue -> green -> blue every 2 s under 200 requests/s for 20 s without losing a request or serving a disallowed version", async () => {
    // The versions each weight setting allows; while a ModifyListener call is in flight, either the old or new setting may apply.
    const allowedBy = { blue: new Set(["v1"]), green: new Set(["v2"]) };
    let phase = 0; // incremented at the start and at the end of every flip
    const phases: Array<Set<string>> = [allowedBy.blue];
    const results: Array<{ ok: boolean; status?: number; version?: string; from: number; to: number; error?: string }> = [];
    const inFlight = new Set<Promise<void>>();
    const fire = () => {
      const from = phase;
      const p = get(`${stack.url}/checkout`)
        .then((r) => {
          results.push({ ok: r.status === 200, status: r.status, version: JSON.parse(r.body).version, from, to: phase });
        })
        .catch((err: Error) => {
          results.push({ ok: false, error: err.message, from, to: phase });
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    };
    const durationMs = 20_000;
    const started = Date.now();
    // 200 requests/s: a bounded loop sending 2 requests every 10 ms, paced on the wall clock so a slow tick does not lower the rate.
    const loader = (async () => {
      let sent = 0;
      while (Date.now() - started < durationMs) {
        const due = Math.floor(((Date.now() - started) / 1000) * 200);
        while (sent < due) {
          fire();
          sent++;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    let toGreen = true;
    while (Date.now() - started < durationMs - 1000) {
      await new Promise((r) => setTimeout(r, 2000));
      const next = toGreen ? allowedBy.green : allowedBy.blue;
      phases.push(new Set([...phases[phases.length - 1], ...next]));
      phase++;
      await setWeights(lc, stack, toGreen ? { blue: 0, green: 100 } : { blue: 100, green: 0 });
      phases.push(next);
      phase++;
      toGreen = !toGreen;
    }
    await loader;
    await Promise.all([...inFlight]);

    expect(results.length).toBeGreaterThanOrEqual(3800); // ~4,000 sent
    expect(results.filter((r) => !r.ok)).toEqual([]);
    const disallowed = results.filter((r) => {
      const allowed = new Set<string>();
      for (let p = r.from; p <= r.to; p++) for (const v of phases[p]) allowed.add(v);
      return !allowed.has(r.version!);
    });
    expect(disallowed).toEqual([]);
    // Both versions really served traffic: the flips took effect.
    expect(results.filter((r) => r.version === "v2").length).toBeGreaterThan(1000);
    expect(results.filter((r) => r.version === "v1").length).toBeGreaterThan(1000);
    expect(phase).toBeGreaterThanOrEqual(16); // at least 8 flips
  }, 60_000);
});

describe("answers from the ELB itself", () => {
  it("answers 503 when all weight is on a group with no healthy target, and fixed responses as configured", async () => {
    const { TargetGroups } = await lc.elbv2.send(
      new CreateTargetGroupCommand({ Name: "empty", Protocol: "HTTP", Port: 80, VpcId: stack.vpcId }),
    );
    await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: stack.loadBalancerArn,
        Port: 8080,
        Protocol: "HTTP",
        DefaultActions: [{ Type: "forward", TargetGroupArn: TargetGroups![0].TargetGroupArn }],
      }),
    );
    await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: stack.loadBalancerArn,
        Port: 8081,
        Protocol: "HTTP",
        DefaultActions: [
          { Type: "fixed-response", FixedResponseConfig: { StatusCode: "418", ContentType: "text/plain", MessageBody: "teapot" } },
        ],
      }),
    );
    const urls = await eventuallyListenerUrls(lc, stack.loadBalancerArn, 3);
    const empty = await get(`${urls[8080]}/`);
    expect(empty.status).toBe(503);
    expect(empty.headers.server).toBe("awselb/2.0");
    expect(empty.body).toContain("503 Service Temporarily Unavailable");
    const fixed = await get(`${urls[8081]}/anything`);
    expect(fixed).toMatchObject({ status: 418, body: "teapot" });
    expect(fixed.headers["content-type"]).toBe("text/plain");
  });
});

async function eventuallyListenerUrls(tc: TestCloud, lbArn: string, count: number): Promise<Record<number, string>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const { body } = await tc.admin("GET", "endpoints");
    const listeners: Array<{ port: number; url: string }> = body.loadBalancers.find((l: any) => l.arn === lbArn)?.listeners ?? [];
    if (listeners.length >= count) return Object.fromEntries(listeners.map((l) => [l.port, l.url]));
    if (Date.now() > deadline) throw new Error(`only ${listeners.length} listener URLs`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
