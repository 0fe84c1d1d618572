import { namesOf } from "../provisioning/context.ts";
import type { Stack } from "../provisioning/read-stack.ts";
import type { DashboardTarget } from "./query.ts";
import type { Slot } from "./types.ts";
import { environmentRow } from "../environments/load.ts";

/** What the dashboards need of an environment row: its stored stack read-back, account and live slot. */
export interface DashboardEnv {
  id: string;
  name: string;
  accountId: string;
  region: string;
  status: string;
  liveSlot: Slot;
  liveVersion: string | null;
  busy: boolean;
  /** The previous fleet is kept warm (it may take traffic again) until then. */
  warmUntil: Date | null;
  stack: Stack | null;
}

export async function loadDashboardEnv(name: string): Promise<DashboardEnv> {
  const env = await environmentRow(name);
  return {
    id: env.id,
    name: env.name,
    accountId: env.accountId,
    region: env.region,
    status: env.status,
    liveVersion: env.liveVersion,
    warmUntil: env.warmUntil,
    liveSlot: env.liveSlot as Slot,
    busy: env.lockDeploymentId !== null,
    stack: (env.stack as unknown as Stack | null) ?? null,
  };
}

/** Ids and ARNs are stable (nothing is renamed on deploy), so the stored read-back is enough to query metrics. */
export function dashboardTargetOf(env: { name: string; stack: Stack | null }): DashboardTarget {
  const s = env.stack;
  const n = namesOf(env);
  const hasFleets = !!s?.loadBalancer;
  return {
    loadBalancerArn: s?.loadBalancer?.arn ?? null,
    targetGroupArns: { blue: s?.targetGroups?.blue?.arn ?? null, green: s?.targetGroups?.green?.arn ?? null },
    asgNames: {
      blue: s?.fleets?.blue?.name ?? (hasFleets ? n.asg("blue") : null),
      green: s?.fleets?.green?.name ?? (hasFleets ? n.asg("green") : null),
    },
    dbIdentifier: s?.database?.identifier ?? null,
    distributionId: s?.distribution?.id ?? null,
    cacheNodeIds: s?.cache?.nodes.map((n) => n.id) ?? [],
  };
}
