/**
 * The load generator's admin API and its real HTTP: profiles are validated, wait for a load
 * balancer that is still provisioning, send at the asked rate through the listener port, count
 * what came back, and what they sent is what CloudWatch counts. Profiles survive a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateListenerCommand, CreateLoadBalancerCommand, DeleteLoadBalancerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { eventually, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, waitForHealthy, type WebStack } from "./stack-helpers.ts";
import { seriesSum, simNow } from "./metrics-helpers.ts";
import { FINAL_AFTER_MINUTE_END_MS } from "../src/sim/metric-delay.ts";

const lbSuffix = (arn: string) => arn.slice(arn.indexOf(":loadbalancer/") + ":loadbalancer/".length);

let lc: TestCloud;
let stack: WebStack;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 50 });
  stack = await buildWebStack(lc, { name: "loaded", fleets: [{ name: "app", version: "v1", capacity: 2, error_rate: 0.1 }] });
  await waitForHealthy(lc, stack.fleets.app.targetGroupArn, 2);
});

afterAll(async () => {
  await lc?.admin("DELETE", "load");
  await lc?.close();
});

describe("POST /_localcloud/load", () => {
  it("validates its input: 400 with a message, 404 for an unknown target", async () => {
    for (const body of [
      {},
      { target: stack.name, profile: "sawtooth", rps: 1 },
      { target: stack.name, rps: -1 },
      { target: stack.name, rps: 501 },
      { target: stack.name, profile: "spike", rps: 1 },
      { target: stack.name, rps: 1, path: "no-slash" },
    ]) {
      const res = await lc.admin("POST", "load", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
    }
    expect((await lc.admin("POST", "load", { target: "no-such-lb", rps: 5 })).status).toBe(404);
    expect((await lc.admin("DELETE", "load/load-999")).status).toBe(404);
    expect((await lc.admin("GET", "load/load-999")).status).toBe(404);
  });

  it("sends real requests at the asked rate, and CloudWatch counts exactly what it sent", async () => {
    const start = (await simNow(lc)) - 60_000;
    // 100 rps for 150 simulated seconds (3 s of wall time at speed 50).
    const { status, body } = await lc.admin("POST", "load", {
      target: stack.loadBalancerArn,
      rps: 100,
      durationSeconds: 150,
      path: "/api/items",
    });
    expect(status).toBe(201);
    expect(body.load).toMatchObject({ target: stack.loadBalancerArn, profile: "constant", rps: 100, path: "/api/items" });
    const id = body.load.id;
    const done = await eventually(
      async () => {
        const { body: b } = await lc.admin("GET", `load/${id}`);
        return b.load.status === "finished" && b.load.inFlight === 0 ? b.load : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    // Wall-clock pacing: about 300 requests, give or take a slow start.
    expect(done.sent).toBeGreaterThan(200);
    expect(done.sent).toBeLessThan(360);
    expect(done.ok + done.failed).toBe(done.sent);
    expect(done.errors).toBe(0);
    // error_rate=0.1 on the instances: some 500s, most 200s.
    expect(done.statuses["500"]).toBeGreaterThan(0);
    expect(done.statuses["200"]).toBeGreaterThan(done.sent * 0.75);

    // CloudWatch shows a minute complete up to 220 s after it ends (metric-delay.ts): wait as a client on AWS must.
    await lc.advance(60_000 + FINAL_AFTER_MINUTE_END_MS);
    const end = (await simNow(lc)) + 60_000;
    const LoadBalancer = lbSuffix(stack.loadBalancerArn);
    const requests = await seriesSum(lc, { namespace: "AWS/ApplicationELB", metric: "RequestCount", dims: { LoadBalancer }, start, end });
    expect(Math.abs(requests - done.sent)).toBeLessThanOrEqual(done.sent * 0.01);
    const errors = await seriesSum(lc, {
      namespace: "AWS/ApplicationELB",
      metric: "HTTPCode_Target_5XX_Count",
      dims: { LoadBalancer },
      start,
      end,
    });
    expect(errors).toBe(done.statuses["500"]);
    expect((await lc.admin("DELETE", `load/${id}`)).status).toBe(200);
    expect((await lc.admin("GET", "load")).body.loads).toEqual([]);
  });

  it("waits for a load balancer that is still provisioning, then sends; a deleted one ends the profile", async () => {
    const { LoadBalancers } = await lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "late", Subnets: stack.subnetIds }));
    const arn = LoadBalancers![0].LoadBalancerArn!;
    await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: arn,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [
          { Type: "fixed-response", FixedResponseConfig: { StatusCode: "200", ContentType: "text/plain", MessageBody: "late" } },
        ],
      }),
    );
    const { body } = await lc.admin("POST", "load", { target: "late", rps: 20 });
    expect(body.load).toMatchObject({ status: "waiting", url: null, sent: 0, targetRef: arn });
    // Provisioning takes 150 simulated seconds (3 s here).
    const running = await eventually(
      async () => {
        const { body: b } = await lc.admin("GET", `load/${body.load.id}`);
        return b.load.status === "running" && b.load.ok > 5 ? b.load : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.failed).toBe(0);
    await lc.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
    await eventually(async () => (await lc.admin("GET", `load/${body.load.id}`)).status === 404, { timeoutMs: 10_000 });
  });

  it("shapes diurnal and spike profiles on simulated time", async () => {
    const diurnal = await lc.admin("POST", "load", {
      target: stack.name,
      profile: "diurnal",
      minRps: 2,
      maxRps: 10,
      periodSeconds: 86_400,
    });
    expect(diurnal.body.load).toMatchObject({ profile: "diurnal", minRps: 2, maxRps: 10 });
    // At the start of the period the curve is at its minimum; half a period later at its maximum.
    expect(diurnal.body.load.currentRps).toBeCloseTo(2, 0);
    await lc.advance(43_200_000);
    expect((await lc.admin("GET", `load/${diurnal.body.load.id}`)).body.load.currentRps).toBeCloseTo(10, 0);
    const spike = await lc.admin("POST", "load", {
      target: stack.name,
      profile: "spike",
      rps: 1,
      spikeRps: 50,
      spikeAtSeconds: 600,
      spikeDurationSeconds: 300,
    });
    expect(spike.body.load.currentRps).toBe(1);
    await lc.advance(700_000);
    expect((await lc.admin("GET", `load/${spike.body.load.id}`)).body.load.currentRps).toBe(50);
    await lc.advance(300_000);
    expect((await lc.admin("GET", `load/${spike.body.load.id}`)).body.load.currentRps).toBe(1);
    expect((await lc.admin("DELETE", "load")).status).toBe(200);
    expect((await lc.admin("GET", "load")).body.loads).toEqual([]);
  });
});
