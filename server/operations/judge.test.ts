import { describe, expect, it } from "vitest";
import { judge, type Minute } from "./judge.ts";

const minutes = (n: number, requests: number, errors: number, p95: number | null): Minute[] =>
  Array.from({ length: n }, (_, i) => ({
    timestamp: `2026-11-27T10:${String(i).padStart(2, "0")}:00Z`,
    requests,
    errors5xx: errors,
    p95LatencyMs: p95,
  }));
const base = { max5xxRatePercent: 2, maxP95LatencyMs: 800, minRequests: 50, alarmsFiring: [] };

describe("canary judge", () => {
  it("passes a fleet as good as the old one", () => {
    const v = judge({ ...base, baseline: minutes(5, 100, 0, 40), canary: minutes(5, 20, 0, 42) });
    expect(v.outcome).toBe("pass");
    expect(v.canary).toMatchObject({ requests: 100, errors: 0 });
  });
  it("refuses to judge on too little traffic, and says so", () => {
    const v = judge({ ...base, baseline: minutes(5, 100, 0, 40), canary: minutes(5, 5, 0, 40) });
    expect(v.outcome).toBe("inconclusive");
    expect(v.rule).toMatch(/only 25 requests/);
  });
  it("fails above the hard 5xx threshold", () => {
    const v = judge({ ...base, baseline: minutes(5, 100, 0, 40), canary: minutes(5, 20, 2, 40) });
    expect(v.outcome).toBe("fail");
    expect(v.rule).toMatch(/10% is above the 2% threshold/);
  });
  it("fails a significantly worse error rate under the threshold", () => {
    const v = judge({ ...base, max5xxRatePercent: 5, baseline: minutes(10, 1000, 0, 40), canary: minutes(10, 200, 4, 40) });
    expect(v.outcome).toBe("fail");
    expect(v.z).toBeGreaterThan(2.33);
  });
  it("does not fail on noise: one error in many requests", () => {
    const v = judge({ ...base, baseline: minutes(10, 1000, 1, 40), canary: minutes(10, 200, 1, 40) });
    expect(v.outcome).toBe("pass");
  });
  it("fails slower in most minutes, and on a firing alarm", () => {
    expect(judge({ ...base, baseline: minutes(5, 100, 0, 40), canary: minutes(5, 20, 0, 300) }).rule).toMatch(
      /p95 latency is worse in 5 of 5/,
    );
    expect(judge({ ...base, baseline: minutes(5, 100, 0, 40), canary: minutes(5, 20, 0, 900) }).outcome).toBe("fail");
    expect(
      judge({ ...base, alarmsFiring: ["shop-green-5xx-rate"], baseline: minutes(5, 100, 0, 40), canary: minutes(5, 20, 0, 40) }).rule,
    ).toMatch(/shop-green-5xx-rate/);
  });
});
