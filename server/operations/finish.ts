import { automaticActionOf, recordAutomatic } from "../audit/automatic.ts";
import { db } from "../db/client.ts";
import { notifyFinished } from "../notifications/notify.ts";

/** Ends an operation: final status, reason, and the environment's lock released. */
export async function finishOperation(
  deploymentId: string,
  outcome: { status: "succeeded" | "failed" | "rolled_back" | "cancelled"; reason?: string; environment?: Record<string, unknown> },
) {
  await db.$transaction(async (tx) => {
    const d = await tx.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    await tx.deployment.update({
      where: { id: d.id },
      data: { status: outcome.status, reason: outcome.reason ?? null, finishedAt: new Date() },
    });
    await tx.environment.updateMany({
      where: { id: d.environmentId, lockDeploymentId: d.id },
      data: { lockDeploymentId: null, ...(outcome.environment ?? {}) },
    });
    // Switchyard's own decisions (an automatic rollback, a failure) are in the audit log too, with their reason.
    const automatic = automaticActionOf(d.kind, outcome.status);
    if (automatic && d.status !== outcome.status) {
      const env = await tx.environment.findUnique({ where: { id: d.environmentId }, select: { name: true } });
      await recordAutomatic(tx, automatic, { type: "deployment", id: d.id, label: env?.name ?? null }, outcome.reason ?? outcome.status, {
        fromVersion: d.fromVersion,
        toVersion: d.toVersion,
        startedBy: d.startedBy,
      });
    }
  });
  await notifyFinished(deploymentId);
}
