import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { admin, localAccount, spec } from "../../testing/fixtures.ts";
import { createEnvironment } from "./create.ts";
import { getEnvironment, listEnvironments, listSpecVersions } from "./queries.ts";
import { deleteEnvironment } from "./remove.ts";
import { restoreSpecVersion, updateEnvironment } from "./update.ts";

beforeAll(localAccount);

async function failure(p: Promise<unknown>): Promise<ServiceError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ServiceError);
  return e as ServiceError;
}

describe("environment specs", () => {
  it("creates version 1 and lists it", async () => {
    const { environment, version } = await createEnvironment({ actor: admin, input: spec("alpha") });
    expect(version).toBe(1);
    expect(environment.status).toBe("draft");
    const { environments } = await listEnvironments({ actor: admin, input: { q: "alph" } });
    expect(environments.map((e) => e.name)).toEqual(["alpha"]);
    expect(environments[0].appVersion).toBe("v1");
  });

  it("stores every save as a new immutable version with a field-by-field diff, and restores", async () => {
    await createEnvironment({ actor: admin, input: spec("beta") });
    const v2 = await updateEnvironment({
      actor: admin,
      input: { name: "beta", spec: { capacity: { max: 9 }, instanceType: "m6i.large" }, merge: true },
    });
    expect(v2.version).toBe(2);
    const unchanged = await updateEnvironment({ actor: admin, input: { name: "beta", spec: { capacity: { max: 9 } }, merge: true } });
    expect(unchanged.changed).toBe(false);

    const versions = await listSpecVersions({ actor: admin, input: { name: "beta" } });
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0].changes).toEqual(
      expect.arrayContaining([
        { path: "capacity.max", kind: "changed", before: 6, after: 9 },
        { path: "instanceType", kind: "changed", before: "t3.small", after: "m6i.large" },
      ]),
    );
    expect(versions[0].changes).toHaveLength(2);

    const restored = await restoreSpecVersion({ actor: admin, input: { name: "beta", version: 1 } });
    expect(restored.version).toBe(3);
    const { spec: current } = await getEnvironment({ actor: admin, input: { name: "beta" } });
    expect(current.capacity.max).toBe(6);
    expect(current.instanceType).toBe("t3.small");
    const v1 = await db.environmentSpecVersion.findFirstOrThrow({ where: { environment: { name: "beta" }, version: 1 } });
    expect((v1.spec as { capacity: { max: number } }).capacity.max).toBe(6);
  });

  it("reports bad input on the field and saves nothing", async () => {
    const before = await db.environment.count();
    const cases: Array<[unknown, string, RegExp]> = [
      [spec("gamma", { capacity: { min: 5, desired: 5, max: 3 } }), "capacity.min", /greater than maximum/],
      [spec("gamma", { instanceType: "t9.nano" }), "instanceType", /Unknown instance type/],
      [
        spec("gamma", { region: "eu-west-1", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"] }),
        "availabilityZones",
        /eu-west-1 has 3 availability zones; you asked for 4/,
      ],
      [spec("gamma", { availabilityZones: ["us-east-1a", "eu-west-1b"] }), "availabilityZones", /not an availability zone of us-east-1/],
      [spec("Gamma_1"), "name", /Lowercase letters/],
      [spec("a-very-long-environment-name-indeed"), "name", /At most 24/],
      [spec("gamma", { account: "nope" }), "account", /No AWS account named "nope"/],
      [
        spec("gamma", { healthCheck: { ...spec("x").healthCheck, timeoutSeconds: 30, intervalSeconds: 10 } }),
        "healthCheck.timeoutSeconds",
        /shorter than the interval/,
      ],
      [
        spec("gamma", { rollout: { strategy: "canary", canarySteps: [50, 10, 100], bakeMinutes: 5 } }),
        "rollout.canarySteps",
        /must increase/,
      ],
      [{ ...spec("gamma"), capacity: { min: "two", desired: 2, max: 4 } }, "capacity.min", /must be a number/],
    ];
    for (const [input, field, message] of cases) {
      const e = await failure(createEnvironment({ actor: admin, input }));
      expect(e.code, JSON.stringify(e.fields)).toBe("VALIDATION_FAILED");
      expect(e.fields?.[field]?.join(" ")).toMatch(message);
    }
    expect(await db.environment.count()).toBe(before);
  });

  it("refuses a taken name with CONFLICT, and frees the name on delete", async () => {
    await createEnvironment({ actor: admin, input: spec("delta") });
    const e = await failure(createEnvironment({ actor: admin, input: spec("delta") }));
    expect(e.code).toBe("CONFLICT");
    expect(e.fields?.name?.[0]).toMatch(/already exists/);

    await deleteEnvironment({ actor: admin, input: { name: "delta" } });
    expect((await failure(getEnvironment({ actor: admin, input: { name: "delta" } }))).code).toBe("NOT_FOUND");
    const again = await createEnvironment({ actor: admin, input: spec("delta") });
    expect(again.version).toBe(1);
    expect(await db.environment.count({ where: { name: "delta" } })).toBe(2);
  });

  it("keeps the name fixed on update", async () => {
    await createEnvironment({ actor: admin, input: spec("epsilon") });
    const e = await failure(updateEnvironment({ actor: admin, input: { name: "epsilon", spec: { name: "zeta" }, merge: true } }));
    expect(e.fields?.name?.[0]).toMatch(/cannot change/);
  });

  it("writes an audit event with before and after for every change", async () => {
    await createEnvironment({ actor: admin, input: spec("eta") });
    await updateEnvironment({ actor: admin, input: { name: "eta", spec: { app: { version: "v2" } }, merge: true } });
    await deleteEnvironment({ actor: admin, input: { name: "eta" } });
    const events = await db.auditEvent.findMany({ where: { targetLabel: "eta" }, orderBy: { at: "asc" } });
    expect(events.map((e) => e.action)).toEqual(["environment.create", "environment.update", "environment.delete"]);
    expect(events.every((e) => e.actorLabel === admin.label)).toBe(true);
    expect((events[1].before as { app: { version: string } }).app.version).toBe("v1");
    expect((events[1].after as { app: { version: string } }).app.version).toBe("v2");
  });
});
