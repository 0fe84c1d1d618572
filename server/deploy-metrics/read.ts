import { z } from "zod";
import { requireRole, type Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";
import { validationError } from "../errors.ts";
import { computeDeployMetrics, type OperationRecord } from "./compute.ts";
import { listGameDays } from "./game-days.ts";
import { environmentRow } from "../environments/load.ts";

export const deployMetricsInput = z.object({
  days: z.coerce
    .number({ message: "days must be 7, 30 or 90" })
    .refine((d) => d === 7 || d === 30 || d === 90, "days must be 7, 30 or 90")
    .default(30),
  environment: z.string().trim().min(1).max(64).optional(),
});

export type DeployMetrics = Awaited<ReturnType<typeof readDeployMetrics>>;

/**
 * Deploy metrics over the last 7, 30 or 90 days, for one environment (by name) or all of
 * them, with the drills of the same window as game days. Any signed-in role may read them.
 */
export async function readDeployMetrics({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "viewer");
  const parsed = deployMetricsInput.safeParse(input ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { days, environment } = parsed.data;
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  let environmentId: string | undefined;
  if (environment) {
    environmentId = (await environmentRow(environment)).id;
  }
  const records = await loadRecords(from, environmentId);
  return {
    environment: environment ?? null,
    ...computeDeployMetrics(records, { days, to }),
    gameDays: await listGameDays({ from, to, environmentId }),
  };
}

/** Rollouts and rollbacks ending in the window or later (a rollback after the window still judges a rollout inside it). */
export async function loadRecords(from: Date, environmentId?: string): Promise<OperationRecord[]> {
  const rows = await db.deployment.findMany({
    where: {
      kind: { in: ["rollout", "rollback"] },
      finishedAt: { gte: from },
      ...(environmentId ? { environmentId } : {}),
    },
    include: {
      environment: { select: { name: true } },
      steps: { where: { key: { startsWith: "shift-" }, startedAt: { not: null } }, select: { startedAt: true } },
    },
    orderBy: { finishedAt: "asc" },
  });
  const envIds = [...new Set(rows.filter((r) => r.kind === "rollout").map((r) => r.environmentId))];
  const specs = await db.environmentSpecVersion.findMany({
    where: { environmentId: { in: envIds } },
    select: { environmentId: true, version: true, createdAt: true, spec: true },
    orderBy: { version: "asc" },
  });
  const byEnv = new Map<string, Map<number, { createdAt: Date; appVersion: string | null }>>();
  for (const s of specs) {
    const m = byEnv.get(s.environmentId) ?? new Map();
    m.set(s.version, { createdAt: s.createdAt, appVersion: (s.spec as { app?: { version?: string } }).app?.version ?? null });
    byEnv.set(s.environmentId, m);
  }
  return rows.map((r) => ({
    id: r.id,
    environmentId: r.environmentId,
    environmentName: r.environment.name,
    kind: r.kind,
    status: r.status,
    fromVersion: r.fromVersion,
    toVersion: r.toVersion,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
    firstShiftAt: r.steps.reduce<Date | null>((m, s) => (s.startedAt && (!m || s.startedAt < m) ? s.startedAt : m), null),
    specSavedAt: r.kind === "rollout" ? specSavedAt(byEnv.get(r.environmentId), r.specVersion, r.toVersion) : null,
    reason: r.reason,
  }));
}

/**
 * When the rolled-out version entered the spec: the first of the consecutive spec versions,
 * ending at the rollout's, that name this app version. Null when the rollout named a version
 * the spec did not (an API call with its own version): then the request is the change's start.
 */
function specSavedAt(
  versions: Map<number, { createdAt: Date; appVersion: string | null }> | undefined,
  at: number,
  appVersion: string | null,
) {
  let saved: Date | null = null;
  for (let v = at; versions?.get(v)?.appVersion === appVersion && appVersion !== null; v--) saved = versions.get(v)!.createdAt;
  return saved;
}
