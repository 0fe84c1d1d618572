/**
 * Where operations announce themselves: thin adapters from the timeline, finishOperation,
 * the canary judge, the drift check and the dashboards' alarm reads to the one emitEvent.
 * Each event key is derived from what happened (deployment, step, status, attempt), so a
 * retried workflow step emits nothing twice.
 */
import { createHash } from "node:crypto";
import { db } from "../db/client.ts";
import { logger } from "../log.ts";
import { emitEvent } from "./emit.ts";
import type { NotificationEvent } from "./events.ts";

async function hasChannels(environmentId: string) {
  return (await db.notificationChannel.count({ where: { environmentId, deletedAt: null, enabled: true } })) > 0;
}

async function operation(deploymentId: string) {
  const d = await db.deployment.findUnique({ where: { id: deploymentId } });
  if (!d || !(await hasChannels(d.environmentId))) return null;
  const deployment: NotificationEvent["deployment"] = {
    id: d.id,
    kind: d.kind,
    status: d.status,
    fromVersion: d.fromVersion,
    toVersion: d.toVersion,
    startedBy: d.startedBy,
  };
  return { d, deployment, what: operationLabel(d) };
}

function operationLabel(d: { kind: string; toVersion: string | null; strategy: string | null }) {
  if (d.kind === "rollout") return `Rollout of ${d.toVersion}${d.strategy ? ` (${d.strategy})` : ""}`;
  if (d.kind === "rollback") return `Rollback to ${d.toVersion}`;
  return d.kind === "provision" ? "Provisioning" : d.kind === "teardown" ? "Teardown" : d.kind;
}

const guard = async (what: string, fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (e) {
    logger.warn("notification event skipped", { what, error: (e as Error).message });
  }
};

/** After a timeline write: the operation started, a step finished, or approval is awaited. */
export const notifyTimeline = (deploymentId: string, key: string) =>
  guard("timeline", async () => {
    const op = await operation(deploymentId);
    if (!op) return;
    const step = await db.deploymentStep.findUnique({ where: { deploymentId_key: { deploymentId, key } } });
    if (!step) return;
    const base = { environmentId: op.d.environmentId, deployment: op.deployment };
    if (step.status === "running" || step.status === "waiting" || step.status === "succeeded")
      await emitEvent({
        ...base,
        type: "deployment.started",
        key: `${deploymentId}:started`,
        summary: `${op.what} started by ${op.d.startedBy}`,
      });
    if (key === "approval" && step.status === "running")
      await emitEvent({
        ...base,
        type: "deployment.approval_needed",
        key: `${deploymentId}:approval`,
        summary: `${op.what} by ${op.d.startedBy} waits for approval by another deployer`,
      });
    if (step.status === "succeeded" || step.status === "failed")
      await emitEvent({
        ...base,
        type: "deployment.step",
        key: `${deploymentId}:step:${key}:${step.status}:${step.attempts}`,
        summary: `${op.what}: ${step.label} ${step.status}${step.error ? `: ${step.error}` : ""}`,
        data: { step: { key, label: step.label, status: step.status, attempts: step.attempts, error: step.error } },
      });
  });

/** After finishOperation: finished, and an automatic rollback said as such. */
export const notifyFinished = (deploymentId: string) =>
  guard("finished", async () => {
    const op = await operation(deploymentId);
    if (!op) return;
    const base = { environmentId: op.d.environmentId, deployment: op.deployment };
    const status = op.d.status.replace(/_/g, " ");
    await emitEvent({
      ...base,
      type: "deployment.finished",
      key: `${deploymentId}:finished`,
      summary: `${op.what} ${status}${op.d.reason ? `: ${op.d.reason}` : ""}`,
      data: { status: op.d.status, reason: op.d.reason },
    });
    if (op.d.kind === "rollout" && op.d.status === "rolled_back")
      await emitEvent({
        ...base,
        type: "deployment.auto_rollback",
        key: `${deploymentId}:auto_rollback`,
        summary: `${op.what} rolled back by itself${op.d.reason ? `: ${op.d.reason}` : ""}`,
        data: { reason: op.d.reason },
      });
  });

/** After the canary judge decided a step (each bake round's verdict once). */
export const notifyVerdict = (deploymentId: string, key: string, verdict: { outcome: string; rule: string }, windowEnd: string) =>
  guard("verdict", async () => {
    const op = await operation(deploymentId);
    if (!op) return;
    await emitEvent({
      environmentId: op.d.environmentId,
      deployment: op.deployment,
      type: "deployment.verdict",
      key: `${deploymentId}:verdict:${key}:${windowEnd}`,
      summary: `${op.what} at ${key.replace("shift-", "")}%: ${verdict.outcome} (${verdict.rule})`,
      data: { step: key, verdict },
    });
  });

/** After a drift check that found differences (the same drift is announced once a day). */
export const notifyDrift = (environmentId: string, drift: Array<{ path: string; expected: unknown; actual: unknown }>) =>
  guard("drift", async () => {
    if (!drift.length || !(await hasChannels(environmentId))) return;
    const digest = createHash("sha256").update(JSON.stringify(drift)).digest("hex").slice(0, 16);
    await emitEvent({
      environmentId,
      type: "drift.detected",
      key: `drift:${environmentId}:${digest}:${new Date().toISOString().slice(0, 10)}`,
      summary: `Drift: ${drift.length} difference(s) from the spec (${drift
        .slice(0, 3)
        .map((d) => d.path)
        .join(", ")}${drift.length > 3 ? ", …" : ""})`,
      data: { drift },
    });
  });

/** Whenever alarm states are read: each transition (name, state, time of change) is announced once. */
export const notifyAlarms = (
  environmentId: string,
  alarms: Array<{ name: string; state: string; reason: string | null; updatedAt: string | null }>,
) =>
  guard("alarms", async () => {
    if (!alarms.length || !(await hasChannels(environmentId))) return;
    for (const a of alarms) {
      if (!a.updatedAt) continue;
      await emitEvent({
        environmentId,
        type: "alarm.state_changed",
        key: `alarm:${environmentId}:${a.name}:${a.state}:${a.updatedAt}`,
        occurredAt: new Date(a.updatedAt),
        summary: `Alarm ${a.name} is ${a.state}${a.reason ? `: ${a.reason}` : ""}`,
        data: { alarm: a },
      });
    }
  });
