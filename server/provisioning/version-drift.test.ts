import { describe, expect, it } from "vitest";
import { versionDrift } from "./drift.ts";

describe("versionDrift", () => {
  it("reports the spec's version when a rollback put another one back", () => {
    expect(versionDrift("v1.1.0", { version: "v1.0.0", afterRollback: true })).toEqual([
      { path: "app.version", expected: "v1.1.0", actual: "v1.0.0 (after rollback)" },
    ]);
  });
  it("says nothing when the spec's version serves, or a person deployed another version", () => {
    expect(versionDrift("v1.1.0", { version: "v1.1.0", afterRollback: true })).toEqual([]);
    expect(versionDrift("v1", { version: "v3", afterRollback: false })).toEqual([]);
    expect(versionDrift("v1", { version: null, afterRollback: true })).toEqual([]);
  });
});
