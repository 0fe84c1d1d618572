"use server";

import { redirect } from "next/navigation";
import { adoptStack } from "@/server/adopt/adopt.ts";
import { discoverStack } from "@/server/adopt/discover.ts";
import { forgetAdopted } from "@/server/adopt/forget.ts";
import { requireRole } from "@/server/auth/actor.ts";
import { currentActor } from "@/server/auth/session.ts";
import { patchOs } from "@/server/operations/patch-os.ts";
import { runAction, type ActionResult } from "@/server/result.ts";

export async function discoverAction(input: unknown) {
  return runAction(async () => discoverStack({ actor: requireRole(await currentActor(), "admin"), input }));
}

export async function adoptAction(input: unknown): Promise<ActionResult<{ name: string }>> {
  const res = await runAction(
    async () => {
      const { environment } = await adoptStack({ actor: requireRole(await currentActor(), "admin"), input });
      return { name: environment.name };
    },
    { values: input },
  );
  if (res.ok) redirect(`/environments/${res.data.name}`);
  return res;
}

/** An adopted environment's teardown: forget it; nothing in AWS is deleted. */
export async function forgetAction(name: string): Promise<ActionResult<{ keptInAws: string[] }>> {
  const res = await runAction(async () => forgetAdopted({ actor: requireRole(await currentActor(), "admin"), input: { name } }));
  if (res.ok) redirect("/environments");
  return res;
}

export async function patchOsAction(name: string): Promise<ActionResult<{ id: string }>> {
  return runAction(async () => ({
    id: (await patchOs({ actor: requireRole(await currentActor(), "deployer"), input: { name } })).operation.id,
  }));
}
