import { ServiceError } from "../errors.ts";
import { roleAtLeast, type Role } from "./roles.ts";

/** Who is acting: a signed-in user, an API token, or Switchyard itself. */
export interface Actor {
  kind: "user" | "token" | "system";
  id: string | null;
  /** What the audit log shows: the user's email, "token:<name>", or "system". */
  label: string;
  role: Role;
  /** A token's creator: the person a token acts for (four eyes compares people, not labels). */
  userId?: string | null;
}

/** The person behind an actor: a user's own id, a token's creator, or null (Switchyard itself, a token of no one). */
export function personOf(actor: Actor): string | null {
  if (actor.kind === "user") return actor.id;
  if (actor.kind === "token") return actor.userId ?? null;
  return null;
}

export const systemActor: Actor = { kind: "system", id: null, label: "system", role: "admin" };

/** The first line of every verb: refuses an actor below `required`. */
export function requireRole(actor: Actor | null | undefined, required: Role): Actor {
  if (!actor) throw new ServiceError("UNAUTHENTICATED", "Sign in or send an API token.");
  if (!roleAtLeast(actor.role, required)) {
    throw new ServiceError("FORBIDDEN", `This needs the ${required} role; ${actor.label} is a ${actor.role}.`);
  }
  return actor;
}
