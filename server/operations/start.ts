import { z } from "zod";
import { personOf, requireRole, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { ServiceError, validationError } from "../errors.ts";
import { namesOf } from "../provisioning/context.ts";
import { planSteps, type OperationKind } from "./plan.ts";
import { requireEnvironment } from "../environments/load.ts";

/** Who may start what: provisioning and teardown create or destroy infrastructure. */
export const REQUIRED_ROLE = { provision: "admin", teardown: "admin", rollout: "deployer", rollback: "deployer" } as const;

export const rolloutInput = z.object({
  version: z
    .string()
    .trim()
    .min(1, "Enter the version to roll out")
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/, "Letters, digits, dots, hyphens, underscores, plus"),
  strategy: z.enum(["all-at-once", "canary"]).optional(),
});

/**
 * Creates an operation row with its planned steps and takes the environment's lock in the
 * same transaction: a second operation on the same environment gets CONFLICT (409). The
 * caller then starts the workflow and records its run id.
 */
export const teardownInput = z.object({
  // Skipping the final snapshot loses the data for good: an explicit choice, recorded in the audit log.
  skipFinalSnapshot: z.boolean({ message: "skipFinalSnapshot must be true or false" }).optional(),
});

export async function createOperation({
  actor,
  input,
}: {
  actor: Actor;
  input: { name: string; kind: OperationKind; version?: string; strategy?: string; skipFinalSnapshot?: unknown };
}) {
  requireRole(actor, REQUIRED_ROLE[input.kind]);
  let rollout: z.infer<typeof rolloutInput> | null = null;
  if (input.kind === "rollout") {
    const parsed = rolloutInput.safeParse({ version: input.version, strategy: input.strategy });
    if (!parsed.success) throw validationError(parsed.error.issues);
    rollout = parsed.data;
  }
  let skipFinalSnapshot = false;
  if (input.kind === "teardown") {
    const parsed = teardownInput.safeParse({ skipFinalSnapshot: input.skipFinalSnapshot });
    if (!parsed.success) throw validationError(parsed.error.issues);
    skipFinalSnapshot = parsed.data.skipFinalSnapshot ?? false;
  }
  return db.$transaction(async (tx) => {
    const { env, spec } = await requireEnvironment(input.name, tx);
    const rows = await tx.$queryRaw<
      Array<{ lockDeploymentId: string | null }>
    >`SELECT "lockDeploymentId" FROM environment WHERE id = ${env.id} FOR UPDATE`;
    if (rows[0]?.lockDeploymentId) {
      const running = await tx.deployment.findUnique({ where: { id: rows[0].lockDeploymentId } });
      throw new ServiceError(
        "CONFLICT",
        `${input.name} is busy: a ${running?.kind ?? "operation"} started by ${running?.startedBy ?? "someone"} is in progress. Wait for it or cancel it.`,
      );
    }
    if (input.kind === "teardown" && spec.protected) {
      throw new ServiceError(
        "PRECONDITION_FAILED",
        `${input.name} is protected: teardown is refused${spec.database ? " and its database has deletion protection" : ""}. Lift protection first (edit the environment, turn off "Protected", save), then tear down.`,
      );
    }
    // Named once, here, so the audit log, the timeline and the snapshot itself agree.
    const finalSnapshot =
      input.kind === "teardown" && spec.database && !skipFinalSnapshot
        ? namesOf({ name: env.name, namePrefix: env.namePrefix }).finalSnapshot(new Date())
        : null;
    // An adopted stack was built by its team: Switchyard neither provisions it nor tears it down (it forgets it).
    if (env.adopted !== null && (input.kind === "provision" || input.kind === "teardown"))
      throw new ServiceError(
        "PRECONDITION_FAILED",
        `${input.name} was adopted: Switchyard does not ${input.kind === "provision" ? "provision" : "delete"} what it did not create.` +
          (input.kind === "teardown" ? " Forget it instead (its resources stay in place)." : ""),
      );
    const provisioned = env.status !== "draft" && env.status !== "deleted" && env.stack !== null;
    if (input.kind === "provision" && provisioned && env.status !== "failed")
      throw new ServiceError("PRECONDITION_FAILED", `${input.name} is already provisioned; roll out a version instead.`);
    if ((input.kind === "rollout" || input.kind === "rollback") && !provisioned)
      throw new ServiceError("PRECONDITION_FAILED", `${input.name} is not provisioned yet: provision it first.`);
    if (input.kind === "rollback" && !env.previousVersion)
      throw new ServiceError("PRECONDITION_FAILED", `${input.name} has no previous version to roll back to.`);

    const idle = env.liveSlot === "blue" ? "green" : "blue";
    const warm = input.kind === "rollback" && env.warmUntil !== null && env.warmUntil > new Date();
    const strategy = rollout?.strategy ?? spec.rollout.strategy;
    // A rollout inside the rollback window fills the slot that holds the warm previous fleet:
    // that fleet is replaced, and rollback to its version is no longer one listener change.
    const replacesWarm =
      input.kind === "rollout" && env.warmUntil !== null && env.warmUntil > new Date() && env.previousVersion ? env.previousVersion : null;
    const steps = planSteps(input.kind, {
      database: spec.database !== null,
      cache: Boolean(spec.cache),
      cloudfront: spec.cloudfront,
      canarySteps: strategy === "canary" ? spec.rollout.canarySteps : [100],
      warmRollback: warm,
      protectedEnv: spec.protected,
      replacesWarm: replacesWarm ? { previous: replacesWarm, next: rollout!.version } : undefined,
      egress: spec.network.egress,
      finalSnapshot,
    });
    const deployment = await tx.deployment.create({
      data: {
        environmentId: env.id,
        kind: input.kind,
        strategy: input.kind === "rollout" ? strategy : null,
        fromVersion: env.liveVersion,
        toVersion:
          input.kind === "rollout"
            ? rollout!.version
            : input.kind === "rollback"
              ? env.previousVersion
              : input.kind === "provision"
                ? spec.app.version
                : null,
        fromSlot: input.kind === "provision" ? null : env.liveSlot,
        toSlot: input.kind === "rollout" || input.kind === "rollback" ? idle : input.kind === "provision" ? "blue" : null,
        specVersion: env.currentVersion,
        startedBy: actor.label,
        startedById: personOf(actor),
        status: spec.protected && input.kind === "rollout" ? "awaiting_approval" : "pending",
        finalSnapshot,
        steps: { create: steps.map((s, i) => ({ key: s.key, label: s.label, position: i })) },
      },
    });
    await tx.environment.update({
      where: { id: env.id },
      data: {
        lockDeploymentId: deployment.id,
        status: input.kind === "provision" ? "provisioning" : input.kind === "teardown" ? "tearing_down" : env.status,
      },
    });
    await recordAudit(
      tx,
      actor,
      `deployment.${input.kind}`,
      { type: "environment", id: env.id, label: env.name },
      {
        after: {
          deploymentId: deployment.id,
          version: deployment.toVersion,
          strategy: deployment.strategy,
          ...(replacesWarm ? { replacesWarmFleet: replacesWarm } : {}),
          ...(input.kind === "teardown" && spec.database ? { finalSnapshot, skipFinalSnapshot } : {}),
        },
      },
    );
    return { deployment, environment: env, spec };
  });
}
