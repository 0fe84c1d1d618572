import { requireRole, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { environmentRow } from "./load.ts";

/**
 * Marks an environment deleted (its history stays; its name becomes free). Tearing down
 * real AWS resources is the teardown workflow's job, which comes with provisioning.
 */
export async function deleteEnvironment({ actor, input }: { actor: Actor; input: { name: string } }) {
  requireRole(actor, "admin");
  return db.$transaction(async (tx) => {
    const env = await environmentRow(input.name, tx);
    const deleted = await tx.environment.update({
      where: { id: env.id },
      data: { deletedAt: new Date(), activeName: null, status: "deleted" },
    });
    await recordAudit(
      tx,
      actor,
      "environment.delete",
      { type: "environment", id: env.id, label: env.name },
      { before: { status: env.status }, after: { status: "deleted" } },
    );
    return deleted;
  });
}
