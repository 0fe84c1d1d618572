import type { Actor } from "../auth/actor.ts";
import { db, type Tx } from "../db/client.ts";
import { redact } from "./redact.ts";

export interface AuditTarget {
  type: string;
  id?: string | null;
  label?: string | null;
}

/** Writes one audit event inside the caller's transaction, so the change and its record land together. */
export async function recordAudit(
  tx: Tx,
  actor: Actor,
  action: string,
  target: AuditTarget,
  change: { before?: unknown; after?: unknown } = {},
) {
  await tx.auditEvent.create({
    data: {
      actorKind: actor.kind,
      actorId: actor.id,
      actorLabel: actor.label,
      action,
      targetType: target.type,
      targetId: target.id ?? null,
      targetLabel: target.label ?? null,
      before: change.before === undefined ? undefined : (redact(change.before) as object),
      after: change.after === undefined ? undefined : (redact(change.after) as object),
    },
  });
}

/** Writes one audit event in a transaction of its own, when the change itself happened elsewhere (AWS, a library's own write). */
export async function recordAuditAlone(
  actor: Actor,
  action: string,
  target: AuditTarget,
  change: { before?: unknown; after?: unknown } = {},
) {
  await db.$transaction((tx) => recordAudit(tx, actor, action, target, change));
}
