/**
 * What an environment's dashboards cost on AWS: CloudWatch bills GetMetricData per metric
 * requested (each MetricStat in a call; math expressions are free), from a dated price table.
 * Every fetch records its count per environment and UTC day; the page shows the month's cost
 * at today's rate of viewing.
 */
import { db } from "../db/client.ts";
import type { MetricDataQuery } from "../aws/sdk.ts";

/** CloudWatch's public prices (us-east-1), as of the date given. */
export const CLOUDWATCH_PRICES = {
  asOf: "2026-12-01",
  source: "https://aws.amazon.com/cloudwatch/pricing/",
  getMetricDataUsdPer1000Metrics: 0.01,
} as const;

export const metricsRequestedBy = (queries: MetricDataQuery[]) => queries.filter((q) => q.MetricStat).length;

export function usdPerMonth(metricsPerDay: number): number {
  return (metricsPerDay * 30 * CLOUDWATCH_PRICES.getMetricDataUsdPer1000Metrics) / 1000;
}

const today = (now = new Date()) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

export async function recordUsage(environmentId: string, metrics: number, calls: number) {
  if (metrics === 0 && calls === 0) return;
  const day = today();
  await db.$executeRaw`
    INSERT INTO cloudwatch_usage ("environmentId", "day", "metricsRequested", "calls") VALUES (${environmentId}, ${day}, ${metrics}, ${calls})
    ON CONFLICT ("environmentId", "day") DO UPDATE SET "metricsRequested" = cloudwatch_usage."metricsRequested" + ${metrics}, "calls" = cloudwatch_usage."calls" + ${calls}`;
}

export interface DashboardCost {
  metricsToday: number;
  callsToday: number;
  /** Today's count over the part of the day gone (at least an hour), times 30 days, at the table's price. */
  usdPerMonth: number;
  pricesAsOf: string;
}

export async function dashboardCost(environmentId: string, now = new Date()): Promise<DashboardCost> {
  const row = await db.cloudWatchUsage.findUnique({ where: { environmentId_day: { environmentId, day: today(now) } } });
  const metrics = row?.metricsRequested ?? 0;
  const hours = Math.max(1, (now.getTime() - today(now).getTime()) / 3_600_000);
  return {
    metricsToday: metrics,
    callsToday: row?.calls ?? 0,
    usdPerMonth: Math.round(usdPerMonth((metrics / hours) * 24) * 100) / 100,
    pricesAsOf: CLOUDWATCH_PRICES.asOf,
  };
}
