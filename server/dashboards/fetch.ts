/**
 * One refresh of an environment's dashboard: ONE GetMetricData call in the environment's
 * region for every series (paged with NextToken only past CloudWatch's limits), one more in
 * us-east-1 only when there is a CloudFront distribution, DescribeAlarms, and the topology's
 * Describe calls, all in parallel. Failures never throw: each panel carries its status, and
 * a throttled call keeps the previous answer's points.
 */
import type { AwsClients } from "../aws/clients.ts";
import type { CloudWatchClient, MetricDataQuery } from "../aws/sdk.ts";
import { buildDashboardQueries, type DashboardTarget, type QueryOptions, type SeriesDef } from "./query.ts";
import { metricsRequestedBy } from "./usage.ts";
import { statusOfError } from "./topology.ts";
import type { AlarmState, PanelStatus, SeriesData } from "./types.ts";
import { describeAlarms, metricData } from "../aws/cloudwatch.ts";

export interface MetricWindow {
  start: number;
  end: number;
  periodSeconds: number;
}

/** Every period start of the window, so all charts share one time axis. */
export function gridOf(w: MetricWindow): number[] {
  const out: number[] = [];
  for (let t = w.start; t < w.end; t += w.periodSeconds * 1000) out.push(t);
  return out;
}

function toSeries(
  defs: SeriesDef[],
  byId: Map<string, Map<number, number>>,
  grid: number[],
  status: PanelStatus,
  previous: SeriesData[] | undefined,
): SeriesData[] {
  return defs.map((d) => {
    const head = { id: d.id, chart: d.chart, label: d.label, unit: d.unit, ...(d.slot ? { slot: d.slot } : {}) };
    // A failed fetch keeps the series' last points (the panel says why it is stale).
    if (status.kind !== "ok") return { ...head, points: previous?.find((p) => p.id === d.id)?.points ?? [], status };
    const m = byId.get(d.id);
    const k = d.scale ?? 1;
    const points = grid.map((t): [number, number | null] => {
      const v = m?.get(t);
      return [t, v === undefined ? null : Math.round(v * k * 1000) / 1000];
    });
    return { ...head, points, status };
  });
}

export interface SeriesFetch {
  series: SeriesData[];
  calls: number;
  /** Metrics requested (what CloudWatch bills GetMetricData by), pages included. */
  metrics: number;
}

export async function fetchSeries(
  aws: AwsClients,
  target: DashboardTarget,
  w: MetricWindow,
  previous: SeriesData[] | undefined,
  opts: QueryOptions = {},
): Promise<SeriesFetch> {
  const q = buildDashboardQueries(target, w.periodSeconds, opts);
  const grid = gridOf(w);
  const defsRegional = q.series.filter((s) => !s.global);
  const defsGlobal = q.series.filter((s) => s.global);
  const run = async (cw: CloudWatchClient, queries: MetricDataQuery[], defs: SeriesDef[]) => {
    try {
      const { byId, calls } = await metricData(cw, queries, w);
      return { series: toSeries(defs, byId, grid, { kind: "ok" }, previous), calls };
    } catch (err) {
      return { series: toSeries(defs, new Map(), grid, statusOfError(err), previous), calls: 1 };
    }
  };
  const [r, g] = await Promise.all([run(aws.cloudwatch, q.regional, defsRegional), run(aws.cloudwatchGlobal, q.global, defsGlobal)]);
  const metrics = r.calls * metricsRequestedBy(q.regional) + (q.global.length ? g.calls * metricsRequestedBy(q.global) : 0);
  return { series: [...r.series, ...g.series], calls: r.calls + g.calls, metrics };
}

export async function fetchAlarms(
  aws: AwsClients,
  names: string[],
  cdnNames: string[],
): Promise<{ alarms: AlarmState[]; status: PanelStatus }> {
  try {
    const [a, b] = await Promise.all([
      describeAlarms(aws.cloudwatch, { names }),
      cdnNames.length ? describeAlarms(aws.cloudwatchGlobal, { names: cdnNames }) : [],
    ]);
    const seen = new Set<string>();
    const alarms = [...a, ...b]
      .filter((x) => x.AlarmName && !seen.has(x.AlarmName) && seen.add(x.AlarmName))
      .map((x) => ({
        name: x.AlarmName!,
        state: x.StateValue ?? "INSUFFICIENT_DATA",
        reason: x.StateReason ?? null,
        updatedAt: x.StateUpdatedTimestamp ? new Date(x.StateUpdatedTimestamp).toISOString() : null,
      }));
    const rank = (s: string) => (s === "ALARM" ? 0 : s === "INSUFFICIENT_DATA" ? 1 : 2);
    alarms.sort((x, y) => rank(x.state) - rank(y.state) || x.name.localeCompare(y.name));
    return { alarms, status: { kind: "ok" } };
  } catch (err) {
    return { alarms: [], status: statusOfError(err) };
  }
}
