/**
 * The admin API (/_localcloud/*): health, reset, stats, faults, clock, endpoints. Services are
 * test-only fakes so these tests depend on the core alone.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EC2Client, DescribeAvailabilityZonesCommand } from "@aws-sdk/client-ec2";
import { RDSClient, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { CloudWatchClient, ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import type { ServiceModule } from "../src/core/types.ts";
import { startLocalCloud, type RunningLocalCloud } from "../src/index.ts";
import { clientConfig, expectError } from "./helpers.ts";

const ec2: ServiceModule = {
  name: "ec2",
  initialState: () => ({ calls: 0 }),
  handlers: {
    DescribeAvailabilityZones: (_input, ctx) => {
      ctx.cloud.state<{ calls: number }>("ec2").calls += 1;
      ctx.cloud.markDirty();
      return { AvailabilityZones: [{ ZoneName: `${ctx.region}a`, State: "available", RegionName: ctx.region }] };
    },
  },
};
const rds: ServiceModule = { name: "rds", initialState: () => ({}), handlers: { DescribeDBInstances: () => ({ DBInstances: [] }) } };
const monitoring: ServiceModule = { name: "monitoring", initialState: () => ({}), handlers: { ListMetrics: () => ({ Metrics: [] }) } };
const elbv2: ServiceModule = {
  name: "elasticloadbalancing",
  initialState: () => ({}),
  handlers: {},
  endpoints: () => ({ loadBalancers: [{ name: "web", dnsName: "web-123.us-east-1.elb.amazonaws.com", url: "http://127.0.0.1:1" }] }),
};
const cloudfront: ServiceModule = { name: "cloudfront", initialState: () => ({}), handlers: {} };

let lc: RunningLocalCloud;
let dataDir: string;

async function admin(method: string, route: string, body?: unknown) {
  const res = await fetch(`${lc.url}/_localcloud/${route}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), body: text ? JSON.parse(text) : undefined };
}

async function rawCall(form: string) {
  const res = await fetch(lc.url, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

const azs = (maxAttempts = 1) =>
  new EC2Client(clientConfig(lc.url, "us-east-1", maxAttempts)).send(new DescribeAvailabilityZonesCommand({}));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "localcloud-admin-"));
  lc = await startLocalCloud({ port: 0, dataDir, speed: 100, services: { ec2, rds, monitoring, elasticloadbalancing: elbv2, cloudfront } });
});

afterAll(async () => {
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

beforeEach(async () => {
  expect((await admin("POST", "reset")).body).toEqual({ status: "ok" });
});

describe("health and stats", () => {
  it("GET /_localcloud/health", async () => {
    expect(await admin("GET", "health")).toEqual({ status: 200, type: "application/json", body: { status: "ok" } });
  });

  it("counts calls per <service>:<Operation> since the last reset", async () => {
    await azs();
    await azs();
    await new RDSClient(clientConfig(lc.url)).send(new DescribeDBInstancesCommand({}));
    await new CloudWatchClient(clientConfig(lc.url)).send(new ListMetricsCommand({}));
    await rawCall("Action=NoSuchThing&Version=2016-11-15");
    expect((await admin("GET", "stats")).body).toEqual({
      calls: { "ec2:DescribeAvailabilityZones": 2, "ec2:NoSuchThing": 1, "monitoring:ListMetrics": 1, "rds:DescribeDBInstances": 1 },
    });
    await admin("POST", "reset");
    expect((await admin("GET", "stats")).body).toEqual({ calls: {} });
  });
});

describe("faults", () => {
  it("throttles EC2 the EC2 way (503 RequestLimitExceeded); the SDK retries, then raises; every attempt is counted", async () => {
    const added = await admin("POST", "faults", { match: "ec2:DescribeAvailabilityZones", error: "Throttling", rate: 1 });
    expect(added.status).toBe(201);
    expect(added.body.fault).toMatchObject({ match: "ec2:DescribeAvailabilityZones", error: "Throttling", rate: 1 });
    expect(added.body.fault.id).toMatch(/^fault-\d+$/);
    const err = await expectError(azs(3));
    expect(err.name).toBe("RequestLimitExceeded");
    expect(err.$metadata.httpStatusCode).toBe(503);
    expect(err.$metadata.attempts).toBe(3);
    expect((await admin("GET", "stats")).body.calls["ec2:DescribeAvailabilityZones"]).toBe(3);
    expect(lc.cloud.state<{ calls: number }>("ec2").calls).toBe(0); // the handler never ran
    expect((await admin("GET", "faults")).body.faults).toHaveLength(1);
    expect((await admin("DELETE", "faults")).status).toBe(200);
    expect((await admin("GET", "faults")).body).toEqual({ faults: [] });
    expect((await azs()).AvailabilityZones?.[0].ZoneName).toBe("us-east-1a");
  });

  it("throttles awsQuery services with 400 Throttling and CloudWatch JSON with x-amzn-query-error", async () => {
    await admin("POST", "faults", { match: "rds:*", error: "Throttling" });
    await admin("POST", "faults", { match: "monitoring:ListMetrics", error: "Throttling" });
    const rdsRes = await rawCall("Action=DescribeDBInstances&Version=2014-10-31");
    expect(rdsRes.status).toBe(400);
    expect(rdsRes.body).toContain("<Code>Throttling</Code>");
    const cw = await fetch(lc.url, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.ListMetrics" },
    });
    expect(cw.status).toBe(400);
    expect(cw.headers.get("x-amzn-query-error")).toBe("Throttling;Sender");
    const sdkErr = await expectError(new CloudWatchClient(clientConfig(lc.url)).send(new ListMetricsCommand({})));
    expect(sdkErr.name).toBe("Throttling");
  });

  it("injects a bare status as InternalFailure, and custom error codes", async () => {
    await admin("POST", "faults", { match: "rds:*", status: 500 });
    const err = await expectError(new RDSClient(clientConfig(lc.url)).send(new DescribeDBInstancesCommand({})));
    expect(err.name).toBe("InternalFailure");
    expect(err.$metadata.httpStatusCode).toBe(500);
    await admin("DELETE", "faults");
    await admin("POST", "faults", { match: "rds:DescribeDBInstances", error: "DBInstanceNotFound", status: 404, message: "gone" });
    const typed = await expectError(new RDSClient(clientConfig(lc.url)).send(new DescribeDBInstancesCommand({})));
    expect(typed.name).toBe("DBInstanceNotFoundFault");
    expect(typed.message).toBe("gone");
  });

  it("adds latency", async () => {
    await admin("POST", "faults", { match: "ec2:DescribeAvailabilityZones", latencyMs: 250 });
    const started = Date.now();
    await azs();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
    const other = Date.now();
    await new RDSClient(clientConfig(lc.url)).send(new DescribeDBInstancesCommand({}));
    expect(Date.now() - other).toBeLessThan(200);
  });

  it("fails about `rate` of the matching calls", async () => {
    await admin("POST", "faults", { match: "*", status: 503, rate: 0.5 });
    let failed = 0;
    for (let i = 0; i < 100; i++) if ((await rawCall("Action=DescribeDBInstances&Version=2014-10-31")).status === 503) failed++;
    expect(failed).toBeGreaterThan(20);
    expect(failed).toBeLessThan(80);
  });

  it("removes one fault by id; reset clears them all", async () => {
    const a = (await admin("POST", "faults", { match: "ec2:*", latencyMs: 1 })).body.fault;
    await admin("POST", "faults", { match: "rds:*", latencyMs: 1 });
    expect((await admin("DELETE", `faults/${a.id}`)).status).toBe(200);
    expect((await admin("GET", "faults")).body.faults.map((f: any) => f.match)).toEqual(["rds:*"]);
    expect((await admin("DELETE", "faults/fault-999")).status).toBe(404);
    await admin("POST", "reset");
    expect((await admin("GET", "faults")).body.faults).toEqual([]);
  });

  it("rejects invalid faults with 400 and a JSON error", async () => {
    for (const bad of [
      { error: "Throttling" },
      { match: "s3:*", error: "Throttling" },
      { match: "ec2", error: "Throttling" },
      { match: "ec2:*" },
      { match: "ec2:*", error: "Throttling", rate: 0 },
      { match: "ec2:*", error: "Throttling", rate: 1.5 },
      { match: "ec2:*", status: 200 },
      { match: "ec2:*", latencyMs: -1 },
      { match: "ec2:*", error: "Throttling", extra: true },
      "not json",
      [1, 2],
    ]) {
      const res = await admin("POST", "faults", bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(typeof res.body.error).toBe("string");
    }
    expect((await admin("GET", "faults")).body.faults).toEqual([]);
  });
});

describe("clock", () => {
  it("reports simulated time and speed, and changes speed without a jump", async () => {
    const before = (await admin("GET", "clock")).body;
    expect(before.speed).toBe(100);
    expect(new Date(before.now).getTime()).toBe(before.nowMs);
    const set = await admin("POST", "clock", { speed: 2 });
    expect(set.status).toBe(200);
    expect(set.body.speed).toBe(2);
    expect(set.body.nowMs).toBeGreaterThanOrEqual(before.nowMs);
    expect(set.body.nowMs - before.nowMs).toBeLessThan(60_000); // no jump
    expect(lc.cloud.speed()).toBe(2);
    const advanced = await admin("POST", "clock", { advanceMs: 3_600_000 });
    expect(advanced.body.nowMs - set.body.nowMs).toBeGreaterThanOrEqual(3_600_000);
    await admin("POST", "clock", { speed: 100 });
  });

  it("validates the speed", async () => {
    for (const bad of [{ speed: 0 }, { speed: -1 }, { speed: "fast" }, {}, { advanceMs: -5 }]) {
      const res = await admin("POST", "clock", bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(typeof res.body.error).toBe("string");
    }
    expect(lc.cloud.speed()).toBe(100);
  });
});

describe("reset, endpoints, unknown routes", () => {
  it("reset puts every service back to its initial state", async () => {
    await azs();
    expect(lc.cloud.state<{ calls: number }>("ec2").calls).toBe(1);
    await admin("POST", "reset");
    expect(lc.cloud.state<{ calls: number }>("ec2").calls).toBe(0);
  });

  it("lists data-plane endpoints provided by the services", async () => {
    expect((await admin("GET", "endpoints")).body).toEqual({
      loadBalancers: [{ name: "web", dnsName: "web-123.us-east-1.elb.amazonaws.com", url: "http://127.0.0.1:1" }],
      distributions: [],
    });
  });

  it("answers unknown admin routes with 404 JSON", async () => {
    const res = await admin("GET", "nope");
    expect(res.status).toBe(404);
    expect(res.body.error).toContain("nope");
  });
});
