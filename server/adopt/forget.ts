import { requireRole, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { adoptedNames, adoptedOf } from "./record.ts";
import { environmentRow } from "../environments/load.ts";

/**
 * The teardown of an adopted environment: Switchyard forgets it and deletes nothing in AWS
 * (it did not create the stack). The record is marked deleted (its history stays, its name
 * becomes free) with an audit event listing what was left in place.
 */
export async function forgetAdopted({ actor, input }: { actor: Actor; input: { name: string } }) {
  requireRole(actor, "admin");
  return db.$transaction(async (tx) => {
    const env = await environmentRow(input.name, tx);
    const adopted = adoptedOf(env.adopted);
    if (!adopted) throw new ServiceError("PRECONDITION_FAILED", `${input.name} was not adopted: tear it down instead.`);
    const rows = await tx.$queryRaw<
      Array<{ lockDeploymentId: string | null }>
    >`SELECT "lockDeploymentId" FROM environment WHERE id = ${env.id} FOR UPDATE`;
    if (rows[0]?.lockDeploymentId)
      throw new ServiceError("CONFLICT", `${input.name} is busy with an operation: wait for it or cancel it, then forget it.`);
    await tx.environment.update({ where: { id: env.id }, data: { deletedAt: new Date(), activeName: null, status: "deleted" } });
    const kept = adoptedNames(adopted).filter((n, i, all) => all.indexOf(n) === i);
    await recordAudit(
      tx,
      actor,
      "environment.forget",
      { type: "environment", id: env.id, label: env.name },
      { before: { status: env.status, adopted }, after: { status: "deleted", keptInAws: kept } },
    );
    return { name: env.name, forgotten: true as const, keptInAws: kept };
  });
}

/** Whether the environment named `name` was adopted (teardown then only forgets). */
export async function isAdopted(name: string): Promise<boolean> {
  const env = await db.environment.findUnique({ where: { activeName: name }, select: { adopted: true } });
  return adoptedOf(env?.adopted) !== null;
}
