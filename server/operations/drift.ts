import { requireRole, type Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { driftCheck, readStack } from "../provisioning/index.ts";
import { versionDrift } from "../provisioning/drift.ts";
import { accountOf } from "../accounts/account-ref.ts";
import { awsClients } from "../aws/clients.ts";
import { adoptedDrift } from "../adopt/drift.ts";
import { adoptedOf } from "../adopt/record.ts";
import { notifyDrift } from "../notifications/notify.ts";
import { requireEnvironment } from "../environments/load.ts";

/** Reads the real stack back from AWS and lists what differs from the current spec. */
export async function checkDrift({ actor, input }: { actor: Actor; input: { name: string } }) {
  requireRole(actor, "viewer");
  const { env, spec } = await requireEnvironment(input.name);
  if (!env.stack) throw new ServiceError("PRECONDITION_FAILED", `${input.name} is not provisioned: there is nothing to compare.`);
  const stack = await readStack({ accountId: env.accountId, envId: env.id, spec });
  // An adopted stack is checked against what was adopted (it was not built from the spec).
  const adopted = adoptedOf(env.adopted);
  const drift = adopted
    ? await adoptedDrift(awsClients(await accountOf(env.accountId), env.region), adopted, spec, stack, { liveVersion: env.liveVersion })
    : driftCheck(spec, stack, { liveVersion: env.liveVersion });
  // The spec names a version a rollback took off the fleet: say so (the spec is not what runs).
  const last = await db.deployment.findFirst({
    where: { environmentId: env.id, kind: { in: ["rollout", "rollback"] }, finishedAt: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: { kind: true, status: true },
  });
  const afterRollback = !!last && (last.kind === "rollback" ? last.status === "succeeded" : last.status === "rolled_back");
  drift.push(...versionDrift(spec.app.version, { version: env.liveVersion, afterRollback }));
  await notifyDrift(env.id, drift);
  return { checkedAt: new Date().toISOString(), specVersion: env.currentVersion, drift };
}
