import { requireRole, type Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  before?: string;
  limit?: number;
}

/** Newest first, filtered by actor, action prefix and target; paged by time. */
export async function listAuditEvents({ actor, input = {} }: { actor: Actor; input?: AuditFilter }) {
  requireRole(actor, "viewer");
  const limit = Math.min(Math.max(input.limit ?? 50, 1), 200);
  const before = input.before ? new Date(input.before) : undefined;
  const rows = await db.auditEvent.findMany({
    where: {
      actorLabel: input.actor ? { contains: input.actor, mode: "insensitive" } : undefined,
      action: input.action ? { startsWith: input.action } : undefined,
      targetLabel: input.target ? { contains: input.target, mode: "insensitive" } : undefined,
      at: before && !Number.isNaN(before.getTime()) ? { lt: before } : undefined,
    },
    orderBy: { at: "desc" },
    take: limit + 1,
  });
  return { events: rows.slice(0, limit), nextBefore: rows.length > limit ? rows[limit - 1].at.toISOString() : null };
}

export async function auditActions() {
  const rows = await db.auditEvent.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } });
  return rows.map((r) => r.action);
}
