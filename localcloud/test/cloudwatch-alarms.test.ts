/**
 * CloudWatch alarms conformance through @aws-sdk/client-cloudwatch: alarms evaluated on a fast
 * clock (M of N, TreatMissingData, metric math alarms), history, tags, typed errors, regions and
 * persistence. Metrics are in cloudwatch-metrics.test.ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  GetMetricDataCommand,
  InvalidFormatFault,
  ListMetricsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  ResourceNotFound,
  ResourceNotFoundException,
  SetAlarmStateCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type MetricAlarm,
  type MetricDataQuery,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { deleteAlarms, getAlarm, putMetricAlarm, recordMetricData } from "../src/services/cloudwatch/index.ts";
import { eventually, expectError, startTestCloud, type TestCloud } from "./helpers.ts";

const MINUTE = 60_000;
let lc: TestCloud;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 200 });
});
afterAll(async () => {
  await lc?.close();
});

const dims = (svc: string) => [{ Name: "Service", Value: svc }];

async function put(name: string, svc: string, data: Array<Omit<MetricDatum, "MetricName" | "Dimensions">>, ns = "Switchyard/Test") {
  await lc.cloudwatch.send(
    new PutMetricDataCommand({ Namespace: ns, MetricData: data.map((d) => ({ MetricName: name, Dimensions: dims(svc), ...d })) }),
  );
}

/** Publish one datapoint per minute from 5 minutes ago to 40 minutes ahead: alarms see steady data. */
async function steady(name: string, svc: string, value: (minuteFromNow: number) => number) {
  const now = Math.floor(lc.cloud.now() / MINUTE) * MINUTE;
  const data = Array.from({ length: 46 }, (_, i) => ({ Timestamp: new Date(now + (i - 5) * MINUTE), Value: value(i - 5) }));
  await put(name, svc, data, "Switchyard/Alarms");
}

async function alarmOf(name: string): Promise<MetricAlarm> {
  const res = await lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return res.MetricAlarms![0];
}

/** Poll until the alarm reaches `state` (the clock runs at 200x: a minute is 0.3 s). */
async function waitForState(name: string, state: string): Promise<MetricAlarm> {
  let alarm: MetricAlarm | undefined;
  await eventually(async () => (alarm = await alarmOf(name)).StateValue === state);
  return alarm!;
}

const alarmInput = (name: string, metricName: string, extra: Record<string, unknown> = {}) => ({
  AlarmName: name,
  Namespace: "Switchyard/Alarms",
  MetricName: metricName,
  Dimensions: dims("web"),
  Statistic: "Average" as const,
  Period: 60,
  EvaluationPeriods: 3,
  Threshold: 80,
  ComparisonOperator: "GreaterThanThreshold" as const,
  ...extra,
});

describe("alarms", () => {
  it("starts INSUFFICIENT_DATA and goes to ALARM on 3 of 3 breaching datapoints, with AWS's reason and history", async () => {
    await lc.cloudwatch.send(
      new PutMetricAlarmCommand({
        ...alarmInput("cpu-high", "CPUUtilization"),
        AlarmActions: ["arn:aws:sns:us-east-1:000000000000:ops"],
        Tags: [{ Key: "env", Value: "stg" }],
      }),
    );
    const created = await alarmOf("cpu-high");
    expect(created).toMatchObject({
      AlarmName: "cpu-high",
      AlarmArn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:cpu-high",
      StateValue: "INSUFFICIENT_DATA",
      StateReason: "Unchecked: Initial alarm creation",
      ActionsEnabled: true,
      AlarmActions: ["arn:aws:sns:us-east-1:000000000000:ops"],
      Threshold: 80,
      EvaluationPeriods: 3,
    });
    expect(created.StateUpdatedTimestamp).toBeInstanceOf(Date);

    await steady("CPUUtilization", "web", () => 91.5);
    const alarm = await waitForState("cpu-high", "ALARM");
    expect(alarm.StateReason).toMatch(
      /^Threshold Crossed: 3 out of the last 3 datapoints \[91\.5 \(\d\d\/\d\d\/\d\d \d\d:\d\d:00\), 91\.5 \(.+\), 91\.5 \(.+\)\] were greater than the threshold \(80\.0\) \(minimum 3 datapoints for OK -> ALARM transition\)\.$/,
    );
    const reasonData = JSON.parse(alarm.StateReasonData!);
    expect(reasonData).toMatchObject({ version: "1.0", statistic: "Average", period: 60, threshold: 80 });
    expect(reasonData.evaluatedDatapoints).toHaveLength(3);

    const history = await lc.cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: "cpu-high", HistoryItemType: "StateUpdate" }));
    expect(history.AlarmHistoryItems?.[0]).toMatchObject({
      AlarmName: "cpu-high",
      AlarmType: "MetricAlarm",
      HistoryItemType: "StateUpdate",
      HistorySummary: "Alarm updated from INSUFFICIENT_DATA to ALARM",
    });
    const data = JSON.parse(history.AlarmHistoryItems![0].HistoryData!);
    expect(data.oldState.stateValue).toBe("INSUFFICIENT_DATA");
    expect(data.newState.stateValue).toBe("ALARM");
  });

  it("goes OK then ALARM when the metric crosses the threshold, M of N (clock stepped by hand)", async () => {
    await lc.admin("POST", "clock", { speed: 1 });
    try {
      // Below the threshold for the next 3 minutes, then breaching on 2 of every 3 minutes.
      await steady("Latency", "web", (m) => (m < 3 ? 20 : m % 3 === 0 ? 10 : 95));
      await lc.cloudwatch.send(new PutMetricAlarmCommand({ ...alarmInput("latency-2-of-3", "Latency"), DatapointsToAlarm: 2 }));
      await lc.admin("POST", "clock", { advanceMs: 70_000 });
      const ok = await alarmOf("latency-2-of-3");
      expect(ok.StateValue).toBe("OK");
      expect(ok.StateReason).toMatch(
        /^Threshold Crossed: \d out of the last \d datapoints \[20\.0 .+\] were not greater than the threshold \(80\.0\) \(minimum 2 datapoints for ALARM -> OK transition\)\.$/,
      );
      let alarm = ok;
      for (let step = 0; step < 8 && alarm.StateValue !== "ALARM"; step++) {
        await lc.admin("POST", "clock", { advanceMs: 60_000 });
        alarm = await alarmOf("latency-2-of-3");
      }
      expect(alarm.StateValue).toBe("ALARM");
      expect(alarm.DatapointsToAlarm).toBe(2);
      expect(alarm.StateReason).toMatch(
        /^Threshold Crossed: 2 out of the last 3 datapoints \[95\.0 .+\] were greater than the threshold \(80\.0\) \(minimum 2 datapoints for OK -> ALARM transition\)\.$/,
      );
      const history = await lc.cloudwatch.send(
        new DescribeAlarmHistoryCommand({ AlarmName: "latency-2-of-3", HistoryItemType: "StateUpdate", ScanBy: "TimestampAscending" }),
      );
      expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual([
        "Alarm updated from INSUFFICIENT_DATA to OK",
        "Alarm updated from OK to ALARM",
      ]);
    } finally {
      await lc.admin("POST", "clock", { speed: 200 });
    }
  });

  it("treats missing data as missing, ignore, breaching or notBreaching", async () => {
    for (const treat of ["missing", "ignore", "breaching", "notBreaching"]) {
      await lc.cloudwatch.send(
        new PutMetricAlarmCommand({ ...alarmInput(`silent-${treat}`, "NeverPublished"), EvaluationPeriods: 2, TreatMissingData: treat }),
      );
    }
    const breaching = await waitForState("silent-breaching", "ALARM");
    expect(breaching.StateReason).toBe(
      "Threshold Crossed: no datapoints were received for 2 periods and 2 missing datapoints were treated as [Breaching].",
    );
    const notBreaching = await waitForState("silent-notBreaching", "OK");
    expect(notBreaching.StateReason).toMatch(/treated as \[NonBreaching\]\.$/);
    expect((await alarmOf("silent-missing")).StateValue).toBe("INSUFFICIENT_DATA");
    expect((await alarmOf("silent-ignore")).StateValue).toBe("INSUFFICIENT_DATA");

    // With missing, an alarm that had data goes back to INSUFFICIENT_DATA once all of it is gone.
    await lc.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "silent-missing", StateValue: "OK", StateReason: "test" }));
    await lc.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "silent-ignore", StateValue: "OK", StateReason: "test" }));
    const back = await waitForState("silent-missing", "INSUFFICIENT_DATA");
    expect(back.StateReason).toBe("Insufficient Data: 2 datapoints were unknown.");
    expect((await alarmOf("silent-ignore")).StateValue).toBe("OK");
  });

  it("evaluates metric math alarms (5xx rate with FILL)", async () => {
    await steady("Requests", "web", () => 200);
    await steady("Errors5xx", "web", (m) => (m % 2 === 0 ? 30 : 20));
    const q = (id: string, name: string): MetricDataQuery => ({
      Id: id,
      ReturnData: false,
      MetricStat: { Metric: { Namespace: "Switchyard/Alarms", MetricName: name, Dimensions: dims("web") }, Period: 60, Stat: "Sum" },
    });
    await lc.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: "error-rate",
        EvaluationPeriods: 2,
        Threshold: 5,
        ComparisonOperator: "GreaterThanThreshold",
        Metrics: [
          q("m5xx", "Errors5xx"),
          q("mreq", "Requests"),
          { Id: "rate", Expression: "100*FILL(m5xx,0)/FILL(mreq,1)", Label: "5xx %", ReturnData: true },
        ],
      }),
    );
    const alarm = await waitForState("error-rate", "ALARM");
    expect(alarm.Metrics).toHaveLength(3);
    expect(alarm.MetricName).toBeUndefined();
    expect(alarm.StateReason).toMatch(/\[1[05]\.0 /);
    const forMetric = await lc.cloudwatch.send(
      new DescribeAlarmsForMetricCommand({ Namespace: "Switchyard/Alarms", MetricName: "Errors5xx", Dimensions: dims("web") }),
    );
    expect(forMetric.MetricAlarms!.map((a) => a.AlarmName)).toEqual(["error-rate"]);
  });

  it("sets state by hand, filters, pages, tags, toggles actions and deletes", async () => {
    for (const name of ["api-a", "api-b", "api-c"])
      await lc.cloudwatch.send(new PutMetricAlarmCommand(alarmInput(name, "Idle", { Period: 300, EvaluationPeriods: 1 })));
    await lc.cloudwatch.send(
      new SetAlarmStateCommand({ AlarmName: "api-b", StateValue: "ALARM", StateReason: "drill", StateReasonData: '{"drill":true}' }),
    );
    const inAlarm = await lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "api-", StateValue: "ALARM" }));
    expect(inAlarm.MetricAlarms!.map((a) => a.AlarmName)).toEqual(["api-b"]);
    expect(inAlarm.MetricAlarms![0]).toMatchObject({ StateReason: "drill", StateReasonData: '{"drill":true}' });

    const page1 = await lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "api-", MaxRecords: 2 }));
    expect(page1.MetricAlarms!.map((a) => a.AlarmName)).toEqual(["api-a", "api-b"]);
    const page2 = await lc.cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNamePrefix: "api-", MaxRecords: 2, NextToken: page1.NextToken }),
    );
    expect(page2.MetricAlarms!.map((a) => a.AlarmName)).toEqual(["api-c"]);
    expect(page2.NextToken).toBeUndefined();

    const notFound = await expectError(
      lc.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: "nope", StateValue: "OK", StateReason: "x" })),
    );
    expect(notFound).toBeInstanceOf(ResourceNotFound);
    expect(notFound.$metadata.httpStatusCode).toBe(404);
    const badJson = await expectError(
      lc.cloudwatch.send(
        new SetAlarmStateCommand({ AlarmName: "api-a", StateValue: "OK", StateReason: "x", StateReasonData: "{not json" }),
      ),
    );
    expect(badJson).toBeInstanceOf(InvalidFormatFault);

    const arn = "arn:aws:cloudwatch:us-east-1:000000000000:alarm:api-a";
    await lc.cloudwatch.send(
      new TagResourceCommand({
        ResourceARN: arn,
        Tags: [
          { Key: "team", Value: "web" },
          { Key: "tier", Value: "1" },
        ],
      }),
    );
    await lc.cloudwatch.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ["tier"] }));
    expect((await lc.cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: "team", Value: "web" }]);
    const noResource = await expectError(
      lc.cloudwatch.send(new ListTagsForResourceCommand({ ResourceARN: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:ghost" })),
    );
    expect(noResource).toBeInstanceOf(ResourceNotFoundException);

    await lc.cloudwatch.send(new DisableAlarmActionsCommand({ AlarmNames: ["api-a"] }));
    expect((await alarmOf("api-a")).ActionsEnabled).toBe(false);
    await lc.cloudwatch.send(new EnableAlarmActionsCommand({ AlarmNames: ["api-a"] }));
    expect((await alarmOf("api-a")).ActionsEnabled).toBe(true);

    // Unknown names are skipped, as on AWS; the known ones are deleted.
    await lc.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: ["api-a", "api-b", "api-c", "never-existed"] }));
    expect((await lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "api-" }))).MetricAlarms).toEqual([]);
    // History outlives the alarm.
    const history = await lc.cloudwatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: "api-b", HistoryItemType: "ConfigurationUpdate" }),
    );
    expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual(['Alarm "api-b" deleted', 'Alarm "api-b" created']);

    const firstItem = await lc.cloudwatch.send(new DescribeAlarmHistoryCommand({ AlarmName: "api-b", MaxRecords: 1 }));
    expect(firstItem.AlarmHistoryItems).toHaveLength(1);
    const rest = await lc.cloudwatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: "api-b", MaxRecords: 1, NextToken: firstItem.NextToken }),
    );
    expect(rest.AlarmHistoryItems![0].Timestamp!.getTime()).toBeLessThanOrEqual(firstItem.AlarmHistoryItems![0].Timestamp!.getTime());
    expect(rest.AlarmHistoryItems![0].HistorySummary).not.toBe(firstItem.AlarmHistoryItems![0].HistorySummary);
    const future = await lc.cloudwatch.send(
      new DescribeAlarmHistoryCommand({ AlarmName: "api-b", StartDate: new Date(lc.cloud.now() + 3600_000) }),
    );
    expect(future.AlarmHistoryItems).toEqual([]);

    const invalid = await expectError(lc.cloudwatch.send(new PutMetricAlarmCommand(alarmInput("bad", "Idle", { DatapointsToAlarm: 5 }))));
    expect(invalid.$metadata.httpStatusCode).toBe(400);
    const badExpression = await expectError(
      lc.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: "bad-math",
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: "GreaterThanThreshold",
          Metrics: [{ Id: "e1", Expression: "FILL(m404, 0)", ReturnData: true }],
        }),
      ),
    );
    expect(badExpression.message).toMatch(/Error in expression e1: Unknown metric id m404/);
    expect((await lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["bad", "bad-math"] }))).MetricAlarms).toEqual([]);
  });

  it("keeps alarms regional and serves the in-process exports", async () => {
    const eu = lc.clientsFor("eu-west-1").cloudwatch;
    expect((await eu.send(new DescribeAlarmsCommand({ AlarmNames: ["cpu-high"] }))).MetricAlarms).toEqual([]);
    eu.destroy();

    const view = putMetricAlarm(lc.cloud, "us-west-2", { ...alarmInput("internal", "Internal"), Dimensions: [] });
    expect(view).toMatchObject({
      AlarmName: "internal",
      StateValue: "INSUFFICIENT_DATA",
      AlarmArn: "arn:aws:cloudwatch:us-west-2:000000000000:alarm:internal",
    });
    expect(getAlarm(lc.cloud, "us-west-2", "internal")?.Threshold).toBe(80);
    recordMetricData(lc.cloud, "us-west-2", "AWS/EC2", [
      { MetricName: "CPUUtilization", Dimensions: [{ Name: "InstanceId", Value: "i-0123456789abcdef0" }], Value: 42 },
    ]);
    const west = lc.clientsFor("us-west-2").cloudwatch;
    const listed = await west.send(new ListMetricsCommand({ Namespace: "AWS/EC2" }));
    expect(listed.Metrics?.[0]).toMatchObject({
      MetricName: "CPUUtilization",
      Dimensions: [{ Name: "InstanceId", Value: "i-0123456789abcdef0" }],
    });
    west.destroy();
    expect(deleteAlarms(lc.cloud, "us-west-2", ["internal"])).toEqual(["internal"]);
    expect(getAlarm(lc.cloud, "us-west-2", "internal")).toBeUndefined();
  });
});

describe("persistence", () => {
  it("keeps metrics, alarms and history across a restart", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "localcloud-cw-"));
    try {
      let cloud = await startTestCloud({ speed: 200, dataDir });
      const t0 = Math.floor(cloud.cloud.now() / MINUTE) * MINUTE - 10 * MINUTE;
      await cloud.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: "Switchyard/Restart",
          MetricData: [1, 2, 3].map((v, i) => ({
            MetricName: "Hits",
            Values: [v, v * 10],
            Counts: [1, 1],
            Timestamp: new Date(t0 + i * MINUTE),
          })),
        }),
      );
      await cloud.cloudwatch.send(
        new PutMetricAlarmCommand({ ...alarmInput("restart-alarm", "Hits"), Namespace: "Switchyard/Restart", Dimensions: [] }),
      );
      await cloud.cloudwatch.send(
        new SetAlarmStateCommand({ AlarmName: "restart-alarm", StateValue: "ALARM", StateReason: "before restart" }),
      );
      await cloud.close();

      cloud = await startTestCloud({ speed: 200, dataDir });
      const res = await cloud.cloudwatch.send(
        new GetMetricDataCommand({
          StartTime: new Date(t0),
          EndTime: new Date(t0 + 3 * MINUTE),
          ScanBy: "TimestampAscending",
          MetricDataQueries: [
            { Id: "p", MetricStat: { Metric: { Namespace: "Switchyard/Restart", MetricName: "Hits" }, Period: 60, Stat: "p100" } },
          ],
        }),
      );
      expect(res.MetricDataResults?.[0].Values).toEqual([10, 20, 30]);
      const alarms = await cloud.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: ["restart-alarm"] }));
      expect(alarms.MetricAlarms?.[0]).toMatchObject({ AlarmName: "restart-alarm", Namespace: "Switchyard/Restart" });
      const history = await cloud.cloudwatch.send(
        new DescribeAlarmHistoryCommand({ AlarmName: "restart-alarm", HistoryItemType: "StateUpdate" }),
      );
      expect(history.AlarmHistoryItems?.some((h) => h.HistorySummary === "Alarm updated from INSUFFICIENT_DATA to ALARM")).toBe(true);
      await cloud.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
