"use server";

import { requireRole } from "@/server/auth/actor.ts";
import { currentActor } from "@/server/auth/session.ts";
import { runDrill, type DrillKind, type DrillResult } from "@/server/operations/drills.ts";
import { updateScaling } from "@/server/operations/scaling.ts";
import { runAction, type ActionResult } from "@/server/result.ts";

const actor = async () => requireRole(await currentActor(), "viewer");

/** Edits the live fleet's min/desired/max and target-tracking target (the verb checks deployer). */
export async function updateScalingAction(
  name: string,
  values: { min: string | number; desired: string | number; max: string | number; target?: string | number },
): Promise<ActionResult<{ slot: string }>> {
  return runAction(async () => ({ slot: (await updateScaling({ actor: await actor(), input: { name, values } })).slot }), {
    values,
    message: "Scaling updated",
  });
}

export async function runDrillAction(name: string, kind: DrillKind): Promise<ActionResult<DrillResult>> {
  return runAction(async () => runDrill({ actor: await actor(), input: { name, body: { kind } } }));
}
