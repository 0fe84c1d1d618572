import { describe, expect, it } from "vitest";
import { WindowCache } from "./cache.ts";
import { gridOf } from "./fetch.ts";
import { sampleTarget } from "./fixtures.ts";
import { buildDashboardQueries } from "./query.ts";
import { RANGES, RANGE_KEYS, windowOf } from "./ranges.ts";

const target = sampleTarget;

describe("buildDashboardQueries", () => {
  const q = buildDashboardQueries(target, 60);

  it("gives every query a valid, unique id and every shown series a query", () => {
    const ids = [...q.regional, ...q.global].map((x) => x.Id!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][a-zA-Z0-9_]*$/);
    for (const s of q.series) expect(ids).toContain(s.id);
    expect(q.regional.length).toBeLessThanOrEqual(500);
  });

  it("computes the 5xx rate per fleet with metric math over TargetGroup+LoadBalancer", () => {
    const rate = q.regional.find((x) => x.Id === "rate5xx_green")!;
    expect(rate.Expression).toBe("100*FILL(m_5xx_green,0)/FILL(m_req_green,1)");
    const err = q.regional.find((x) => x.Id === "m_5xx_green")!;
    expect(err.ReturnData).toBe(false);
    expect(err.MetricStat?.Metric?.Dimensions).toEqual([
      { Name: "TargetGroup", Value: "targetgroup/shop-green/2222222222222222" },
      { Name: "LoadBalancer", Value: "app/shop-alb/0123456789abcdef" },
    ]);
    expect(q.regional.find((x) => x.Id === "requests")!.Expression).toBe("FILL(m_req,0)/PERIOD(m_req)");
  });

  it("asks for p50/p95/p99 latency, healthy hosts, group sizes, CPU and the database", () => {
    const stats = Object.fromEntries(
      q.regional.filter((x) => x.MetricStat).map((x) => [x.Id, `${x.MetricStat!.Metric!.MetricName}:${x.MetricStat!.Stat}`]),
    );
    expect(stats).toMatchObject({
      p50_blue: "TargetResponseTime:p50",
      p99_green: "TargetResponseTime:p99",
      healthy_blue: "HealthyHostCount:Minimum",
      desired_green: "GroupDesiredCapacity:Average",
      inservice_blue: "GroupInServiceInstances:Average",
      pending_blue: "GroupPendingInstances:Average",
      cpu_green: "CPUUtilization:Average",
      db_free_storage: "FreeStorageSpace:Minimum",
      db_read_latency: "ReadLatency:p90",
    });
  });

  it("puts CloudFront (Region=Global) in the us-east-1 query set only", () => {
    expect(q.global.map((x) => x.Id)).toEqual(["m_cdn_req", "cdn_requests", "cdn_5xx"]);
    expect(q.global[0].MetricStat!.Metric!.Dimensions).toContainEqual({ Name: "Region", Value: "Global" });
    expect(q.regional.some((x) => x.MetricStat?.Metric?.Namespace === "AWS/CloudFront")).toBe(false);
    expect(buildDashboardQueries({ ...target, distributionId: null, dbIdentifier: null }, 60).global).toEqual([]);
  });

  it("uses the range's period in every metric", () => {
    for (const key of RANGE_KEYS) {
      const { periodSeconds } = RANGES[key];
      for (const x of buildDashboardQueries(target, periodSeconds).regional)
        if (x.MetricStat) expect(x.MetricStat.Period).toBe(periodSeconds);
    }
  });
});

describe("ranges", () => {
  it("follow CloudWatch's retention rules and keep charts under ~360 points", () => {
    expect(RANGES["1h"].periodSeconds).toBe(60);
    expect(RANGES["3h"].periodSeconds).toBe(60);
    for (const key of RANGE_KEYS) {
      const { seconds, periodSeconds } = RANGES[key];
      expect(seconds / periodSeconds).toBeLessThanOrEqual(360);
      if (seconds > 3 * 3600) expect(periodSeconds % 60).toBe(0);
    }
  });

  it("end on the service's current minute and share one grid", () => {
    const now = Date.UTC(2030, 0, 1, 12, 34, 56);
    const w = windowOf("24h", now);
    expect(w.end).toBe(Date.UTC(2030, 0, 1, 12, 34));
    expect(w.end - w.start).toBe(86_400_000);
    const grid = gridOf(w);
    expect(grid.length).toBe(288);
    expect(grid[grid.length - 1] + 300_000).toBe(w.end);
  });
});

describe("WindowCache", () => {
  it("makes one fetch for N concurrent callers in one window, and a new one in the next window", async () => {
    let now = 1_000_000;
    const cache = new WindowCache<number>({ windowMs: 10_000, now: () => now });
    let fetches = 0;
    const fetch = async () => {
      fetches++;
      await new Promise((r) => setTimeout(r, 20));
      return fetches;
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.get("env|1h", fetch)));
    expect(fetches).toBe(1);
    expect(new Set(answers.map((a) => a.value))).toEqual(new Set([1]));
    await cache.get("env|1h", fetch);
    expect(fetches).toBe(1);
    await cache.get("env|3h", fetch);
    expect(fetches).toBe(2);
    now += 10_000;
    const next = await Promise.all(Array.from({ length: 10 }, () => cache.get("env|1h", fetch)));
    expect(fetches).toBe(3);
    expect(next[0].window).toBe(answers[0].window + 1);
  });

  it("does not cache a failed fetch, and hands the previous value to the next fetch", async () => {
    let now = 0;
    const cache = new WindowCache<string>({ windowMs: 10_000, now: () => now });
    await cache.get("k", async () => "first");
    now += 10_000;
    await expect(cache.get("k", async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    let seen: string | undefined;
    const v = await cache.get("k", async (prev) => ((seen = prev), "second"));
    expect(seen).toBe("first");
    expect(v.value).toBe("second");
  });
});

describe("scaling input", () => {
  it("takes numbers or numeric form strings, never null, true, [5] or an empty string", async () => {
    const { scalingInput } = await import("../operations/scaling.ts");
    expect(scalingInput.safeParse({ min: "1", desired: 2, max: "4" }).success).toBe(true);
    for (const bad of [null, true, [5], ""]) {
      const r = scalingInput.safeParse({ min: bad, desired: 2, max: 4 });
      expect(r.success, JSON.stringify(bad)).toBe(false);
    }
  });
});
