import { requireRole, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { db, type Tx } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { diffSpecs, mergePatch } from "./diff.ts";
import { validateSpec } from "./validate.ts";
import { saveSpecVersion } from "./save-version.ts";
import { environmentRow, loadSpec } from "./load.ts";

/** Fields fixed once an environment has left draft: changing them means a new stack. */
const FIXED_AFTER_DRAFT = ["account", "region"] as const;

/**
 * Saves a new spec version. `input.spec` is a whole spec, or with `merge: true` a partial
 * one merged onto the current version (the API's PATCH). A save that changes nothing
 * stores nothing.
 */
export async function updateEnvironment({
  actor,
  input,
}: {
  actor: Actor;
  input: { name: string; spec: unknown; merge?: boolean; note?: string; restoredFrom?: number };
}) {
  requireRole(actor, "admin");
  return db.$transaction(async (tx) => {
    const { env, current } = await lockLive(tx, input.name);
    const candidate = input.merge ? mergePatch(current, input.spec) : input.spec;
    const { spec, accountId } = await validateSpec(candidate, { tx, existingId: env.id });
    if (spec.name !== env.name) {
      throw new ServiceError("VALIDATION_FAILED", "name: an environment's name cannot change", {
        name: ["The name cannot change; create a new environment instead"],
      });
    }
    if (env.status !== "draft") {
      for (const f of FIXED_AFTER_DRAFT) {
        if (spec[f] !== current[f])
          throw new ServiceError("VALIDATION_FAILED", `${f}: cannot change after provisioning`, {
            [f]: ["Cannot change once the environment is provisioned"],
          });
      }
    }
    const changes = diffSpecs(current, spec);
    if (changes.length === 0) return { environment: env, spec: current, version: env.currentVersion, changed: false };
    const { version, updated } = await saveSpecVersion(
      tx,
      env,
      spec,
      { createdBy: actor.label, note: input.note, restoredFrom: input.restoredFrom },
      { accountId, region: spec.region },
    );
    await recordAudit(
      tx,
      actor,
      input.restoredFrom ? "environment.restore" : "environment.update",
      { type: "environment", id: env.id, label: env.name },
      { before: current, after: spec },
    );
    return { environment: updated, spec, version, changed: true };
  });
}

/** Restores an old version by saving it as a new one (history stays append-only). */
export async function restoreSpecVersion({ actor, input }: { actor: Actor; input: { name: string; version: number } }) {
  requireRole(actor, "admin");
  const env = await environmentRow(input.name);
  const old = await db.environmentSpecVersion.findUnique({
    where: { environmentId_version: { environmentId: env.id, version: input.version } },
  });
  if (!old) throw new ServiceError("NOT_FOUND", `Environment "${input.name}" has no version ${input.version}.`);
  return updateEnvironment({
    actor,
    input: { name: input.name, spec: old.spec, note: `Restored from version ${input.version}`, restoredFrom: input.version },
  });
}

/** Reads the live environment and its current spec, locking the row so concurrent saves serialise. */
async function lockLive(tx: Tx, name: string) {
  const { id } = await environmentRow(name, tx);
  await tx.$queryRaw`SELECT id FROM environment WHERE id = ${id} FOR UPDATE`;
  // Read again under the lock: a concurrent save may have moved the current version meanwhile.
  const env = await tx.environment.findUniqueOrThrow({ where: { id } });
  const { spec } = await loadSpec(env.id, env.currentVersion, tx);
  return { env, current: spec };
}
