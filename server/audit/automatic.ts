import type { Actor } from "../auth/actor.ts";
import type { Tx } from "../db/client.ts";
import { recordAudit, type AuditTarget } from "./record.ts";

/** Switchyard acting on its own (an automatic rollback, a rolled-back rollout, a failed operation): the audit log's actor. */
export const switchyardActor: Actor = { kind: "system", id: null, label: "switchyard", role: "admin" };

/**
 * Records what Switchyard did by itself, with its reason, in the caller's transaction: an
 * automatic rollback appears in the audit log beside the people's actions, saying why.
 */
export async function recordAutomatic(tx: Tx, action: string, target: AuditTarget, reason: string, detail: Record<string, unknown> = {}) {
  await recordAudit(tx, switchyardActor, action, target, { after: { reason, ...detail } });
}

/** The audit action for an operation that ended without succeeding, or null when there is nothing automatic to record. */
export function automaticActionOf(kind: string, status: string): string | null {
  if (status === "rolled_back") return `${kind}.rolled_back`;
  if (status === "failed") return `${kind}.failed`;
  return null;
}
