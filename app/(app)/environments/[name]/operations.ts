"use server";

import { requireRole } from "@/server/auth/actor.ts";
import { currentActor } from "@/server/auth/session.ts";
import { approveRollout, cancelOperation, startProvision, startRollback, startRollout, startTeardown } from "@/server/operations/verbs.ts";
import { runAction, type ActionResult } from "@/server/result.ts";

type Result = ActionResult<{ id: string }>;
const actor = async () => requireRole(await currentActor(), "viewer");

export async function provisionAction(name: string): Promise<Result> {
  return runAction(async () => ({ id: (await startProvision({ actor: await actor(), input: { name } })).id }));
}

export async function deployAction(name: string, version: string, strategy: string): Promise<Result> {
  return runAction(
    async () => ({ id: (await startRollout({ actor: await actor(), input: { name, version, strategy: strategy || undefined } })).id }),
    { values: { version } },
  );
}

export async function rollbackAction(name: string): Promise<Result> {
  return runAction(async () => ({ id: (await startRollback({ actor: await actor(), input: { name } })).id }));
}

export async function teardownAction(name: string, opts: { skipFinalSnapshot: boolean }): Promise<Result> {
  return runAction(async () => ({
    id: (await startTeardown({ actor: await actor(), input: { name, skipFinalSnapshot: opts.skipFinalSnapshot === true } })).id,
  }));
}

export async function approveAction(name: string, id: string): Promise<Result> {
  return runAction(async () => ({ id: (await approveRollout({ actor: await actor(), input: { name, id } })).id }));
}

export async function cancelAction(name: string, id: string): Promise<Result> {
  return runAction(async () => ({ id: (await cancelOperation({ actor: await actor(), input: { name, id } })).id }));
}
