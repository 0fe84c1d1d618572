import { db } from "../db/client.ts";
import { measureDrills } from "./measure-drills.ts";

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
 * server/operations/drills.ts), newest first, with detection and recovery times as recorded
 * (`after.detectionMs` / `after.recoveryMs`) or else measured from AWS's records.
 */
export async function listGameDays({ from, to, environmentId }: { from: Date; to: Date; environmentId?: string }): Promise<GameDay[]> {
  const rows = await db.auditEvent.findMany({
    where: { action: { startsWith: DRILL }, at: { gte: from, lte: to }, ...(environmentId ? { targetId: environmentId } : {}) },
    orderBy: { at: "desc" },
    take: 200,
  });
  const after = (r: (typeof rows)[number]) =>
    (r.after ?? {}) as { message?: unknown; detectionMs?: unknown; recoveryMs?: unknown; instanceId?: unknown };
  // Drills that did not record their times are measured from AWS's records (see measure-drills.ts).
  const times = await measureDrills(
    rows
      .filter((r) => typeof after(r).recoveryMs !== "number")
      .map((r) => ({
        id: r.id,
        environmentId: r.targetId,
        kind: r.action.slice(DRILL.length),
        at: r.at,
        instanceId: typeof after(r).instanceId === "string" ? (after(r).instanceId as string) : null,
      })),
  );
  return rows.map((r) => {
    const a = after(r);
    const m = times.get(r.id);
    return {
      id: r.id,
      at: r.at.toISOString(),
      environmentName: r.targetLabel,
      kind: r.action.slice(DRILL.length),
      by: r.actorLabel,
      message: typeof a.message === "string" ? a.message : null,
      detectionMs: typeof a.detectionMs === "number" ? a.detectionMs : (m?.detectionMs ?? null),
      recoveryMs: typeof a.recoveryMs === "number" ? a.recoveryMs : (m?.recoveryMs ?? null),
    };
  });
}
