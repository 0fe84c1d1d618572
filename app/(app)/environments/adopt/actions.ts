"use server";

import { redirect } from "next/navigation";
import { adoptStack } from "@/server/adopt/adopt.ts";
import { discoverStack } from "@/server/adopt/discover.ts";
import { forgetAdopted } from "@/server/adopt/forget.ts";
import { authorisedAction } from "@/server/auth/authorised.ts";
import { patchOs } from "@/server/operations/patch-os.ts";
import type { ActionResult } from "@/server/result.ts";

export async function discoverAction(input: unknown) {
  return authorisedAction("admin", async (actor) => discoverStack({ actor, input }));
}

export async function adoptAction(input: unknown): Promise<ActionResult<{ name: string }>> {
  const res = await authorisedAction(
    "admin",
    async (actor) => {
      const { environment } = await adoptStack({ actor, input });
      return { name: environment.name };
    },
    { values: input },
  );
  if (res.ok) redirect(`/environments/${res.data.name}`);
  return res;
}

/** An adopted environment's teardown: forget it; nothing in AWS is deleted. */
export async function forgetAction(name: string): Promise<ActionResult<{ keptInAws: string[] }>> {
  const res = await authorisedAction("admin", async (actor) => forgetAdopted({ actor, input: { name } }));
  if (res.ok) redirect("/environments");
  return res;
}

export async function patchOsAction(name: string): Promise<ActionResult<{ id: string }>> {
  return authorisedAction("deployer", async (actor) => ({
    id: (await patchOs({ actor, input: { name } })).operation.id,
  }));
}
