"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { authorisedAction } from "@/server/auth/authorised.ts";
import { createEnvironment } from "@/server/environments/create.ts";
import { deleteEnvironment } from "@/server/environments/remove.ts";
import { restoreSpecVersion, updateEnvironment } from "@/server/environments/update.ts";
import type { ActionResult } from "@/server/result.ts";
import type { CostEstimate } from "@/server/costs/estimate.ts";
import { estimateFormCost } from "@/server/costs/form-input.ts";

export async function createEnvironmentAction(
  _prev: ActionResult<{ name: string }> | null,
  spec: unknown,
): Promise<ActionResult<{ name: string }>> {
  const res = await authorisedAction(
    "admin",
    async (actor) => {
      const { environment } = await createEnvironment({ actor, input: spec });
      return { name: environment.name };
    },
    { values: spec },
  );
  if (res.ok) redirect(`/environments/${res.data.name}`);
  return res;
}

export async function updateEnvironmentAction(
  _prev: ActionResult<{ name: string }> | null,
  payload: { name: string; spec: unknown },
): Promise<ActionResult<{ name: string }>> {
  const res = await authorisedAction(
    "admin",
    async (actor) => {
      await updateEnvironment({ actor, input: { name: payload.name, spec: payload.spec } });
      return { name: payload.name };
    },
    { values: payload.spec },
  );
  if (res.ok) redirect(`/environments/${res.data.name}`);
  return res;
}

export async function restoreVersionAction(name: string, version: number): Promise<ActionResult<{ version: number }>> {
  return authorisedAction("admin", async (actor) => {
    const r = await restoreSpecVersion({ actor, input: { name, version } });
    revalidatePath(`/environments/${name}`);
    return { version: r.version };
  });
}

export async function deleteEnvironmentAction(name: string): Promise<ActionResult> {
  const res = await authorisedAction("admin", async (actor) => {
    await deleteEnvironment({ actor, input: { name } });
    return undefined;
  });
  if (res.ok) redirect("/environments");
  return res;
}

/** The monthly cost of what the form holds right now (it may be half-filled). */
export async function estimateCostAction(spec: unknown): Promise<ActionResult<CostEstimate>> {
  return authorisedAction("viewer", async () => {
    return estimateFormCost(spec);
  });
}
