"use server";

import { authorisedAction } from "@/server/auth/authorised.ts";
import { runDrill, type DrillKind, type DrillResult } from "@/server/operations/drills.ts";
import { updateScaling } from "@/server/operations/scaling.ts";
import type { ActionResult } from "@/server/result.ts";

/** Edits the live fleet's min/desired/max and target-tracking target (the verb checks deployer). */
export async function updateScalingAction(
  name: string,
  values: { min: string | number; desired: string | number; max: string | number; target?: string | number },
): Promise<ActionResult<{ slot: string }>> {
  return authorisedAction("viewer", async (actor) => ({ slot: (await updateScaling({ actor, input: { name, values } })).slot }), {
    values,
    message: "Scaling updated",
  });
}

export async function runDrillAction(name: string, kind: DrillKind): Promise<ActionResult<DrillResult>> {
  return authorisedAction("viewer", async (actor) => runDrill({ actor, input: { name, body: { kind } } }));
}
