/**
 * Deploy metrics (DORA's four keys) from the operations history, as pure arithmetic so the
 * figures can be checked against a history with known answers:
 *   deploy frequency      promoted rollouts in the window, per day
 *   lead time             spec save (the spec version that set the rolled-out version) to live (promote)
 *   change failure rate   rollouts that rolled back, failed, or were rolled back by hand after going live,
 *                         over every rollout that ended (cancelled ones are neither)
 *   time to restore       from a bad release taking traffic (its first canary shift, or its promote when
 *                         rolled back by hand) to traffic back on a good one (the rollback's end, or the
 *                         next good release); failures that never took traffic cost no restore time
 */

export interface OperationRecord {
  id: string;
  environmentId: string;
  environmentName: string;
  kind: string;
  status: string;
  fromVersion: string | null;
  toVersion: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /** When the first traffic shift step started (rollouts); null when traffic never moved. */
  firstShiftAt: Date | null;
  /** When the spec version that set the rolled-out version was saved; null when unknown (the request itself counts). */
  specSavedAt: Date | null;
  reason: string | null;
}

export interface Incident {
  deploymentId: string;
  environmentName: string;
  version: string | null;
  cause: "auto-rollback" | "manual-rollback" | "failed";
  reason: string | null;
  startedAt: string;
  restoredAt: string | null;
  restoreMs: number | null;
}

export interface DeploySummary {
  deploys: number;
  deploysPerDay: number;
  endedRollouts: number;
  failedChanges: number;
  changeFailureRatePercent: number | null;
  leadTimeMedianMs: number | null;
  restoreMedianMs: number | null;
}

export interface DailyPoint {
  day: number;
  deploys: number;
  failures: number;
  leadTimeMedianMs: number | null;
  restoreMedianMs: number | null;
}

const DAY = 86_400_000;
const ENDED = new Set(["succeeded", "rolled_back", "failed"]);

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Each ended rollout in the window, whether it failed, and the incident it caused. */
function judgeRollouts(records: OperationRecord[], from: Date, to: Date) {
  const byEnv = new Map<string, OperationRecord[]>();
  for (const r of records) {
    if (r.kind !== "rollout" && r.kind !== "rollback") continue;
    const list = byEnv.get(r.environmentId) ?? [];
    list.push(r);
    byEnv.set(r.environmentId, list);
  }
  const out: Array<{ rollout: OperationRecord; failed: boolean; incident: Incident | null }> = [];
  for (const list of byEnv.values()) {
    list.sort((a, b) => (a.finishedAt ?? a.createdAt).getTime() - (b.finishedAt ?? b.createdAt).getTime());
    list.forEach((r, i) => {
      if (r.kind !== "rollout" || !ENDED.has(r.status) || !r.finishedAt) return;
      if (r.finishedAt < from || r.finishedAt > to) return;
      const later = list.slice(i + 1).filter((x) => x.status === "succeeded" && x.finishedAt);
      let failed = r.status !== "succeeded";
      let incident: Incident | null = null;
      const base = { deploymentId: r.id, environmentName: r.environmentName, version: r.toVersion, reason: r.reason };
      if (r.status === "succeeded") {
        // Rolled back by hand before any other release replaced it: the change failed in production.
        const next = later[0];
        if (next && next.kind === "rollback" && next.fromVersion === r.toVersion) {
          failed = true;
          incident = {
            ...base,
            cause: "manual-rollback",
            reason: next.reason,
            startedAt: r.finishedAt.toISOString(),
            restoredAt: next.finishedAt!.toISOString(),
            restoreMs: next.finishedAt!.getTime() - r.finishedAt.getTime(),
          };
        }
      } else if (r.firstShiftAt) {
        const restoredAt = r.status === "rolled_back" ? r.finishedAt : (later[0]?.finishedAt ?? null);
        incident = {
          ...base,
          cause: r.status === "rolled_back" ? "auto-rollback" : "failed",
          startedAt: r.firstShiftAt.toISOString(),
          restoredAt: restoredAt?.toISOString() ?? null,
          restoreMs: restoredAt ? restoredAt.getTime() - r.firstShiftAt.getTime() : null,
        };
      }
      out.push({ rollout: r, failed, incident });
    });
  }
  return out;
}

function summarise(judged: ReturnType<typeof judgeRollouts>, days: number): DeploySummary {
  const deploys = judged.filter((j) => j.rollout.status === "succeeded");
  const failedChanges = judged.filter((j) => j.failed).length;
  const restores = judged.flatMap((j) => (j.incident?.restoreMs != null ? [j.incident.restoreMs] : []));
  return {
    deploys: deploys.length,
    deploysPerDay: Math.round((deploys.length / days) * 1000) / 1000,
    endedRollouts: judged.length,
    failedChanges,
    changeFailureRatePercent: judged.length ? Math.round((failedChanges / judged.length) * 10_000) / 100 : null,
    leadTimeMedianMs: median(deploys.map((j) => leadTimeOf(j.rollout))),
    restoreMedianMs: median(restores),
  };
}

function leadTimeOf(r: OperationRecord): number {
  const start = r.specSavedAt ?? r.createdAt;
  return r.finishedAt!.getTime() - start.getTime();
}

/** The four keys over [to - days, to], overall, per environment and per day (UTC days). */
export function computeDeployMetrics(records: OperationRecord[], opts: { days: number; to: Date }) {
  const from = new Date(opts.to.getTime() - opts.days * DAY);
  const judged = judgeRollouts(records, from, opts.to);
  const names = [...new Set(judged.map((j) => j.rollout.environmentName))].sort();
  const firstDay = Math.floor(from.getTime() / DAY) * DAY;
  const daily: DailyPoint[] = [];
  for (let day = firstDay; day <= opts.to.getTime(); day += DAY) {
    const inDay = judged.filter((j) => j.rollout.finishedAt!.getTime() >= day && j.rollout.finishedAt!.getTime() < day + DAY);
    const deploys = inDay.filter((j) => j.rollout.status === "succeeded");
    daily.push({
      day,
      deploys: deploys.length,
      failures: inDay.filter((j) => j.failed).length,
      leadTimeMedianMs: median(deploys.map((j) => leadTimeOf(j.rollout))),
      restoreMedianMs: median(inDay.flatMap((j) => (j.incident?.restoreMs != null ? [j.incident.restoreMs] : []))),
    });
  }
  return {
    from: from.toISOString(),
    to: opts.to.toISOString(),
    days: opts.days,
    overall: summarise(judged, opts.days),
    environments: names.map((name) => ({
      name,
      ...summarise(
        judged.filter((j) => j.rollout.environmentName === name),
        opts.days,
      ),
    })),
    daily,
    incidents: judged.flatMap((j) => (j.incident ? [j.incident] : [])).sort((a, b) => b.startedAt.localeCompare(a.startedAt)),
  };
}
