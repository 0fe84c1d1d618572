"use server";

import { authorisedAction } from "@/server/auth/authorised.ts";
import { readInstanceLog } from "@/server/environments/instance-log.ts";
import type { InstanceLog } from "@/server/provisioning/index.ts";
import type { ActionResult } from "@/server/result.ts";

export async function instanceLogAction(name: string, instanceId?: string): Promise<ActionResult<InstanceLog>> {
  return authorisedAction("deployer", async (actor) => readInstanceLog({ actor, input: { name, instanceId } }));
}
