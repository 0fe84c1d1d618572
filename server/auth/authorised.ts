/**
 * The one authorised action client: every server action runs through `authorisedAction`, which
 * finds the signed-in person, refuses anyone below the role the action needs (as a typed
 * result: "Sign in..." or "This needs the admin role..."), runs the action with that actor, and
 * turns a ServiceError into the result the form shows (anything unexpected is logged with a
 * request id). The verb it calls checks the role again: actions stay thin, verbs stay safe.
 */
import { runAction, type ActionResult } from "../result.ts";
import { type Actor, requireRole } from "./actor.ts";
import type { Role } from "./roles.ts";
import { currentActor } from "./session.ts";

export async function authorisedAction<T>(
  role: Role,
  action: (actor: Actor) => Promise<T>,
  opts: { values?: unknown; message?: string } = {},
): Promise<ActionResult<T>> {
  return runAction(async () => action(requireRole(await currentActor(), role)), opts);
}
