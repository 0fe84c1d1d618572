import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud } from "../../localcloud/src/index.ts";
import { admin } from "../../testing/fixtures.ts";
import { awsClients, destroyAwsClients } from "../aws/clients.ts";
import { PutMetricAlarmCommand } from "../aws/sdk.ts";
import { db } from "../db/client.ts";
import { env } from "../env.ts";
import { watchAlarmsOnce } from "./alarm-watch.ts";
import { createChannel } from "./channels.ts";

/**
 * The alarm watcher against the local cloud: a transition after the channel exists is queued
 * once (a second look finds nothing new), the next transition again; the state the alarm had
 * before the channel existed is not announced.
 */
let lc: { url: string; close(): Promise<void> };
let dataDir = "";
let cw: ReturnType<typeof awsClients>["cloudwatch"];
const ALARM = "sy-watch-blue-5xx-rate";

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "sy-alarm-watch-"));
  lc = await startLocalCloud({ port: 0, dataDir, speed: 1 });
  const account = await db.awsAccount.create({
    data: { name: "lc-watch", defaultRegion: "us-east-1", endpointUrl: lc.url, isLocal: true },
  });
  const e = await db.environment.create({
    data: { name: "watch", activeName: "watch", accountId: account.id, region: "us-east-1", status: "ready", stack: {} },
  });
  cw = awsClients(
    { id: account.id, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url },
    "us-east-1",
  ).cloudwatch;
  await cw.send(
    new PutMetricAlarmCommand({
      AlarmName: ALARM,
      Namespace: "AWS/ApplicationELB",
      MetricName: "HTTPCode_Target_5XX_Count",
      Statistic: "Sum",
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: "GreaterThanThreshold",
      Dimensions: [{ Name: "TargetGroup", Value: "targetgroup/sy-watch-blue/0123456789abcdef" }],
    }),
  );
  env.SWITCHYARD_NOTIFY_LOCAL_PORTS.push(9);
  await createChannel({
    actor: admin,
    input: {
      environment: "watch",
      body: { kind: "webhook", name: "alarms", url: "http://127.0.0.1:9/alarms", events: ["alarm.state_changed"] },
    },
  });
  expect(e.id).toBeTruthy();
});

afterAll(async () => {
  destroyAwsClients();
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const queued = () => db.notificationDelivery.findMany({ where: { eventType: "alarm.state_changed" }, orderBy: { seq: "asc" } });

describe("alarm watcher", () => {
  it("queues each alarm transition once, and nothing from before the channel", async () => {
    expect(await watchAlarmsOnce()).toBe(1);
    expect(await queued()).toEqual([]);
    await new Promise((r) => setTimeout(r, 20));
    await cw.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: "ALARM", StateReason: "5xx above 5 for 1 minute" }));
    await watchAlarmsOnce();
    await watchAlarmsOnce();
    const first = await queued();
    expect(first.map((d) => (d.payload as { summary: string }).summary)).toEqual([`Alarm ${ALARM} is ALARM: 5xx above 5 for 1 minute`]);
    await new Promise((r) => setTimeout(r, 20));
    await cw.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: "OK", StateReason: "back to normal" }));
    await watchAlarmsOnce();
    expect((await queued()).map((d) => (d.payload as { data: { alarm: { state: string } } }).data.alarm.state)).toEqual(["ALARM", "OK"]);
  });
});
