import { requireRole, type Actor } from "../auth/actor.ts";
import { ServiceError } from "../errors.ts";
import { instanceLog, type InstanceLog, type Slot } from "../provisioning/index.ts";
import { requireEnvironment } from "./load.ts";

/**
 * An instance's own log (EC2 GetConsoleOutput: cloud-init and the user data's output): the
 * live fleet's newest instance, or the one asked for. Deployers and admins only: a console log
 * may show more of an app's start-up than a viewer should see.
 */
export async function readInstanceLog({
  actor,
  input,
}: {
  actor: Actor | null;
  input: { name: string; instanceId?: string };
}): Promise<InstanceLog> {
  requireRole(actor, "deployer");
  if (input.instanceId !== undefined && !/^i-[0-9a-f]{8,17}$/.test(input.instanceId)) {
    throw new ServiceError("VALIDATION_FAILED", "instanceId: an instance id looks like i-0123456789abcdef0", {
      instanceId: ["An instance id looks like i-0123456789abcdef0"],
    });
  }
  const { env, spec } = await requireEnvironment(input.name);
  if (!env.stack) throw new ServiceError("PRECONDITION_FAILED", `${input.name} is not provisioned: it has no instances.`);
  return instanceLog({ accountId: env.accountId, envId: env.id, spec, liveSlot: env.liveSlot as Slot, instanceId: input.instanceId });
}
