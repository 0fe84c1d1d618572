import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sampleTarget } from "./fixtures.ts";
import { buildDashboardQueries } from "./query.ts";
import { fetchShared } from "./shared-cache.ts";
import { CLOUDWATCH_PRICES, dashboardCost, metricsRequestedBy, recordUsage, usdPerMonth } from "./usage.ts";

/**
 * Issue 16: dashboards that cost cents on AWS. GetMetricData is billed per metric requested,
 * so the series are split by how often their data changes, idle fleets are not queried, and
 * one fetch per window is shared by every replica through PostgreSQL.
 */
const target = sampleTarget;
const metricsOf = (q: ReturnType<typeof buildDashboardQueries>) => metricsRequestedBy(q.regional) + metricsRequestedBy(q.global);

describe("what a dashboard refresh requests", () => {
  it("splits traffic (every minute) from fleet series (every five minutes), and charts only the live fleet when the other is idle", () => {
    const all = buildDashboardQueries(target, 60);
    const traffic = buildDashboardQueries(target, 60, { groups: ["traffic"], slots: ["blue"] });
    const fleet = buildDashboardQueries(target, 60, { groups: ["fleet"], slots: ["blue"] });
    expect(metricsOf(all)).toBe(27);
    expect(traffic.series.every((s) => ["requests", "errorRate", "latency", "healthyHosts"].includes(s.chart))).toBe(true);
    expect(traffic.series.some((s) => s.slot === "green")).toBe(false);
    expect(fleet.series.map((s) => s.chart)).not.toContain("latency");
    expect(metricsOf(traffic)).toBe(7);
    expect(metricsOf(fleet)).toBe(10);
    // One environment watched around the clock: 60 traffic refreshes and 12 fleet refreshes an hour.
    const perHour = 60 * metricsOf(traffic) + 12 * metricsOf(fleet);
    expect(perHour).toBe(540);
    expect(usdPerMonth(perHour * 24)).toBeLessThan(5);
    // Before: every series every 10 s, per replica.
    expect(usdPerMonth(6 * 60 * 24 * metricsOf(all))).toBeGreaterThan(60);
  });
});

describe("the shared answer", () => {
  it("is fetched once per key and window however many replicas ask at once, and again in the next window", async () => {
    const key = `test|${randomUUID()}|1h|traffic`;
    let fetches = 0;
    const fetch = async (previous: number | undefined) => {
      fetches++;
      await new Promise((r) => setTimeout(r, 100));
      return (previous ?? 0) + 1;
    };
    const answers = await Promise.all(Array.from({ length: 20 }, () => fetchShared(key, 100, fetch)));
    expect(fetches).toBe(1);
    expect(answers.filter((a) => a.fetched)).toHaveLength(1);
    expect(new Set(answers.map((a) => a.value))).toEqual(new Set([1]));
    expect((await fetchShared(key, 100, fetch)).value).toBe(1);
    const next = await Promise.all(Array.from({ length: 5 }, () => fetchShared(key, 101, fetch)));
    expect(fetches).toBe(2);
    expect(next.map((a) => a.value)).toEqual([2, 2, 2, 2, 2]);
  });

  it("releases the claim when a fetch fails, so the next caller fetches", async () => {
    const key = `test|${randomUUID()}|1h|fleet`;
    await expect(fetchShared(key, 7, async () => Promise.reject(new Error("throttled")))).rejects.toThrow("throttled");
    expect((await fetchShared(key, 7, async () => "ok")).value).toBe("ok");
  });
});

describe("the cost shown", () => {
  it("adds up the metrics requested today and prices a month at today's rate", async () => {
    const env = randomUUID();
    await recordUsage(env, 17, 2);
    await recordUsage(env, 7, 1);
    const noon = new Date();
    const cost = await dashboardCost(env, noon);
    expect(cost).toMatchObject({ metricsToday: 24, callsToday: 3, pricesAsOf: CLOUDWATCH_PRICES.asOf });
    expect(cost.usdPerMonth).toBeGreaterThanOrEqual(0);
    expect((await dashboardCost(randomUUID())).metricsToday).toBe(0);
  });
});
