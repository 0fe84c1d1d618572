/**
 * A canary step held on an undecided verdict (bake.ts) is decided through the existing
 * approval verb: any deployer, the starter included, continues it (it is a judgement on data),
 * with an audit event; a viewer cannot; the hold's own hook is resumed. On a protected
 * environment continuing takes four eyes, like the approval.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "../db/client.ts";
import { createEnvironment } from "../environments/create.ts";
import { createOperation } from "../operations/start.ts";
import { createUser } from "../security/auth-test-helpers.ts";
import { localAccount, spec, viewer } from "../../testing/fixtures.ts";
import { holdToken } from "./tokens.ts";

const resumed = vi.hoisted(() => [] as Array<{ token: string; payload: unknown }>);
vi.mock("workflow/api", () => ({
  resumeHook: async (token: string, payload: unknown) => void resumed.push({ token, payload }),
  start: async () => ({ runId: "none" }),
}));
const { approveRollout } = await import("../operations/verbs.ts");

const ENV = "held";
const PROTECTED = "held-protected";
let dora: Awaited<ReturnType<typeof createUser>>;
let ada: Awaited<ReturnType<typeof createUser>>;

async function heldRollout(name: string, by: typeof dora) {
  const { deployment } = await createOperation({ actor: by.actor, input: { name, kind: "rollout", version: "v2" } });
  const verdict = { outcome: "undecided", rule: "Not enough data: 0 of 23 requests failed" };
  await db.deployment.update({ where: { id: deployment.id }, data: { status: "awaiting_approval" } });
  await db.deploymentStep.updateMany({
    where: { deploymentId: deployment.id, key: "shift-10" },
    data: { status: "waiting", detail: { verdict, bake: { phase: "holding" } } },
  });
  return deployment;
}

beforeAll(async () => {
  await localAccount();
  ada = await createUser("ada-held@example.com", "admin");
  dora = await createUser("dora-held@example.com", "deployer");
  await createEnvironment({ actor: ada.actor, input: spec(ENV) });
  await createEnvironment({ actor: ada.actor, input: spec(PROTECTED, { protected: true }) });
  for (const name of [ENV, PROTECTED]) {
    await db.environment.update({
      where: { activeName: name },
      data: { status: "ready", stack: {}, liveVersion: "v1", lockDeploymentId: null },
    });
  }
});

describe("a held canary step", () => {
  it("is continued by the deployer who started the rollout, audited, through the hold's own hook", async () => {
    const { deployment } = await createOperation({ actor: dora.actor, input: { name: ENV, kind: "rollout", version: "v2" } });
    const verdict = { outcome: "undecided", rule: "Not enough data: 0 of 23 requests failed" };
    await db.deployment.update({ where: { id: deployment.id }, data: { status: "awaiting_approval" } });
    await db.deploymentStep.updateMany({
      where: { deploymentId: deployment.id, key: "shift-10" },
      data: { status: "waiting", detail: { verdict, bake: { phase: "holding" } } },
    });

    await expect(approveRollout({ actor: viewer, input: { name: ENV, id: deployment.id } })).rejects.toThrow();
    const op = await approveRollout({ actor: dora.actor, input: { name: ENV, id: deployment.id } });
    expect(op.status).toBe("running");
    expect(resumed).toEqual([{ token: holdToken(deployment.id, "shift-10"), payload: { approvedBy: dora.actor.label } }]);
    const audit = await db.auditEvent.findFirst({ where: { action: "deployment.approve", targetId: deployment.id } });
    expect(audit?.after).toMatchObject({ continuedUndecidedStep: "shift-10" });
    // Decided once: a second approval finds nothing awaiting.
    await expect(approveRollout({ actor: dora.actor, input: { name: ENV, id: deployment.id } })).rejects.toThrow(/not awaiting approval/);
  });

  it("on a protected environment is continued only by another person", async () => {
    const deployment = await heldRollout(PROTECTED, dora);
    await expect(approveRollout({ actor: dora.actor, input: { name: PROTECTED, id: deployment.id } })).rejects.toThrow(
      /Another person must continue/,
    );
    const op = await approveRollout({ actor: ada.actor, input: { name: PROTECTED, id: deployment.id } });
    expect(op.status).toBe("running");
    expect(resumed.at(-1)).toEqual({ token: holdToken(deployment.id, "shift-10"), payload: { approvedBy: ada.actor.label } });
  });
});
