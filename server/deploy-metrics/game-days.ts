import { db } from "../db/client.ts";

export interface GameDay {
  id: string;
  at: string;
  environmentName: string | null;
  kind: string;
  by: string;
  message: string | null;
  /** From the failure's injection to AWS acting on it (Auto Scaling launching a replacement, RDS starting the failover). */
  detectionMs: number | null;
  /** From the injection to the stack whole again (the replacement in service, the failover completed). */
  recoveryMs: number | null;
}

const DRILL = "environment.drill.";

/**
 * Failure drills run in the window, read from the audit log (every drill is audited by
 * server/operations/drills.ts), newest first. Detection and recovery times are those the drill
 * recorded when it measured them (`after.detectionMs` / `after.recoveryMs`), else unknown.
 */
export async function listGameDays({ from, to, environmentId }: { from: Date; to: Date; environmentId?: string }): Promise<GameDay[]> {
  const rows = await db.auditEvent.findMany({
    where: { action: { startsWith: DRILL }, at: { gte: from, lte: to }, ...(environmentId ? { targetId: environmentId } : {}) },
    orderBy: { at: "desc" },
    take: 200,
  });
  return rows.map((r) => {
    const after = (r.after ?? {}) as { message?: unknown; detectionMs?: unknown; recoveryMs?: unknown };
    return {
      id: r.id,
      at: r.at.toISOString(),
      environmentName: r.targetLabel,
      kind: r.action.slice(DRILL.length),
      by: r.actorLabel,
      message: typeof after.message === "string" ? after.message : null,
      detectionMs: typeof after.detectionMs === "number" ? after.detectionMs : null,
      recoveryMs: typeof after.recoveryMs === "number" ? after.recoveryMs : null,
    };
  });
}
