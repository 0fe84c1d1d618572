/**
 * Issue 14, finding 5: four eyes compared labels, not people, so a rollout started with the
 * bootstrap admin's API token ("token:bootstrap") could be approved by the same admin's session
 * ("ada@example.com"). Now the approver's user id must differ from the starter's, and a token
 * counts as the user who created it.
 */
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { actorFromApiToken, createApiToken } from "../auth/tokens.ts";
import type { Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";
import { appUrl } from "../env.ts";
import { createEnvironment } from "../environments/create.ts";
import { createOperation } from "../operations/start.ts";
import { localAccount, spec } from "../../testing/fixtures.ts";
import { createUser, sessionCookie } from "./auth-test-helpers.ts";

// No workflow runs here: the approval's hook is a stand-in.
const resumed = vi.hoisted(() => [] as unknown[]);
vi.mock("workflow/api", () => ({
  resumeHook: async (_token: string, payload: unknown) => void resumed.push(payload),
  start: async () => ({ runId: "none" }),
}));
const { approveRollout } = await import("../operations/verbs.ts");
const { POST: approveRoute } = await import("../../app/api/v1/environments/[name]/deployments/[id]/approve/route.ts");

const ENV = "four-eyes";
let ada: Awaited<ReturnType<typeof createUser>>;
let bob: Awaited<ReturnType<typeof createUser>>;
let adaToken: Actor;
let adaTokenSecret = "";

beforeAll(async () => {
  await localAccount();
  ada = await createUser("ada-4eyes@example.com", "admin");
  bob = await createUser("bob-4eyes@example.com", "deployer");
  adaTokenSecret = (await createApiToken({ actor: ada.actor, input: { name: "bootstrap", role: "admin" } })).token;
  adaToken = (await actorFromApiToken(adaTokenSecret))!;
  await createEnvironment({ actor: ada.actor, input: spec(ENV, { protected: true }) });
});

beforeEach(async () => {
  // A provisioned, idle environment for each rollout.
  await db.environment.update({
    where: { activeName: ENV },
    data: { status: "ready", stack: {}, liveVersion: "v1", lockDeploymentId: null },
  });
});

/** Starts a protected rollout as `starter` and brings it to its approval step, as the workflow would. */
async function rolloutAwaitingApproval(starter: Actor) {
  const { deployment } = await createOperation({ actor: starter, input: { name: ENV, kind: "rollout", version: `v${Date.now()}` } });
  expect(deployment.status).toBe("awaiting_approval");
  await db.deploymentStep.updateMany({ where: { deploymentId: deployment.id, key: "approval" }, data: { status: "running" } });
  return deployment.id;
}

describe("four eyes by person", () => {
  it("a token counts as its creator", () => {
    expect(adaToken).toMatchObject({ kind: "token", label: "token:bootstrap", userId: ada.id });
  });

  it("a rollout started with an admin's token cannot be approved by the same admin's session", async () => {
    const id = await rolloutAwaitingApproval(adaToken);
    expect((await db.deployment.findUniqueOrThrow({ where: { id } })).startedById).toBe(ada.id);
    await expect(approveRollout({ actor: ada.actor, input: { name: ENV, id } })).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Nor through the REST API with her session cookie.
    const cookie = await sessionCookie(ada.email, ada.password);
    const res = await approveRoute(
      new Request(`${appUrl}/api/v1/environments/${ENV}/deployments/${id}/approve`, {
        method: "POST",
        headers: { cookie, origin: appUrl, "content-type": "application/json" },
        body: "{}",
      }),
      {
        params: Promise.resolve({ name: ENV, id }),
      },
    );
    expect(res.status).toBe(403);
    expect((await db.deployment.findUniqueOrThrow({ where: { id } })).status).toBe("awaiting_approval");

    // Another person approves it.
    await approveRollout({ actor: bob.actor, input: { name: ENV, id } });
    expect(await db.deployment.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "running",
      approvedBy: bob.email,
      approvedById: bob.id,
    });
  });

  it("a rollout started with a session cannot be approved with a token that person created", async () => {
    const id = await rolloutAwaitingApproval(ada.actor);
    await expect(approveRollout({ actor: adaToken, input: { name: ENV, id } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    // Through the REST API with the token.
    const res = await approveRoute(
      new Request(`${appUrl}/api/v1/environments/${ENV}/deployments/${id}/approve`, {
        method: "POST",
        headers: { authorization: `Bearer ${adaTokenSecret}` },
      }),
      { params: Promise.resolve({ name: ENV, id }) },
    );
    expect(res.status).toBe(403);
    expect((await db.deployment.findUniqueOrThrow({ where: { id } })).status).toBe("awaiting_approval");
    await approveRollout({ actor: bob.actor, input: { name: ENV, id } });
  });

  it("a session cannot approve its own rollout, and two tokens of one person are one person", async () => {
    const own = await rolloutAwaitingApproval(bob.actor);
    await expect(approveRollout({ actor: bob.actor, input: { name: ENV, id: own } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await approveRollout({ actor: ada.actor, input: { name: ENV, id: own } });
    await db.environment.update({ where: { activeName: ENV }, data: { lockDeploymentId: null } });

    const other = (await actorFromApiToken(
      (
        await createApiToken({ actor: ada.actor, input: { name: "second", role: "deployer" } })
      ).token,
    ))!;
    const id = await rolloutAwaitingApproval(other);
    await expect(approveRollout({ actor: adaToken, input: { name: ENV, id } })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
