/**
 * CloudWatch reads, paged with the SDK's paginators (never a hand-written NextToken loop):
 * the one GetMetricData and the one DescribeAlarms the app uses. GetMetricData is billed per
 * metric requested, so `metricData` also says how many calls (pages) a read took.
 */
import {
  type CloudWatchClient,
  type MetricAlarm,
  type MetricDataQuery,
  paginateDescribeAlarms,
  paginateGetMetricData,
  type StateValue,
} from "@aws-sdk/client-cloudwatch";

/** Every page of one GetMetricData query set, oldest first: id -> (timestamp ms -> value), and the calls it took. */
export async function metricData(
  cw: CloudWatchClient,
  queries: MetricDataQuery[],
  window: { start: number | Date; end: number | Date },
): Promise<{ byId: Map<string, Map<number, number>>; calls: number }> {
  const byId = new Map<string, Map<number, number>>();
  let calls = 0;
  if (!queries.length) return { byId, calls };
  const pages = paginateGetMetricData(
    { client: cw },
    { MetricDataQueries: queries, StartTime: new Date(window.start), EndTime: new Date(window.end), ScanBy: "TimestampAscending" },
  );
  for await (const page of pages) {
    calls++;
    for (const r of page.MetricDataResults ?? []) {
      if (!r.Id) continue;
      const points = byId.get(r.Id) ?? new Map<number, number>();
      (r.Timestamps ?? []).forEach((ts, i) => {
        const v = r.Values?.[i];
        if (typeof v === "number" && Number.isFinite(v)) points.set(new Date(ts).getTime(), v);
      });
      byId.set(r.Id, points);
    }
  }
  return { byId, calls };
}

export interface AlarmFilter {
  /** Exactly these alarms (any number: asked for 100 at a time, as DescribeAlarms allows). */
  names?: string[];
  /** Alarms whose name starts with this. */
  prefix?: string;
  /** Only alarms in this state. */
  state?: StateValue;
}

/** The metric alarms matching `filter`, every page. With `names: []` nothing is asked. */
export async function describeAlarms(cw: CloudWatchClient, filter: AlarmFilter = {}): Promise<MetricAlarm[]> {
  const base = { AlarmTypes: ["MetricAlarm" as const], StateValue: filter.state, AlarmNamePrefix: filter.prefix, MaxRecords: 100 };
  const batches = filter.names ? chunks(filter.names, 100).map((AlarmNames) => ({ ...base, AlarmNames })) : [base];
  const out: MetricAlarm[] = [];
  for (const input of batches) {
    for await (const page of paginateDescribeAlarms({ client: cw }, input)) out.push(...(page.MetricAlarms ?? []));
  }
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
