import { describe, expect, it } from "vitest";
import { FINAL_AFTER_MINUTE_END_MS } from "../../localcloud/src/services/cloudwatch/ingestion.ts";
import { defaultSpec, specSchema, withSpecDefaults } from "../environments/spec.ts";
import { bakeWindow, PUBLICATION_DELAY_MS } from "./bake-window.ts";
import { judge, type JudgeInput, type Minute } from "./judge.ts";
import { fisherGreater, requestsNeeded, upperBound } from "./stats.ts";

const T0 = Date.parse("2026-11-27T10:00:00Z");
const at = (i: number) => new Date(T0 + i * 60_000).toISOString();
/** `n` minutes from 10:00 splitting `requests` and `errors` as evenly as integers allow. */
function minutes(n: number, requests: number, errors: number, p95: number | null = 40): Minute[] {
  return Array.from({ length: n }, (_, i) => ({
    timestamp: at(i),
    requests: Math.floor(requests / n) + (i < requests % n ? 1 : 0),
    errors5xx: Math.floor(errors / n) + (i < errors % n ? 1 : 0),
    p95LatencyMs: p95,
  }));
}
const base = (n: number) => ({
  max5xxRatePercent: 2,
  maxP95LatencyMs: 800,
  alarmsFiring: [] as string[],
  window: { from: at(0), to: at(n) },
});
const run = (canary: Minute[], baseline: Minute[], over: Partial<JudgeInput> = {}) =>
  judge({ ...base(Math.max(canary.length, baseline.length, 1)), canary, baseline, ...over });

describe("exact statistics", () => {
  it("Fisher's exact test against known values", () => {
    // Tea tasting: 3 of 4 vs 1 of 4 -> one-sided p = 17/70.
    expect(fisherGreater(3, 4, 1, 4)).toBeCloseTo(17 / 70, 10);
    expect(fisherGreater(0, 23, 0, 2000)).toBe(1);
    expect(fisherGreater(9, 23, 1, 2000)).toBeLessThan(1e-12);
  });
  it("Clopper-Pearson bounds and the requests a pass needs", () => {
    expect(upperBound(0, 23)).toBeCloseTo(0.122, 3);
    expect(upperBound(2, 5000)).toBeCloseTo(0.00126, 4);
    expect(requestsNeeded(0, 0.02)).toBe(149);
    expect(requestsNeeded(0, 0)).toBeNull();
  });
});

describe("canary judge on small samples", () => {
  it("9 of 23 failing against 1 of 2000 fails decisively, with its numbers", () => {
    const v = run(minutes(3, 23, 9), minutes(3, 2000, 1));
    expect(v.outcome).toBe("fail");
    expect(v.canary).toMatchObject({ requests: 23, errors: 9 });
    expect(v.pValue!).toBeLessThan(1e-10);
    expect(v.thresholdPValue!).toBeLessThan(1e-6);
    expect(v.confidence).toMatch(/^p = /);
  });
  it("0 of 23 against 0 of 2000 is undecided, not a pass, and says how many requests it needs", () => {
    const v = run(minutes(3, 23, 0), minutes(3, 2000, 0));
    expect(v.outcome).toBe("undecided");
    expect(v.canary.upperBoundPercent).toBeCloseTo(12.2, 1);
    expect(v.requestsNeeded).toBe(149);
    expect(v.rule).toMatch(/Not enough data.*149 requests needed/);
  });
  it("2 of 5000 against 1 of 5000 passes with 95% confidence", () => {
    const v = run(minutes(5, 5000, 2), minutes(5, 5000, 1));
    expect(v.outcome).toBe("pass");
    expect(v.pValue!).toBeGreaterThan(0.3);
    expect(v.confidence).toMatch(/95% sure the rate is at most 0.1\d+%/);
  });
  it("one error in a few requests is not a failure, and not a pass", () => {
    expect(run(minutes(2, 10, 1), minutes(2, 2000, 1)).outcome).toBe("undecided");
  });
  it("a significantly worse rate under the threshold fails (Fisher), noise does not", () => {
    const worse = run(minutes(10, 2000, 30), minutes(10, 10_000, 5), { max5xxRatePercent: 5 });
    expect(worse.outcome).toBe("fail");
    expect(worse.rule).toMatch(/significantly more than the old fleet's/);
    expect(run(minutes(10, 2000, 1), minutes(10, 10_000, 3)).outcome).toBe("pass");
  });
  it("the 100% step has no old fleet: judged against the threshold alone", () => {
    expect(run(minutes(3, 300, 0), []).outcome).toBe("pass");
    expect(run(minutes(3, 300, 30), []).outcome).toBe("fail");
    expect(run(minutes(3, 300, 30), []).pValue).toBeNull();
  });
  it("fails on latency in most minutes, on a firing alarm, on unhealthy hosts and on failing probes", () => {
    expect(run(minutes(5, 500, 0, 300), minutes(5, 5000, 0, 40)).rule).toMatch(/p95 latency is worse in 5 of 5/);
    // A minute with a handful of requests has no meaningful p95: one slow request is not "worse".
    const thin = run(minutes(1, 12, 0, 2000), minutes(1, 5000, 0, 40));
    expect(thin.latencyMinutesCompared).toBe(0);
    expect(thin.rule).not.toMatch(/latency/);
    expect(run(minutes(3, 500, 0), minutes(3, 500, 0), { alarmsFiring: ["sy-shop-green-5xx-rate"] }).rule).toMatch(/green-5xx-rate/);
    const unhealthy = minutes(3, 500, 0).map((m, i) => ({ ...m, unhealthyHosts: i < 2 ? 1 : 0 }));
    expect(run(unhealthy, minutes(3, 500, 0)).rule).toMatch(/unhealthy hosts in 2 of 3/);
    const probes = { requests: 12, failures: 12, lastFailure: "connect ECONNREFUSED" };
    const crashed = run([], [], { probes });
    expect(crashed.outcome).toBe("fail");
    expect(crashed.rule).toMatch(/12 of 12 failed \(last: connect ECONNREFUSED\)/);
    expect(run(minutes(3, 500, 0), minutes(3, 500, 0), { probes: { requests: 40, failures: 1, lastFailure: "HTTP 500" } }).outcome).toBe(
      "pass",
    );
  });
  it("counts connection errors as failures", () => {
    const c = minutes(3, 60, 0).map((m) => ({ ...m, connectionErrors: 5 }));
    const v = run(c, minutes(3, 2000, 0));
    expect(v.outcome).toBe("fail");
    expect(v.canary.errors).toBe(15);
  });
});

describe("only complete minutes, and missing is not zero", () => {
  it("a minute with no datapoint is missing: it is listed, and not counted as zero requests", () => {
    const c: Minute[] = [
      { timestamp: at(0), requests: 100, errors5xx: 0, p95LatencyMs: 40 },
      { timestamp: at(1), requests: null, errors5xx: 0, p95LatencyMs: null },
      { timestamp: at(2), requests: 100, errors5xx: 0, p95LatencyMs: 40 },
    ];
    const v = run(c, minutes(4, 4000, 0), { window: { from: at(0), to: at(4) } });
    expect(v.minutes.judged).toEqual([at(0), at(2)]);
    // Minute 3 is inside the window but has no entry at all: missing too.
    expect(v.minutes.missing).toEqual([at(1), at(3)]);
    expect(v.canary.requests).toBe(200);
    expect(v.baseline.requests).toBe(2000); // the old fleet over the SAME minutes only
  });
  it("no data at all is undecided, whatever the old fleet did", () => {
    const v = run([{ timestamp: at(0), requests: null, errors5xx: 0, p95LatencyMs: null }], minutes(1, 1000, 0));
    expect(v.outcome).toBe("undecided");
    expect(v.rule).toMatch(/no complete minute/);
  });
  it("minutes outside the window (the newest, partial ones) are not judged", () => {
    const c = [...minutes(3, 300, 0), { timestamp: at(3), requests: 10, errors5xx: 10, p95LatencyMs: 40 }];
    const v = run(c, minutes(4, 4000, 0), { window: { from: at(0), to: at(3) } });
    expect(v.outcome).toBe("pass");
    expect(v.canary.requests).toBe(300);
    expect(v.minutes.judged).toHaveLength(3);
  });
  it("the window ends at now minus the publication delay and excludes the partial minute", () => {
    expect(PUBLICATION_DELAY_MS).toBeGreaterThanOrEqual(FINAL_AFTER_MINUTE_END_MS);
    const since = "2026-11-27T10:00:30Z";
    // Baking: at 10:06:10 only minutes ending by 10:02:10 are final -> 10:00 and 10:01.
    expect(bakeWindow(since, null, "2026-11-27T10:06:10Z")).toMatchObject({ from: at(0), to: at(2), complete: false, completeAt: null });
    // Baked until 10:05:30: the bake covers 10:00..10:05 and is complete once 10:05 is published (10:10).
    expect(bakeWindow(since, "2026-11-27T10:05:30Z", "2026-11-27T10:09:59Z")).toMatchObject({ to: at(5), complete: false });
    expect(bakeWindow(since, "2026-11-27T10:05:30Z", "2026-11-27T10:10:00Z")).toMatchObject({
      to: at(6),
      complete: true,
      completeAt: "2026-11-27T10:10:00.000Z",
    });
    // Long after: never beyond the bake's own end.
    expect(bakeWindow(since, "2026-11-27T10:05:30Z", "2026-11-27T11:00:00Z").to).toBe(at(6));
  });
});

describe("the spec's limit for undecided bakes", () => {
  const valid = { ...defaultSpec("local"), name: "shop" };
  it("extends at least as long as the bake, holds or rolls back, and older specs get the defaults", () => {
    const short = specSchema.safeParse({ ...valid, rollout: { ...valid.rollout, bakeMinutes: 10, maxBakeMinutes: 5 } });
    expect(short.error?.issues.map((i) => i.path.join("."))).toEqual(["rollout.maxBakeMinutes"]);
    const wrong = specSchema.safeParse({ ...valid, rollout: { ...valid.rollout, onUndecided: "pass" } });
    expect(wrong.error?.issues[0]?.message).toBe("Choose hold or rollback");
    const old = withSpecDefaults({ ...valid, rollout: { strategy: "canary", canarySteps: [10, 100], bakeMinutes: 45 } });
    expect(old.rollout).toMatchObject({ maxBakeMinutes: 45, onUndecided: "hold" });
  });
});
