import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import type { Actor } from "./actor.ts";
import { auth } from "./auth.ts";
import { isRole } from "./roles.ts";

/** The signed-in user as an Actor, or null. Cached per request. */
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await auth.api.getSession({ headers: await headers() });
  if (!session) return null;
  const role = isRole(session.user.role) ? session.user.role : "viewer";
  return { kind: "user", id: session.user.id, label: session.user.email, role };
});

/** For pages: the actor, or a redirect to sign-in. */
export async function requireSignedIn(): Promise<Actor & { kind: "user" }> {
  const actor = await currentActor();
  if (!actor) redirect("/sign-in");
  return actor as Actor & { kind: "user" };
}
