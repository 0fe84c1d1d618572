/**
 * The clock the app sees: every AWS API response carries the SIMULATED time in `Date`, so the
 * SDK's `systemClockOffset` lets an app compute "now" for CloudWatch windows as
 * `Date.now() + systemClockOffset`, the same code as against real AWS.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { ListMetricsCommand } from "@aws-sdk/client-cloudwatch";
import { startTestCloud, type TestCloud } from "./helpers.ts";

const SIX_HOURS_MS = 6 * 3600_000;

describe("simulated Date header", () => {
  let lc: TestCloud;
  beforeAll(async () => {
    // Speed 1 so the clock barely moves between the response and the assertion.
    lc = await startTestCloud({ speed: 1 });
    await lc.advance(SIX_HOURS_MS);
  });
  afterAll(() => lc.close());

  it("sends the simulated time as Date on AWS responses, not on the admin API", async () => {
    const res = await fetch(lc.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=DescribeVpcs&Version=2016-11-15",
    });
    await res.text();
    const { body: clock } = await lc.admin("GET", "clock");
    const served = Date.parse(res.headers.get("date")!);
    expect(Math.abs(served - clock.nowMs)).toBeLessThan(5_000);
    expect(served - Date.now()).toBeGreaterThan(SIX_HOURS_MS - 60_000);

    const admin = await fetch(`${lc.url}/_localcloud/health`);
    await admin.text();
    const adminDate = Date.parse(admin.headers.get("date")!);
    expect(Math.abs(adminDate - Date.now())).toBeLessThan(5_000);
  });

  it("lets the SDK's systemClockOffset track the simulated clock", async () => {
    await lc.ec2.send(new DescribeVpcsCommand({}));
    const appNow = Date.now() + lc.ec2.config.systemClockOffset!;
    const { body: clock } = await lc.admin("GET", "clock");
    expect(Math.abs(appNow - clock.nowMs)).toBeLessThan(5_000);
    // Errors carry it too (CloudWatch JSON protocol, a different codec).
    await lc.cloudwatch.send(new ListMetricsCommand({ Namespace: "AWS/EC2" }));
    const cwNow = Date.now() + lc.cloudwatch.config.systemClockOffset!;
    expect(Math.abs(cwNow - (await lc.admin("GET", "clock")).body.nowMs)).toBeLessThan(5_000);
  });
});
