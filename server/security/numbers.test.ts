/**
 * Issue 14, item 10: the spec's numbers were `z.coerce.number()`, so `null`, `[5]`, `true` and
 * `""` were numbers (`capacity.min: null` became 0). Now a number field takes a JSON number,
 * or a numeric string (what the HTML form posts), and refuses the rest with a field error.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createEnvironment } from "../environments/create.ts";
import { specSchema } from "../environments/spec.ts";
import { ServiceError } from "../errors.ts";
import { admin, localAccount, spec } from "../../testing/fixtures.ts";

const NUMBER_FIELDS = [
  "capacity.min",
  "capacity.desired",
  "capacity.max",
  "scaling.target",
  "healthCheck.intervalSeconds",
  "healthCheck.timeoutSeconds",
  "healthCheck.healthyThreshold",
  "healthCheck.unhealthyThreshold",
  "healthCheck.gracePeriodSeconds",
  "database.storageGb",
  "rollout.canarySteps.0",
  "rollout.bakeMinutes",
  "autoRollback.max5xxRatePercent",
  "autoRollback.maxP95LatencyMs",
  "rollbackWindowMinutes",
];
const LOOSE = [null, [5], true, false, "", " ", {}, "5abc", "0x10", "Infinity", "NaN"];

/** A copy of `obj` with the value at a dotted path replaced. */
function withValue(obj: unknown, dotted: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const keys = dotted.split(".");
  let at: any = copy;
  for (const k of keys.slice(0, -1)) at = at[k];
  at[keys[keys.length - 1]] = value;
  return copy;
}

const valid = spec("numbers");

describe("numbers in an environment spec", () => {
  it.each(NUMBER_FIELDS)("%s refuses null, arrays, booleans, empty and non-numeric strings with a field error", (field) => {
    for (const value of LOOSE) {
      const r = specSchema.safeParse(withValue(valid, field, value));
      expect(r.success, `${field} = ${JSON.stringify(value)} was accepted`).toBe(false);
      const paths = r.error!.issues.map((i) => i.path.join("."));
      expect(paths, `${field} = ${JSON.stringify(value)}`).toContain(field);
      expect(r.error!.issues.find((i) => i.path.join(".") === field)!.message).toMatch(/must be a number/);
    }
  });

  it("accepts JSON numbers and the numeric strings an HTML form posts", () => {
    const fromForm = withValue(withValue(withValue(valid, "capacity.min", "1"), "capacity.desired", " 2 "), "rollout.bakeMinutes", "0.5");
    const r = specSchema.safeParse({ ...fromForm, rollout: { ...(fromForm.rollout as object), canarySteps: "10, 50,100" } });
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    expect(r.data!.capacity).toMatchObject({ min: 1, desired: 2 });
    expect(r.data!.rollout.bakeMinutes).toBe(0.5);
    expect(r.data!.rollout.canarySteps).toEqual([10, 50, 100]);
    expect(specSchema.safeParse(withValue(valid, "capacity.min", 1)).success).toBe(true);
  });

  describe("through the create verb (what the API and the form call)", () => {
    beforeAll(async () => {
      await localAccount();
    });

    it("capacity.min: null is a VALIDATION_FAILED with the field, and nothing is stored", async () => {
      const err = await createEnvironment({ actor: admin, input: withValue(spec("loose-min"), "capacity.min", null) }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ServiceError);
      expect((err as ServiceError).code).toBe("VALIDATION_FAILED");
      expect((err as ServiceError).fields?.["capacity.min"]).toEqual(["Minimum must be a number"]);
      const { db } = await import("../db/client.ts");
      expect(await db.environment.count({ where: { name: "loose-min" } })).toBe(0);
    });
  });
});
