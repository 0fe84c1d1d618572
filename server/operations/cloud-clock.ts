import { requireRole, type Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";

/** The clock an environment's charts and AWS timestamps run on: null for real time (AWS). */
export interface CloudClock {
  /** How many simulated seconds pass per real second on the local cloud. */
  speed: number;
}

/**
 * The local cloud runs its own simulated clock (often 10x): its metrics, launch times and
 * scaling activities are in that time, so the page labels them "local cloud time ×10".
 * AWS (and a local cloud at real speed) returns null. Never fails: unknown means real time.
 */
export async function cloudClock({ actor, input }: { actor: Actor; input: { name: string } }): Promise<CloudClock | null> {
  requireRole(actor, "viewer");
  const env = await db.environment.findUnique({ where: { activeName: input.name }, include: { account: true } });
  if (!env?.account.isLocal || !env.account.endpointUrl) return null;
  try {
    const res = await fetch(new URL("/_localcloud/clock", env.account.endpointUrl), { signal: AbortSignal.timeout(2_000) });
    if (!res.ok) return null;
    const body = (await res.json()) as { speed?: number };
    return typeof body.speed === "number" && body.speed !== 1 ? { speed: body.speed } : null;
  } catch {
    return null;
  }
}
