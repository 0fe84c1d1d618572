import { RollbackReadiness } from "@/components/operations/rollback-readiness";
import type { Actor } from "@/server/auth/actor.ts";
import { readRollbackReadiness } from "@/server/operations/rollback-readiness.ts";

/** Reads AWS, so it renders on its own (in a Suspense boundary) and never holds the page up. */
export async function RollbackReadinessSection({ actor, name }: { actor: Actor; name: string }) {
  const readiness = await readRollbackReadiness({ actor, input: { name } });
  return readiness ? <RollbackReadiness readiness={readiness} /> : null;
}
