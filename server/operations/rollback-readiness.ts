import { requireRole, type Actor } from "../auth/actor.ts";
import { getEnvironment } from "../environments/queries.ts";
import { logger } from "../log.ts";
import { rollbackReadiness, type RollbackReadiness, type Slot, type Stack } from "../provisioning/index.ts";

export interface RollbackReadinessView extends RollbackReadiness {
  previousVersion: string;
  /** When the rollback window ends (ISO), or null when it is over. */
  warmUntil: string | null;
}

/**
 * The environment page's rollback readiness: is the previous version's fleet warm and big
 * enough for today's traffic, how long it stays so, and what that costs. Null when there is
 * nothing to roll back to, or AWS could not be read (the page then shows nothing rather than
 * a guess; the error is logged).
 */
export async function readRollbackReadiness({
  actor,
  input,
}: {
  actor: Actor;
  input: { name: string };
}): Promise<RollbackReadinessView | null> {
  requireRole(actor, "viewer");
  const { environment: env, spec } = await getEnvironment({ actor, input });
  const stack = env.stack as unknown as Stack | null;
  if (!env.previousVersion || !stack?.loadBalancer) return null;
  const warmSlot: Slot = env.liveSlot === "blue" ? "green" : "blue";
  const warm = env.warmUntil !== null && env.warmUntil > new Date();
  try {
    const readiness = await rollbackReadiness({ accountId: env.accountId, envId: env.id, spec, warmSlot, stack });
    return { ...readiness, previousVersion: env.previousVersion, warmUntil: warm ? env.warmUntil!.toISOString() : null };
  } catch (err) {
    logger.warn("rollback readiness unreadable", { environment: env.name, error: (err as Error).message });
    return null;
  }
}
