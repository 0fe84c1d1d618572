"use server";

import { currentActor } from "@/server/auth/session.ts";
import { readInstanceLog } from "@/server/environments/instance-log.ts";
import type { InstanceLog } from "@/server/provisioning/index.ts";
import { runAction, type ActionResult } from "@/server/result.ts";

export async function instanceLogAction(name: string, instanceId?: string): Promise<ActionResult<InstanceLog>> {
  return runAction(async () => readInstanceLog({ actor: await currentActor(), input: { name, instanceId } }));
}
