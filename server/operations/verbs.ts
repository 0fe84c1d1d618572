import { resumeHook, start } from "workflow/api";
import { personOf, requireRole, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { requireEnvironment } from "../environments/load.ts";
import { ServiceError } from "../errors.ts";
import { provisionWorkflow } from "../workflows/provision.ts";
import { rollbackWorkflow } from "../workflows/rollback.ts";
import { rolloutWorkflow } from "../workflows/rollout.ts";
import { teardownWorkflow } from "../workflows/teardown.ts";
import { approvalToken, abortToken, holdToken } from "../workflows/tokens.ts";
import { getOperation } from "./queries.ts";
import { finishOperation } from "./finish.ts";
import { createOperation } from "./start.ts";

/**
 * The verbs that start durable operations. Each creates the operation (role check, the
 * environment's lock, planned steps, audit) and then starts its workflow; if the workflow
 * cannot be started the lock is released so nothing is left half-begun.
 */
async function launch(
  actor: Actor,
  name: string,
  kind: "provision" | "rollout" | "rollback" | "teardown",
  extra: { version?: string; strategy?: string; skipFinalSnapshot?: unknown } = {},
) {
  const { deployment } = await createOperation({ actor, input: { name, kind, ...extra } });
  try {
    const workflows: Record<typeof kind, (deploymentId: string) => Promise<unknown>> = {
      provision: provisionWorkflow,
      rollout: rolloutWorkflow,
      rollback: rollbackWorkflow,
      teardown: teardownWorkflow,
    };
    const run = await start(workflows[kind], [deployment.id]);
    await db.deployment.update({ where: { id: deployment.id }, data: { runId: run.runId } });
  } catch (e) {
    await finishOperation(deployment.id, { status: "failed", reason: `Could not start: ${(e as Error).message}` });
    throw e;
  }
  return getOperation({ actor, input: { name, id: deployment.id } });
}

export const startProvision = ({ actor, input }: { actor: Actor; input: { name: string } }) => launch(actor, input.name, "provision");
/** Tears an environment down; its database leaves a final snapshot unless `skipFinalSnapshot` (audited). */
export const startTeardown = ({ actor, input }: { actor: Actor; input: { name: string; skipFinalSnapshot?: unknown } }) =>
  launch(actor, input.name, "teardown", { skipFinalSnapshot: input.skipFinalSnapshot });
export const startRollback = ({ actor, input }: { actor: Actor; input: { name: string } }) => launch(actor, input.name, "rollback");
export const startRollout = ({ actor, input }: { actor: Actor; input: { name: string; version: string; strategy?: string } }) =>
  launch(actor, input.name, "rollout", { version: input.version, strategy: input.strategy });

/**
 * Approves a protected rollout. Four eyes: the approver is a person other than the starter,
 * compared by user id (an API token counts as the user who created it), whether each came
 * through a session or a token.
 */
export async function approveRollout({ actor, input }: { actor: Actor; input: { name: string; id: string } }) {
  requireRole(actor, "deployer");
  const op = await getOperation({ actor, input });
  if (op.status !== "awaiting_approval")
    throw new ServiceError("PRECONDITION_FAILED", `This deployment is ${op.status.replace(/_/g, " ")}, not awaiting approval.`);
  const approverId = personOf(actor);
  // A canary step held on an undecided verdict (bake.ts): any deployer decides; approve continues the rollout.
  const held = op.steps.find(
    (s) => s.status === "waiting" && (s.detail as { bake?: { phase?: string } } | null)?.bake?.phase === "holding",
  );
  const { startedById } = await db.deployment.findUniqueOrThrow({ where: { id: op.id }, select: { startedById: true } });
  const startedIt = op.startedBy === actor.label || (approverId !== null && startedById === approverId);
  if (held) {
    // Continuing an undecided step promotes a version no judge passed: on a protected
    // environment that takes four eyes too.
    if (startedIt && (await requireEnvironment(input.name)).spec.protected) {
      throw new ServiceError(
        "FORBIDDEN",
        "Another person must continue an undecided step on a protected environment: you started this rollout.",
      );
    }
    return continueHeldStep(actor, input, op.id, held.key, approverId);
  }
  if (startedIt) {
    throw new ServiceError("FORBIDDEN", "Another person must approve: you started this rollout (directly or with one of your API tokens).");
  }
  // The workflow marks the approval step running once its hook is registered; before that there is nothing to resume.
  if (op.steps.find((s) => s.key === "approval")?.status !== "running")
    throw new ServiceError("CONFLICT", "The rollout is still starting; approve again in a moment.");
  await db.$transaction(async (tx) => {
    const updated = await tx.deployment.updateMany({
      where: { id: op.id, status: "awaiting_approval" },
      data: { approvedBy: actor.label, approvedById: approverId, status: "running" },
    });
    if (updated.count === 0) throw new ServiceError("CONFLICT", "Someone else approved or cancelled it first.");
    await recordAudit(
      tx,
      actor,
      "deployment.approve",
      { type: "deployment", id: op.id, label: input.name },
      { after: { approvedBy: actor.label } },
    );
  });
  await resumeHook(approvalToken(op.id), { approvedBy: actor.label });
  return getOperation({ actor, input });
}

async function continueHeldStep(actor: Actor, input: { name: string; id: string }, id: string, key: string, approverId: string | null) {
  await db.$transaction(async (tx) => {
    const updated = await tx.deployment.updateMany({ where: { id, status: "awaiting_approval" }, data: { status: "running" } });
    if (updated.count === 0) throw new ServiceError("CONFLICT", "Someone else decided first.");
    await recordAudit(
      tx,
      actor,
      "deployment.approve",
      { type: "deployment", id, label: input.name },
      { after: { continuedUndecidedStep: key, by: actor.label, byId: approverId } },
    );
  });
  await resumeHook(holdToken(id, key), { approvedBy: actor.label });
  return getOperation({ actor, input });
}

/** Cancels a running rollout: its workflow rolls back and ends as cancelled. */
export async function cancelOperation({ actor, input }: { actor: Actor; input: { name: string; id: string } }) {
  requireRole(actor, "deployer");
  const op = await getOperation({ actor, input });
  if (op.kind !== "rollout") throw new ServiceError("PRECONDITION_FAILED", "Only rollouts can be cancelled (they roll back).");
  if (!["running", "awaiting_approval", "pending"].includes(op.status))
    throw new ServiceError("PRECONDITION_FAILED", `This deployment is already ${op.status.replace(/_/g, " ")}.`);
  await db.$transaction((tx) => recordAudit(tx, actor, "deployment.cancel", { type: "deployment", id: op.id, label: input.name }));
  await resumeHook(abortToken(op.id), { by: actor.label });
  return getOperation({ actor, input });
}
