/**
 * Patch OS: the newest Amazon Linux 2023 image goes out as a release of the SAME app version,
 * through the normal blue-green rollout (new launch template version with the new ImageId,
 * idle fleet filled and probed, canary steps judged, automatic and one-click rollback).
 *   - Amazon Linux 2023 environments built by Switchyard read the image from AWS's public SSM
 *     parameter when the launch template version is made, so the rollout itself takes the new one.
 *   - AMI-based environments (and adopted stacks, recorded as AMI-based) name their image in the
 *     spec: a new spec version with the new AMI id is saved first (audited), then rolled out;
 *     a new AMI id saved by a person is a release the same way.
 * Refused (412) when the live fleet already runs the newest image or is not Amazon Linux 2023.
 */
import { saveSpecVersion } from "../environments/save-version.ts";
import { requireRole, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { environmentWithSpec, readOsImages } from "./os-images.ts";
import { startRollout } from "./verbs.ts";

export async function patchOs({ actor, input }: { actor: Actor; input: { name: string; strategy?: string } }) {
  requireRole(actor, "deployer");
  const { env, spec } = await environmentWithSpec(input.name);
  if (!env.stack || !env.liveVersion)
    throw new ServiceError("PRECONDITION_FAILED", `${input.name} is not provisioned yet: there is no fleet to patch.`);
  if (env.lockDeploymentId) throw new ServiceError("CONFLICT", `${input.name} is busy with another operation: patch it when it ends.`);
  const images = await readOsImages({ ...env, spec });
  const live = images.fleets.find((f) => f.slot === images.liveSlot);
  if (!images.latest || !images.newerAvailable)
    throw new ServiceError(
      "PRECONDITION_FAILED",
      live?.name?.startsWith("al2023-ami-")
        ? `${input.name} already runs the newest Amazon Linux 2023 image (${live.imageId}, ${live.name}).`
        : `${input.name}'s live fleet runs ${live?.imageId ?? "no known image"}${live?.name ? ` (${live.name})` : ""}, not Amazon Linux 2023: Patch OS only moves Amazon Linux 2023 images. Roll out a new AMI id instead.`,
    );
  const to = images.latest;
  await db.$transaction(async (tx) => {
    if (spec.app.source.kind === "ami") {
      const next = { ...spec, app: { ...spec.app, source: { kind: "ami" as const, amiId: to.imageId } } };
      await saveSpecVersion(tx, env, next, { createdBy: actor.label, note: `Patch OS: ${live?.imageId} -> ${to.imageId}` });
      await recordAudit(
        tx,
        actor,
        "environment.update",
        { type: "environment", id: env.id, label: env.name },
        { before: spec, after: next },
      );
    }
    await recordAudit(
      tx,
      actor,
      "environment.patch_os",
      { type: "environment", id: env.id, label: env.name },
      { before: { imageId: live?.imageId, name: live?.name }, after: { imageId: to.imageId, name: to.name, appVersion: env.liveVersion } },
    );
  });
  const operation = await startRollout({ actor, input: { name: input.name, version: env.liveVersion, strategy: input.strategy } });
  return { operation, from: live ?? null, to };
}
