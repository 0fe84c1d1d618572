/**
 * Core runtime: AWS-format ids, the simulated clock, persistence, restart and reset, service
 * ticks, the CLI, the trimmed models, CloudApi.putMetricData and the StateStore.
 */
import { describe, it, expect } from "vitest";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { RDSClient, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import type { ServiceModule, ServiceName } from "../src/core/types.ts";
import { startLocalCloud } from "../src/index.ts";
import { services } from "../src/services/index.ts";
import { SimClock } from "../src/core/clock.ts";
import { ec2Id, arnSuffix, requestId } from "../src/core/ids.ts";
import { clientConfig } from "./helpers.ts";

describe("ids and clock", () => {
  it("makes AWS-format ids", () => {
    expect(ec2Id("vpc")).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(ec2Id("i")).toMatch(/^i-[0-9a-f]{17}$/);
    expect(arnSuffix()).toMatch(/^[0-9a-f]{16}$/);
    expect(requestId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("runs `speed` times faster than wall time and changes speed without a jump", () => {
    let wall = 1_000_000;
    const clock = new SimClock({ nowMs: 5_000, speed: 10 }, () => wall);
    wall += 1_000;
    expect(clock.now()).toBe(15_000);
    clock.setSpeed(100);
    expect(clock.now()).toBe(15_000);
    wall += 10;
    expect(clock.now()).toBe(16_000);
    clock.advance(60_000);
    expect(clock.now()).toBe(76_000);
    expect(() => clock.setSpeed(0)).toThrow();
    expect(clock.toJSON()).toEqual({ nowMs: 76_000, speed: 100 });
  });
});

describe("state: persistence, restart and reset", () => {
  it("persists service state and simulated time across a restart, and reset restores initial state", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "localcloud-persist-"));
    const counter: ServiceModule = {
      name: "rds",
      initialState: () => ({ count: 0 }),
      handlers: {
        DescribeDBInstances: (_input, ctx) => {
          const s = ctx.cloud.state<{ count: number }>("rds");
          s.count += 1;
          ctx.cloud.markDirty();
          return { DBInstances: [{ DBInstanceIdentifier: `count-${s.count}` }] };
        },
      },
    };
    try {
      const first = await startLocalCloud({ port: 0, dataDir: dir, speed: 1000, services: { rds: counter } });
      const call = async (url: string) =>
        (await new RDSClient(clientConfig(url)).send(new DescribeDBInstancesCommand({}))).DBInstances?.[0].DBInstanceIdentifier;
      expect(await call(first.url)).toBe("count-1");
      expect(await call(first.url)).toBe("count-2");
      await new Promise((r) => setTimeout(r, 50));
      const simBeforeClose = first.cloud.now();
      await first.close();
      const saved = JSON.parse(readFileSync(path.join(dir, "localcloud", "state.json"), "utf8"));
      expect(saved.services.rds.count).toBe(2);
      expect(saved.clock.speed).toBe(1000);

      const second = await startLocalCloud({ port: 0, dataDir: dir, services: { rds: counter } });
      expect(second.cloud.speed()).toBe(1000); // persisted speed when none is given
      expect(second.cloud.now()).toBeGreaterThanOrEqual(simBeforeClose);
      expect(second.cloud.now()).toBeLessThan(simBeforeClose + 60_000 * 1000); // resumed, not re-anchored to wall time
      expect(await call(second.url)).toBe("count-3");
      await second.reset();
      expect(second.cloud.state<{ count: number }>("rds").count).toBe(0);
      expect(await call(second.url)).toBe("count-1");
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("calls every service's tick with the simulated time", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "localcloud-tick-"));
    const ticks: number[] = [];
    const ticking: ServiceModule = {
      name: "cloudfront",
      initialState: () => ({}),
      handlers: {},
      tick: (_cloud, now) => void ticks.push(now),
    };
    const started = await startLocalCloud({ port: 0, dataDir: dir, speed: 50, services: { cloudfront: ticking } });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks[ticks.length - 1] - ticks[0]).toBeGreaterThan(50 * 100); // simulated ms advance ~50x wall
    } finally {
      await started.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("CLI (src/main.ts)", () => {
  it("prints the listening line, serves, and writes state on SIGTERM", async () => {
    const { spawn } = await import("node:child_process");
    const dir = mkdtempSync(path.join(tmpdir(), "localcloud-cli-"));
    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(__dirname, "..", "src", "main.ts"), "--port", "0", "--data-dir", dir, "--speed", "25"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      let out = "";
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line; output: ${out}`)), 20_000);
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const m = /localcloud listening on (http:\/\/127\.0\.0\.1:\d+) \(speed 25\)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const health = await fetch(`${line}/_localcloud/health`);
      expect(await health.json()).toEqual({ status: "ok" });
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const saved = JSON.parse(readFileSync(path.join(dir, "localcloud", "state.json"), "utf8"));
      expect(saved.clock.speed).toBe(25);
      // Every registered service's state is written (the list grows as services are added).
      expect(Object.keys(saved.services).sort()).toEqual(Object.keys(services).sort());
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("trimmed models", () => {
  it("contain every operation a service registers a handler for (else: npx tsx localcloud/scripts/extract-models.ts)", async () => {
    const { services } = await import("../src/services/index.ts");
    const { loadModel } = await import("../src/protocols/model.ts");
    const missing: string[] = [];
    for (const [name, mod] of Object.entries(services)) {
      const model = loadModel(name as ServiceName);
      for (const op of Object.keys(mod.handlers)) if (!model.operation(op)) missing.push(`${name}:${op}`);
    }
    expect(missing).toEqual([]);
  });
});

describe("CloudApi.putMetricData", () => {
  it("hands simulated datapoints to CloudWatch, where the API reads them", async () => {
    const { startTestCloud } = await import("./helpers.ts");
    const { ListMetricsCommand, GetMetricStatisticsCommand } = await import("@aws-sdk/client-cloudwatch");
    const tc = await startTestCloud({ speed: 1 });
    try {
      const now = tc.cloud.now();
      tc.cloud.putMetricData("us-east-1", "Sim/Test", [
        { MetricName: "Hits", Dimensions: [{ Name: "Fleet", Value: "blue" }], Timestamp: now, Value: 7, Unit: "Count" },
      ]);
      const metrics = await tc.cloudwatch.send(new ListMetricsCommand({ Namespace: "Sim/Test" }));
      expect(metrics.Metrics).toEqual([{ Namespace: "Sim/Test", MetricName: "Hits", Dimensions: [{ Name: "Fleet", Value: "blue" }] }]);
      const stats = await tc.cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: "Sim/Test",
          MetricName: "Hits",
          Dimensions: [{ Name: "Fleet", Value: "blue" }],
          StartTime: new Date(now - 600_000),
          EndTime: new Date(now + 600_000),
          Period: 60,
          Statistics: ["Sum"],
        }),
      );
      expect(stats.Datapoints?.map((d) => d.Sum)).toEqual([7]);
      // Regional: another region sees nothing.
      const other = await tc.clientsFor("eu-west-1").cloudwatch.send(new ListMetricsCommand({ Namespace: "Sim/Test" }));
      expect(other.Metrics ?? []).toEqual([]);
    } finally {
      await tc.close();
    }
  });
});

describe("StateStore", () => {
  it("writes atomically and backs off in proportion to the cost of the last write", async () => {
    const { StateStore } = await import("../src/core/store.ts");
    const dir = mkdtempSync(path.join(tmpdir(), "localcloud-store-"));
    try {
      let doc: any = { services: { ec2: { n: 1 } } };
      const store = new StateStore(dir, () => doc, 10);
      expect(store.load()).toBeUndefined();
      expect(store.nextDelayMs()).toBe(10);
      store.flush();
      expect(JSON.parse(readFileSync(store.file, "utf8"))).toEqual(doc);
      // A large state takes a while to serialize: the next write waits 10x as long.
      doc = {
        services: { monitoring: { blob: Array.from({ length: 400_000 }, (_, i) => ({ t: i, v: i * 1.5, k: `series-${i % 97}` })) } },
      };
      store.flush();
      expect(store.nextDelayMs()).toBeGreaterThan(100); // serializing ~15 MB takes well over 10 ms
      expect(store.load()?.services.monitoring).toBeDefined();
      store.close();
      // A corrupt file is moved aside, not fatal.
      const { writeFileSync, readdirSync } = await import("node:fs");
      writeFileSync(store.file, "{ not json");
      const errors = await import("vitest").then(({ vi }) => vi.spyOn(console, "error").mockImplementation(() => {}));
      expect(new StateStore(dir, () => doc).load()).toBeUndefined();
      errors.mockRestore();
      expect(readdirSync(path.join(dir, "localcloud")).some((f) => f.startsWith("state.json.corrupt-"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
