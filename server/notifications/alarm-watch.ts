/**
 * A cheap alarm watcher for notifications: once a minute, for each environment with a channel
 * that wants alarm.state_changed, one DescribeAlarms call (two with CloudFront's us-east-1
 * alarms) and each transition emitted once (the event key is the alarm, its state and when it
 * changed, so every replica may watch without sending anything twice). The dashboards' reads
 * emit the same events in between.
 */
import { awsClients } from "../aws/clients.ts";
import { fetchAlarms } from "../dashboards/fetch.ts";
import { db } from "../db/client.ts";
import { logger } from "../log.ts";
import { allAlarmNames } from "../provisioning/alarms.ts";
import { accountOf } from "../accounts/account-ref.ts";
import { notifyAlarms } from "./notify.ts";

export async function watchAlarmsOnce(): Promise<number> {
  const channels = await db.notificationChannel.findMany({
    where: { deletedAt: null, enabled: true, OR: [{ events: { isEmpty: true } }, { events: { has: "alarm.state_changed" } }] },
    select: { environmentId: true },
    distinct: ["environmentId"],
  });
  let watched = 0;
  for (const { environmentId } of channels) {
    const env = await db.environment.findUnique({ where: { id: environmentId } });
    if (!env || env.deletedAt || !env.stack || env.status === "draft") continue;
    try {
      const names = allAlarmNames({ name: env.name, namePrefix: env.namePrefix, adopted: env.adopted });
      const cdn = names.filter((n) => n.endsWith("-cdn-5xx-rate"));
      const { alarms, status } = await fetchAlarms(
        awsClients(await accountOf(env.accountId), env.region),
        names.filter((n) => !cdn.includes(n)),
        env.distributionId ? cdn : [],
      );
      if (status.kind === "ok") await notifyAlarms(env.id, alarms);
      watched++;
    } catch (e) {
      logger.warn("alarm watch skipped an environment", { environment: env.name, error: (e as Error).message });
    }
  }
  return watched;
}
