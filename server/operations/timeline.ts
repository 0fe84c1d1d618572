import { db } from "../db/client.ts";
import { notifyTimeline } from "../notifications/notify.ts";

/**
 * What workflow steps write to the timeline. Steps run at least once, so every write is an
 * idempotent update keyed by (deployment, step key): a retried step bumps `attempts` and
 * lands on the same row.
 */
export interface Touched {
  type: string;
  id: string;
  action: "created" | "found" | "updated" | "deleted" | "kept";
}

export async function stepStarted(deploymentId: string, key: string) {
  await db.deploymentStep.updateMany({
    where: { deploymentId, key },
    // A retry starts a new attempt: its clock restarts and the last attempt's end no longer counts.
    data: { status: "running", startedAt: new Date(), finishedAt: null, attempts: { increment: 1 }, error: null },
  });
  // The first step to start marks the operation running.
  await db.deployment.updateMany({ where: { id: deploymentId, status: "pending" }, data: { status: "running", startedAt: new Date() } });
  await notifyTimeline(deploymentId, key);
}

/** A poll's result: the first poll starts the step's clock; each records what it saw. */
export async function stepPolled(deploymentId: string, key: string, done: boolean, detail: unknown) {
  await db.deploymentStep.updateMany({ where: { deploymentId, key, startedAt: null }, data: { startedAt: new Date(), attempts: 1 } });
  await db.deploymentStep.updateMany({
    where: { deploymentId, key },
    data: { status: done ? "succeeded" : "waiting", detail: detail as object, ...(done ? { finishedAt: new Date() } : {}) },
  });
  await notifyTimeline(deploymentId, key);
}

export async function stepSucceeded(deploymentId: string, key: string, detail?: unknown) {
  await db.deploymentStep.updateMany({
    where: { deploymentId, key },
    data: { status: "succeeded", finishedAt: new Date(), ...(detail === undefined ? {} : { detail: detail as object }) },
  });
  await notifyTimeline(deploymentId, key);
}

export async function stepFailed(deploymentId: string, key: string, error: string) {
  await db.deploymentStep.updateMany({ where: { deploymentId, key }, data: { status: "failed", finishedAt: new Date(), error } });
  await notifyTimeline(deploymentId, key);
}

export async function stepsSkipped(deploymentId: string, keys: string[]) {
  await db.deploymentStep.updateMany({ where: { deploymentId, key: { in: keys }, status: "pending" }, data: { status: "skipped" } });
}

/** Ends an operation's timeline: steps still running or waiting failed with `reason`; pending ones skipped. */
export async function closeOpenSteps(deploymentId: string, reason: string) {
  await db.deploymentStep.updateMany({
    where: { deploymentId, status: { in: ["running", "waiting"] } },
    data: { status: "failed", finishedAt: new Date(), error: reason },
  });
  await db.deploymentStep.updateMany({ where: { deploymentId, status: "pending" }, data: { status: "skipped" } });
}
