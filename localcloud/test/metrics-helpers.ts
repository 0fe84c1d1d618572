/**
 * Helpers for the metrics, scaling and load tests: read CloudWatch series through the SDK over
 * SIMULATED time windows, and send real HTTP with bounded concurrency.
 */
import { Agent, request } from "node:http";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { TestCloud } from "./helpers.ts";

export const agent = new Agent({ keepAlive: true, maxSockets: 32 });

export async function simNow(lc: TestCloud): Promise<number> {
  return (await lc.admin<{ nowMs: number }>("GET", "clock")).body.nowMs;
}

export interface SeriesQuery {
  namespace: string;
  metric: string;
  dims: Record<string, string>;
  stat: string;
  /** Simulated ms. */
  start: number;
  end: number;
  period?: number;
  region?: string;
}

/** One series through GetMetricData (the dashboards' call); values oldest first. */
export async function series(lc: TestCloud, q: SeriesQuery): Promise<{ timestamps: number[]; values: number[] }> {
  const cw = q.region ? lc.clientsFor(q.region).cloudwatch : lc.cloudwatch;
  const out = await cw.send(
    new GetMetricDataCommand({
      StartTime: new Date(q.start),
      EndTime: new Date(q.end),
      ScanBy: "TimestampAscending",
      MetricDataQueries: [
        {
          Id: "m",
          MetricStat: {
            Metric: {
              Namespace: q.namespace,
              MetricName: q.metric,
              Dimensions: Object.entries(q.dims).map(([Name, Value]) => ({ Name, Value })),
            },
            Period: q.period ?? 60,
            Stat: q.stat,
          },
        },
      ],
    }),
  );
  const r = out.MetricDataResults![0];
  return { timestamps: (r.Timestamps ?? []).map((t) => t.getTime()), values: r.Values ?? [] };
}

export async function seriesSum(lc: TestCloud, q: Omit<SeriesQuery, "stat">): Promise<number> {
  return (await series(lc, { ...q, stat: "Sum" })).values.reduce((a, b) => a + b, 0);
}

export interface Reply {
  status: number;
  body: string;
}

export function get(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Send `count` GETs, `concurrency` at a time; every reply (or error) is returned. */
export async function sendMany(url: string, count: number, concurrency = 8): Promise<Array<Reply | Error>> {
  const out: Array<Reply | Error> = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next++;
      out.push(await get(url).catch((err: Error) => err));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return out;
}
