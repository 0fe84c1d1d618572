import { describe, expect, it } from "vitest";
import { inWindow } from "./os-patch-schedule.ts";

describe("the weekly Patch OS window", () => {
  const weekly = { schedule: "weekly" as const, day: "tue" as const, hourUtc: 3 };
  it("is its day's hour, in UTC", () => {
    expect(inWindow(weekly, new Date("2026-12-08T03:00:00Z"))).toBe(true); // a Tuesday
    expect(inWindow(weekly, new Date("2026-12-08T03:59:59Z"))).toBe(true);
    expect(inWindow(weekly, new Date("2026-12-08T04:00:00Z"))).toBe(false);
    expect(inWindow(weekly, new Date("2026-12-09T03:30:00Z"))).toBe(false); // Wednesday
  });
  it("never opens when off or unset", () => {
    expect(inWindow({ ...weekly, schedule: "off" }, new Date("2026-12-08T03:00:00Z"))).toBe(false);
    expect(inWindow(undefined, new Date("2026-12-08T03:00:00Z"))).toBe(false);
  });
});
