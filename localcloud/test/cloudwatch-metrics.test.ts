/**
 * CloudWatch metrics conformance through @aws-sdk/client-cloudwatch: statistics, percentiles,
 * metric math with gaps, paging, ScanBy, GetMetricStatistics, ListMetrics, retention and typed
 * PutMetricData errors. Alarms are in cloudwatch-alarms.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  MissingRequiredParameterException,
  PutMetricDataCommand,
  paginateGetMetricData,
  type MetricDataResult,
  type MetricDataQuery,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { recordMetricData } from "../src/services/cloudwatch/index.ts";
import { pruneMetrics } from "../src/services/cloudwatch/metric-store.ts";
import { cwState } from "../src/services/cloudwatch/state.ts";
import { expectError, startTestCloud, type TestCloud } from "./helpers.ts";

const MINUTE = 60_000;
let lc: TestCloud;
/** A whole minute 30 simulated minutes ago: the test data starts there. */
let base: number;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 200 });
  base = Math.floor(lc.cloud.now() / MINUTE) * MINUTE - 30 * MINUTE;
});
afterAll(async () => {
  await lc?.close();
});

const dims = (svc: string) => [{ Name: "Service", Value: svc }];
const at = (minutes: number) => new Date(base + minutes * MINUTE);
const metric = (name: string, svc: string, ns = "Switchyard/Test") => ({ Namespace: ns, MetricName: name, Dimensions: dims(svc) });
const stat = (id: string, name: string, svc: string, s: string, period = 60): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: metric(name, svc), Period: period, Stat: s },
});

async function put(name: string, svc: string, data: Array<Omit<MetricDatum, "MetricName" | "Dimensions">>, ns = "Switchyard/Test") {
  await lc.cloudwatch.send(
    new PutMetricDataCommand({ Namespace: ns, MetricData: data.map((d) => ({ MetricName: name, Dimensions: dims(svc), ...d })) }),
  );
}

describe("metrics", () => {
  it("aggregates Sum / Average / Minimum / Maximum / SampleCount / p95 over raw values and distributions", async () => {
    // Minute 0: 1..20 as a distribution; minute 1: single values 100 and 300; minute 2: a statistic set.
    await put("Latency", "stats", [
      { Timestamp: at(0), Values: Array.from({ length: 20 }, (_, i) => i + 1), Counts: Array(20).fill(1), Unit: "Milliseconds" },
    ]);
    await put("Latency", "stats", [
      { Timestamp: at(1), Value: 100, Unit: "Milliseconds" },
      { Timestamp: new Date(base + MINUTE + 30_000), Value: 300, Unit: "Milliseconds" },
      { Timestamp: at(2), StatisticValues: { SampleCount: 4, Sum: 40, Minimum: 5, Maximum: 15 }, Unit: "Milliseconds" },
    ]);
    const res = await lc.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(3),
        ScanBy: "TimestampAscending",
        MetricDataQueries: ["Sum", "Average", "Minimum", "Maximum", "SampleCount", "p95", "p50"].map((s) =>
          stat(s.toLowerCase(), "Latency", "stats", s),
        ),
      }),
    );
    const byId = Object.fromEntries(res.MetricDataResults!.map((r) => [r.Id, r]));
    expect(byId.sum.Timestamps).toEqual([at(0), at(1), at(2)]);
    expect(byId.sum.Values).toEqual([210, 400, 40]);
    expect(byId.average.Values).toEqual([10.5, 200, 10]);
    expect(byId.minimum.Values).toEqual([1, 100, 5]);
    expect(byId.maximum.Values).toEqual([20, 300, 15]);
    expect(byId.samplecount.Values).toEqual([20, 2, 4]);
    // Percentiles need raw values: the statistic set's minute has none (as on AWS).
    expect(byId.p95.Values).toEqual([19, 300]);
    expect(byId.p50.Values).toEqual([10, 100]);
    expect(byId.sum.Label).toBe("Latency");
    expect(byId.sum.StatusCode).toBe("Complete");

    // A 5-minute period merges the three minutes.
    const five = await lc.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(5),
        MetricDataQueries: [stat("s", "Latency", "stats", "Sum", 300), stat("p", "Latency", "stats", "p99", 300)],
      }),
    );
    expect(five.MetricDataResults![0].Values).toEqual([650]);
    expect(five.MetricDataResults![0].Timestamps).toEqual([at(0)]);
    expect(five.MetricDataResults![1].Values).toEqual([]);
  });

  it("keeps high-resolution datapoints (StorageResolution 1) for sub-minute periods", async () => {
    await put(
      "Burst",
      "hires",
      [0, 5, 12, 25, 47].map((sec, i) => ({ Timestamp: new Date(base + sec * 1000), Value: i + 1, StorageResolution: 1 })),
    );
    const res = await lc.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(1),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [stat("ten", "Burst", "hires", "Sum", 10), stat("minute", "Burst", "hires", "Sum", 60)],
      }),
    );
    const [ten, minute] = res.MetricDataResults!;
    expect(ten.Timestamps!.map((t) => (t.getTime() - base) / 1000)).toEqual([0, 10, 20, 40]);
    expect(ten.Values).toEqual([3, 3, 4, 5]);
    expect(minute.Values).toEqual([15]);
  });

  it("evaluates metric math: 100*FILL(m1,0)/m2 keeps gaps aligned, plain m1/m2 only where both exist", async () => {
    const requests = [100, 200, 400, 100, 50];
    await put(
      "Requests",
      "math",
      requests.map((v, i) => ({ Timestamp: at(i), Value: v })),
    );
    await put("Errors5xx", "math", [
      { Timestamp: at(1), Value: 10 },
      { Timestamp: at(3), Value: 5 },
    ]);
    const res = await lc.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(5),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [
          { ...stat("m1", "Errors5xx", "math", "Sum"), ReturnData: false },
          { ...stat("m2", "Requests", "math", "Sum"), ReturnData: false },
          { Id: "rate", Expression: "100*FILL(m1,0)/m2", Label: "5xx rate" },
          { Id: "raw", Expression: "m1/m2" },
          { Id: "total", Expression: "SUM([m1, m2])" },
          { Id: "fix", Expression: "(FILL(m1, REPEAT) + ABS(-1)) * 2" },
          { Id: "cond", Expression: "IF(m2 > 150, 1, 0)" },
        ],
      }),
    );
    const byId = Object.fromEntries(res.MetricDataResults!.map((r) => [r.Id, r]));
    expect(Object.keys(byId).sort()).toEqual(["cond", "fix", "rate", "raw", "total"]);
    expect(byId.rate.Label).toBe("5xx rate");
    expect(byId.rate.Timestamps).toEqual([0, 1, 2, 3, 4].map(at));
    expect(byId.rate.Values).toEqual([0, 5, 0, 5, 0]);
    expect(byId.raw.Timestamps).toEqual([at(1), at(3)]);
    expect(byId.raw.Values).toEqual([0.05, 0.05]);
    expect(byId.raw.Label).toBe("raw");
    expect(byId.total.Values).toEqual([100, 210, 400, 105, 50]);
    expect(byId.fix.Values).toEqual([22, 22, 22, 12, 12]);
    expect(byId.cond.Values).toEqual([0, 1, 1, 0, 0]);

    const divByZero = await lc.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(5),
        MetricDataQueries: [
          { ...stat("m1", "Errors5xx", "math", "Sum"), ReturnData: false },
          { Id: "z", Expression: "m1/0" },
        ],
      }),
    );
    expect(divByZero.MetricDataResults![0].Values).toEqual([]);
    expect(divByZero.MetricDataResults![0].Messages?.[0]?.Code).toBe("ArithmeticError");

    const bad = await expectError(
      lc.cloudwatch.send(
        new GetMetricDataCommand({ StartTime: at(0), EndTime: at(5), MetricDataQueries: [{ Id: "e1", Expression: "NOPE(m9)" }] }),
      ),
    );
    expect(bad.$metadata.httpStatusCode).toBe(400);
    expect(bad.message).toMatch(/e1/);
  });

  it("orders by ScanBy and pages with NextToken / MaxDatapoints", async () => {
    await put(
      "Paged",
      "paging",
      Array.from({ length: 7 }, (_, i) => ({ Timestamp: at(i), Value: i })),
    );
    const queries = [stat("a", "Paged", "paging", "Sum"), stat("b", "Paged", "paging", "Maximum")];
    const full = await lc.cloudwatch.send(new GetMetricDataCommand({ StartTime: at(0), EndTime: at(7), MetricDataQueries: queries }));
    expect(full.MetricDataResults![0].Values).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(full.MetricDataResults![0].Timestamps![0]).toEqual(at(6));
    expect(full.NextToken).toBeUndefined();

    const first = await lc.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: at(0),
        EndTime: at(7),
        MetricDataQueries: queries,
        MaxDatapoints: 5,
        ScanBy: "TimestampAscending",
      }),
    );
    expect(first.MetricDataResults).toHaveLength(1);
    expect(first.MetricDataResults![0]).toMatchObject({ Id: "a", StatusCode: "PartialData", Values: [0, 1, 2, 3, 4] });
    expect(first.NextToken).toBeTruthy();

    const collected: Record<string, number[]> = { a: [], b: [] };
    let pages = 0;
    for await (const page of paginateGetMetricData(
      { client: lc.cloudwatch },
      { StartTime: at(0), EndTime: at(7), MetricDataQueries: queries, MaxDatapoints: 5, ScanBy: "TimestampAscending" },
    )) {
      pages++;
      for (const r of page.MetricDataResults ?? []) collected[r.Id!].push(...(r.Values ?? []));
    }
    expect(pages).toBe(3);
    expect(collected.a).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(collected.b).toEqual([0, 1, 2, 3, 4, 5, 6]);

    const bogus = await expectError(
      lc.cloudwatch.send(new GetMetricDataCommand({ StartTime: at(0), EndTime: at(7), MetricDataQueries: queries, NextToken: "bogus" })),
    );
    expect(bogus).toBeInstanceOf(InvalidNextToken);
  });

  it("answers GetMetricStatistics with Statistics or ExtendedStatistics, unsorted, within 1,440 datapoints", async () => {
    await put(
      "Cpu",
      "gms",
      Array.from({ length: 6 }, (_, i) => ({ Timestamp: at(i), Values: [10 * i, 10 * i + 10], Counts: [9, 1], Unit: "Percent" })),
    );
    const res = await lc.cloudwatch.send(
      new GetMetricStatisticsCommand({
        ...metric("Cpu", "gms"),
        StartTime: at(0),
        EndTime: at(6),
        Period: 60,
        Statistics: ["Average", "Maximum", "SampleCount"],
      }),
    );
    expect(res.Label).toBe("Cpu");
    expect(res.Datapoints).toHaveLength(6);
    const sorted = [...res.Datapoints!].sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(sorted.map((d) => d.Average)).toEqual([1, 11, 21, 31, 41, 51]);
    expect(sorted[0]).toMatchObject({ Maximum: 10, SampleCount: 10, Unit: "Percent" });
    expect(res.Datapoints!.map((d) => d.Timestamp!.getTime())).not.toEqual(sorted.map((d) => d.Timestamp!.getTime()));

    const ext = await lc.cloudwatch.send(
      new GetMetricStatisticsCommand({
        ...metric("Cpu", "gms"),
        StartTime: at(0),
        EndTime: at(6),
        Period: 360,
        ExtendedStatistics: ["p90", "p95"],
      }),
    );
    expect(ext.Datapoints?.[0].ExtendedStatistics).toEqual({ p90: 50, p95: 50 });

    const both = await expectError(
      lc.cloudwatch.send(
        new GetMetricStatisticsCommand({
          ...metric("Cpu", "gms"),
          StartTime: at(0),
          EndTime: at(6),
          Period: 60,
          Statistics: ["Sum"],
          ExtendedStatistics: ["p90"],
        }),
      ),
    );
    expect(both).toBeInstanceOf(InvalidParameterCombinationException);
    const tooMany = await expectError(
      lc.cloudwatch.send(
        new GetMetricStatisticsCommand({
          ...metric("Cpu", "gms"),
          StartTime: new Date(base - 2 * 86400_000),
          EndTime: at(0),
          Period: 60,
          Statistics: ["Sum"],
        }),
      ),
    );
    expect(tooMany).toBeInstanceOf(InvalidParameterCombinationException);
    expect(tooMany.message).toMatch(/exceeds the limit of 1,440/);
    const badPeriod = await expectError(
      lc.cloudwatch.send(
        new GetMetricStatisticsCommand({ ...metric("Cpu", "gms"), StartTime: at(0), EndTime: at(6), Period: 45, Statistics: ["Sum"] }),
      ),
    );
    expect(badPeriod).toBeInstanceOf(InvalidParameterValueException);
  });

  it("lists metrics by namespace, name and dimension filter, with NextToken past 500", async () => {
    // 501 metrics in one call: the SDK gzips a body this large.
    await lc.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: "Switchyard/Many",
        MetricData: Array.from({ length: 501 }, (_, i) => ({
          MetricName: `m${String(i).padStart(3, "0")}`,
          Dimensions: dims(i % 2 ? "odd" : "even"),
          Value: i,
        })),
      }),
    );
    const first = await lc.cloudwatch.send(new ListMetricsCommand({ Namespace: "Switchyard/Many" }));
    expect(first.Metrics).toHaveLength(500);
    expect(first.NextToken).toBeTruthy();
    const second = await lc.cloudwatch.send(new ListMetricsCommand({ Namespace: "Switchyard/Many", NextToken: first.NextToken }));
    expect(second.Metrics).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();

    const odd = await lc.cloudwatch.send(
      new ListMetricsCommand({ Namespace: "Switchyard/Many", Dimensions: [{ Name: "Service", Value: "odd" }] }),
    );
    expect(odd.Metrics).toHaveLength(250);
    const named = await lc.cloudwatch.send(new ListMetricsCommand({ MetricName: "Requests", Dimensions: [{ Name: "Service" }] }));
    expect(named.Metrics).toEqual([
      { Namespace: "Switchyard/Test", MetricName: "Requests", Dimensions: [{ Name: "Service", Value: "math" }] },
    ]);
    const recent = await lc.cloudwatch.send(new ListMetricsCommand({ Namespace: "Switchyard/Many", RecentlyActive: "PT3H" }));
    expect(recent.Metrics?.length).toBe(500);

    const otherRegion = lc.clientsFor("eu-west-1").cloudwatch;
    expect((await otherRegion.send(new ListMetricsCommand({ Namespace: "Switchyard/Many" }))).Metrics).toEqual([]);
    otherRegion.destroy();
  });

  it("rolls minute data older than a day into 5-minute buckets and drops data past 15 days", async () => {
    const now = Math.floor(lc.cloud.now() / MINUTE) * MINUTE;
    const twoDaysAgo = Math.floor((now - 2 * 86400_000) / (5 * MINUTE)) * 5 * MINUTE;
    const old = now - 16 * 86400_000;
    recordMetricData(lc.cloud, "us-east-1", "Switchyard/Retention", [
      ...Array.from({ length: 10 }, (_, i) => ({
        MetricName: "Rolled",
        Timestamp: twoDaysAgo + i * MINUTE,
        Values: [i, 100 + i],
        Counts: [1, 1],
      })),
      { MetricName: "Expired", Timestamp: old, Value: 1 },
    ]);
    const state = cwState(lc.cloud);
    state.lastPruneAt = 0;
    expect(pruneMetrics(state, lc.cloud.now())).toBe(true);
    const q = (id: string, name: string, period: number, s: string): MetricDataQuery => ({
      Id: id,
      MetricStat: { Metric: { Namespace: "Switchyard/Retention", MetricName: name }, Period: period, Stat: s },
    });
    const res = await lc.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(old - MINUTE),
        EndTime: new Date(twoDaysAgo + 10 * MINUTE),
        ScanBy: "TimestampAscending",
        MetricDataQueries: [
          q("sum5", "Rolled", 300, "Sum"),
          q("count1", "Rolled", 60, "SampleCount"),
          q("max", "Rolled", 600, "Maximum"),
          q("gone", "Expired", 60, "Sum"),
        ],
      }),
    );
    const byId: Record<string, MetricDataResult> = Object.fromEntries(res.MetricDataResults!.map((r) => [r.Id, r]));
    // Totals survive the roll-up; 1-minute queries now see one point per 5 minutes.
    expect(byId.sum5.Values!.reduce((a, b) => a + b, 0)).toBe(2 * 45 + 1000);
    expect(byId.count1.Values).toEqual([10, 10]);
    expect(byId.count1.Timestamps!.every((t) => (t.getTime() / 1000) % 300 === 0)).toBe(true);
    expect(byId.max.Values!.at(-1)).toBe(109);
    expect(byId.gone.Values).toEqual([]);
  });

  it("rejects invalid PutMetricData with AWS's typed errors and stores nothing", async () => {
    const noValue = await expectError(
      lc.cloudwatch.send(
        new PutMetricDataCommand({ Namespace: "Switchyard/Bad", MetricData: [{ MetricName: "x", Value: 1 }, { MetricName: "y" }] }),
      ),
    );
    expect(noValue).toBeInstanceOf(MissingRequiredParameterException);
    expect(noValue.message).toMatch(/MetricData\.member\.2/);
    const both = await expectError(
      lc.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: "Switchyard/Bad",
          MetricData: [{ MetricName: "x", Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } }],
        }),
      ),
    );
    expect(both).toBeInstanceOf(InvalidParameterCombinationException);
    const sizes = await expectError(
      lc.cloudwatch.send(
        new PutMetricDataCommand({ Namespace: "Switchyard/Bad", MetricData: [{ MetricName: "x", Values: [1, 2], Counts: [1] }] }),
      ),
    );
    expect(sizes).toBeInstanceOf(InvalidParameterValueException);
    const reserved = await expectError(
      lc.cloudwatch.send(new PutMetricDataCommand({ Namespace: "AWS/EC2", MetricData: [{ MetricName: "CPUUtilization", Value: 1 }] })),
    );
    expect(reserved).toBeInstanceOf(InvalidParameterValueException);
    const old = await expectError(
      lc.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: "Switchyard/Bad",
          MetricData: [{ MetricName: "x", Value: 1, Timestamp: new Date(base - 15 * 86400_000) }],
        }),
      ),
    );
    expect(old).toBeInstanceOf(InvalidParameterValueException);
    expect((await lc.cloudwatch.send(new ListMetricsCommand({ Namespace: "Switchyard/Bad" }))).Metrics).toEqual([]);
  });
});
