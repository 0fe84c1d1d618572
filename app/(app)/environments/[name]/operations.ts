"use server";

import { authorisedAction } from "@/server/auth/authorised.ts";
import { approveRollout, cancelOperation, startProvision, startRollback, startRollout, startTeardown } from "@/server/operations/verbs.ts";
import type { ActionResult } from "@/server/result.ts";

type Result = ActionResult<{ id: string }>;
export async function provisionAction(name: string): Promise<Result> {
  return authorisedAction("viewer", async (actor) => ({ id: (await startProvision({ actor, input: { name } })).id }));
}

export async function deployAction(name: string, version: string, strategy: string): Promise<Result> {
  return authorisedAction(
    "viewer",
    async (actor) => ({ id: (await startRollout({ actor, input: { name, version, strategy: strategy || undefined } })).id }),
    { values: { version } },
  );
}

export async function rollbackAction(name: string): Promise<Result> {
  return authorisedAction("viewer", async (actor) => ({ id: (await startRollback({ actor, input: { name } })).id }));
}

export async function teardownAction(name: string, opts: { skipFinalSnapshot: boolean }): Promise<Result> {
  return authorisedAction("viewer", async (actor) => ({
    id: (await startTeardown({ actor, input: { name, skipFinalSnapshot: opts.skipFinalSnapshot === true } })).id,
  }));
}

export async function approveAction(name: string, id: string): Promise<Result> {
  return authorisedAction("viewer", async (actor) => ({ id: (await approveRollout({ actor, input: { name, id } })).id }));
}

export async function cancelAction(name: string, id: string): Promise<Result> {
  return authorisedAction("viewer", async (actor) => ({ id: (await cancelOperation({ actor, input: { name, id } })).id }));
}
