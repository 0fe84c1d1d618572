import Link from "next/link";
import { MetricCards } from "@/components/deploy-metrics/metric-cards";
import { NotificationsPanel } from "@/components/notifications/notifications-panel";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { Actor } from "@/server/auth/actor.ts";
import { roleAtLeast } from "@/server/auth/roles.ts";
import { readDeployMetrics } from "@/server/deploy-metrics/read.ts";
import { listChannels } from "@/server/notifications/channels.ts";
import { EVENT_LABELS, EVENT_TYPES } from "@/server/notifications/events.ts";
import { createChannelAction, deleteChannelAction, listChannelsAction, testChannelAction, updateChannelAction } from "./notifications";

/** The environment page's deploy metrics (30 days, link to the full page) and notification channels. */
export async function EnvironmentInsights({ name, actor }: { name: string; actor: Actor }) {
  const [metrics, channels] = await Promise.all([
    readDeployMetrics({ actor, input: { days: 30, environment: name } }),
    listChannels({ actor, input: { environment: name } }),
  ]);
  return (
    <>
      <Card className="mt-6" data-testid="deploy-metrics">
        <CardHeader>
          <div className="flex items-center gap-2">
            <CardTitle>Deploy metrics, last 30 days</CardTitle>
            <Link className="ml-auto text-sm underline" href={`/insights?days=30&environment=${encodeURIComponent(name)}`}>
              Charts, incidents and game days
            </Link>
          </div>
          <CardDescription>From this environment's rollouts and rollbacks.</CardDescription>
        </CardHeader>
        <CardContent>
          <MetricCards summary={metrics.overall} days={30} />
        </CardContent>
      </Card>
      <NotificationsPanel
        name={name}
        initial={channels}
        isAdmin={roleAtLeast(actor.role, "admin")}
        events={EVENT_TYPES.filter((t) => t !== "test").map((t) => ({ value: t, label: EVENT_LABELS[t] }))}
        actions={{
          list: listChannelsAction,
          create: createChannelAction,
          update: updateChannelAction,
          remove: deleteChannelAction,
          test: testChannelAction,
        }}
      />
    </>
  );
}
