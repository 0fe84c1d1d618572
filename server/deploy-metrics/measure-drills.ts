/**
 * Detection and recovery of failure drills, read back from AWS's own records (one clock: the
 * service's, so the local cloud's fast clock measures right too):
 *   terminate-instance  failure = Auto Scaling's "Terminating EC2 instance: <id>" activity;
 *                       detected = the group's next "Launching a new EC2 instance" activity starts;
 *                       recovered = that launch ends (the replacement in service)
 *   failover-database   RDS's "Multi-AZ instance failover started" to "... completed" (recovery;
 *                       RDS reports no separate detection, so that stays unknown)
 * Measured only while the environment and AWS still have the records (RDS keeps events 14 days,
 * Auto Scaling activities 6 weeks); a finished measurement is kept in memory.
 */
import { awsClients } from "../aws/clients.ts";
import { DescribeRdsEventsCommand, DescribeScalingActivitiesCommand } from "../aws/sdk.ts";
import { db } from "../db/client.ts";
import { logger } from "../log.ts";
import { accountOf } from "../accounts/account-ref.ts";
import { namesOf } from "../provisioning/context.ts";

export interface DrillToMeasure {
  id: string;
  environmentId: string | null;
  kind: string;
  at: Date;
  instanceId: string | null;
}

export interface DrillTimes {
  detectionMs: number | null;
  recoveryMs: number | null;
}

const measured = new Map<string, DrillTimes>();
const ms = (d: Date | undefined) => (d ? new Date(d).getTime() : null);

export async function measureDrills(drills: DrillToMeasure[]): Promise<Map<string, DrillTimes>> {
  const out = new Map<string, DrillTimes>();
  const byEnv = new Map<string, DrillToMeasure[]>();
  for (const d of drills) {
    const known = measured.get(d.id);
    if (known) out.set(d.id, known);
    else if (d.environmentId) byEnv.set(d.environmentId, [...(byEnv.get(d.environmentId) ?? []), d]);
  }
  await Promise.all(
    [...byEnv].map(async ([envId, list]) => {
      try {
        for (const [id, times] of await measureEnvironment(envId, list)) {
          out.set(id, times);
          if (times.recoveryMs !== null) measured.set(id, times);
        }
      } catch (e) {
        logger.warn("drill times not measured", { environmentId: envId, error: (e as Error).message });
      }
    }),
  );
  return out;
}

async function measureEnvironment(envId: string, drills: DrillToMeasure[]) {
  const out = new Map<string, DrillTimes>();
  const env = await db.environment.findUnique({ where: { id: envId } });
  if (!env || env.deletedAt) return out;
  const aws = awsClients(await accountOf(env.accountId), env.region);
  const names = namesOf({ name: env.name, namePrefix: env.namePrefix, adopted: env.adopted });
  const terminations = drills.filter((d) => d.kind === "terminate-instance" && d.instanceId);
  if (terminations.length) {
    const activities = (
      await Promise.all(
        (["blue", "green"] as const).map((slot) =>
          aws.autoscaling
            .send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: names.asg(slot), MaxRecords: 100 }))
            .then((r) => r.Activities ?? [])
            .catch(() => []),
        ),
      )
    ).flat();
    for (const d of terminations) {
      const term = activities.find((a) => a.Description === `Terminating EC2 instance: ${d.instanceId}`);
      if (!term) continue;
      const from = ms(term.StartTime)!;
      const launch = activities
        .filter(
          (a) =>
            a.AutoScalingGroupName === term.AutoScalingGroupName &&
            a.Description?.startsWith("Launching a new EC2 instance:") &&
            (ms(a.StartTime) ?? 0) >= from,
        )
        .sort((a, b) => (ms(a.StartTime) ?? 0) - (ms(b.StartTime) ?? 0))[0];
      out.set(d.id, {
        detectionMs: launch ? ms(launch.StartTime)! - from : null,
        recoveryMs: launch?.StatusCode === "Successful" && launch.EndTime ? ms(launch.EndTime)! - from : null,
      });
    }
  }
  const failovers = drills.filter((d) => d.kind === "failover-database").sort((a, b) => a.at.getTime() - b.at.getTime());
  if (failovers.length) {
    const events =
      (
        await aws.rds
          .send(new DescribeRdsEventsCommand({ SourceType: "db-instance", SourceIdentifier: names.db, Duration: 14 * 24 * 60 }))
          .catch(() => null)
      )?.Events ?? [];
    const started = events
      .filter((e) => /failover started/i.test(e.Message ?? ""))
      .map((e) => ms(e.Date)!)
      .sort((a, b) => a - b);
    const completed = events
      .filter((e) => /failover completed/i.test(e.Message ?? ""))
      .map((e) => ms(e.Date)!)
      .sort((a, b) => a - b);
    // The newest drills pair with the newest failovers (each drill is one forced failover).
    const pairs = Math.min(failovers.length, started.length);
    for (let i = 1; i <= pairs; i++) {
      const start = started[started.length - i];
      const done = completed.find((c) => c >= start) ?? null;
      out.set(failovers[failovers.length - i].id, { detectionMs: null, recoveryMs: done === null ? null : done - start });
    }
  }
  return out;
}
