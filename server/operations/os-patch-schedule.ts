/**
 * Scheduled Patch OS. An environment whose spec says `osPatching: { schedule: "weekly", day,
 * hourUtc }` gets the newest Amazon Linux 2023 image rolled out (patchOs: the normal judged
 * rollout of its live version) in that hour of that day, when a newer image exists.
 *
 * How it runs: there is no separate scheduler process. Every Switchyard server checks every
 * 10 minutes (started in instrumentation.ts). Replicas agree through PostgreSQL: the patch starts
 * an operation under the environment's lock (a second replica gets a conflict and moves on), and
 * an environment patched by the schedule in the last 6 days is not patched again that week. A
 * window missed because no server ran in that hour waits for the next week (or "Patch OS" by hand).
 */
import { systemActor } from "../auth/actor.ts";
import { db } from "../db/client.ts";
import { storedSpec } from "../environments/load.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { ServiceError } from "../errors.ts";
import { logger } from "../log.ts";
import { patchOs } from "./patch-os.ts";

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const CHECK_EVERY_MS = 10 * 60_000;

/** Whether `now` falls in a weekly window (its hour, UTC). Pure, for tests. */
export function inWindow(osPatching: EnvironmentSpec["osPatching"], now: Date): boolean {
  if (osPatching?.schedule !== "weekly") return false;
  return DAYS[now.getUTCDay()] === osPatching.day && now.getUTCHours() === osPatching.hourUtc;
}

/** One pass: starts Patch OS on every environment in its window with a newer image. Returns the names started. */
export async function runScheduledOsPatches(now = new Date()): Promise<string[]> {
  const envs = await db.environment.findMany({ where: { deletedAt: null, lockDeploymentId: null } });
  const started: string[] = [];
  for (const env of envs) {
    if (!env.activeName || !env.stack) continue;
    const row = await db.environmentSpecVersion.findUnique({
      where: { environmentId_version: { environmentId: env.id, version: env.currentVersion } },
    });
    const spec = row ? storedSpec(row.spec) : null;
    if (!spec || !inWindow(spec.osPatching, now)) continue;
    const recent = await db.auditEvent.count({
      where: {
        action: "environment.patch_os",
        targetId: env.id,
        actorKind: "system",
        at: { gt: new Date(now.getTime() - 6 * 86_400_000) },
      },
    });
    if (recent > 0) continue;
    try {
      await patchOs({ actor: systemActor, input: { name: env.activeName } });
      started.push(env.activeName);
    } catch (e) {
      // Already on the newest image, or busy: nothing to do this time.
      if (!(e instanceof ServiceError)) logger.error("scheduled Patch OS failed", { environment: env.activeName, error: String(e) });
    }
  }
  return started;
}

let timer: NodeJS.Timeout | null = null;

export function startOsPatchScheduler(): void {
  if (timer) return;
  timer = setInterval(
    () => void runScheduledOsPatches().catch((e) => logger.error("Patch OS schedule pass failed", { error: String(e) })),
    CHECK_EVERY_MS,
  );
  timer.unref();
}
