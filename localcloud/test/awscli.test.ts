/**
 * A scripted subset through Debian's AWS CLI (`/usr/bin/aws`, awscli 2.9.19, botocore's own
 * parsers), which also sends CloudWatch in the query form. Proves the wire formats are not just
 * what SDK v3 tolerates.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { startTestCloud, type TestCloud } from "./helpers.ts";

const AWS = "/usr/bin/aws";

let lc: TestCloud;

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

function aws(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      AWS,
      [...args, "--endpoint-url", lc.url, "--output", "json"],
      {
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_PAGER: "", AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", ...env },
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as any).code === "number" ? (err as any).code : 1) : 0;
        let json: any;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}

async function ok(args: string[]): Promise<any> {
  const r = await aws(args);
  if (r.code !== 0) throw new Error(`aws ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.json;
}

beforeAll(async () => {
  lc = await startTestCloud({ speed: 50 });
});

afterAll(async () => {
  await lc?.close();
});

describe("AWS CLI (botocore) against localcloud", () => {
  it("has Debian's awscli installed", () => {
    if (!existsSync(AWS)) throw new Error(`${AWS} is missing: apt-get install awscli`);
  });

  it("ec2: create-vpc with tags, describe-vpcs by tag filter, typed error", async () => {
    const created = await ok(["ec2", "create-vpc", "--cidr-block", "10.42.0.0/16", "--tag-specifications", "ResourceType=vpc,Tags=[{Key=Name,Value=cli-test}]"]);
    expect(created.Vpc.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(created.Vpc.CidrBlock).toBe("10.42.0.0/16");
    const described = await ok(["ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=cli-test"]);
    expect(described.Vpcs.map((v: any) => v.VpcId)).toEqual([created.Vpc.VpcId]);
    expect(described.Vpcs[0].Tags).toEqual([{ Key: "Name", Value: "cli-test" }]);
    const missing = await aws(["ec2", "describe-vpcs", "--vpc-ids", "vpc-0000000000000000f"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("InvalidVpcID.NotFound");
  });

  it("ec2: describe-availability-zones", async () => {
    const out = await ok(["ec2", "describe-availability-zones"]);
    expect(out.AvailabilityZones.length).toBeGreaterThanOrEqual(2);
    expect(out.AvailabilityZones[0].ZoneName).toMatch(/^us-east-1[a-z]$/);
    expect(out.AvailabilityZones[0].State).toBe("available");
  });

  it("autoscaling: describe-auto-scaling-groups", async () => {
    const out = await ok(["autoscaling", "describe-auto-scaling-groups"]);
    expect(out.AutoScalingGroups).toEqual([]);
  });

  it("elbv2: create-target-group and describe-load-balancers", async () => {
    const vpc = await ok(["ec2", "create-vpc", "--cidr-block", "10.43.0.0/16"]);
    const tg = await ok(["elbv2", "create-target-group", "--name", "cli-tg", "--protocol", "HTTP", "--port", "80", "--vpc-id", vpc.Vpc.VpcId, "--target-type", "instance"]);
    expect(tg.TargetGroups[0].TargetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/cli-tg\/[0-9a-f]{16}$/);
    expect(tg.TargetGroups[0].Port).toBe(80);
    const lbs = await ok(["elbv2", "describe-load-balancers"]);
    expect(lbs.LoadBalancers).toEqual([]);
  });

  it("rds: describe-db-instances and DBInstanceNotFound", async () => {
    expect((await ok(["rds", "describe-db-instances"])).DBInstances).toEqual([]);
    const missing = await aws(["rds", "describe-db-instances", "--db-instance-identifier", "nope"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("DBInstanceNotFound");
  });

  it("cloudwatch (query form): put-metric-data, get-metric-statistics, list-metrics, describe-alarms", async () => {
    await ok(["cloudwatch", "put-metric-data", "--namespace", "CliTest", "--metric-name", "Latency", "--value", "42", "--unit", "Milliseconds", "--dimensions", "Env=prod"]);
    // Metrics are stamped with simulated time: ask for a window around the cloud's clock.
    const { body: clock } = await lc.admin("GET", "clock");
    const start = new Date(clock.nowMs - 3_600_000).toISOString();
    const end = new Date(clock.nowMs + 3_600_000).toISOString();
    const stats = await ok([
      "cloudwatch", "get-metric-statistics", "--namespace", "CliTest", "--metric-name", "Latency", "--dimensions", "Name=Env,Value=prod",
      "--start-time", start, "--end-time", end, "--period", "60", "--statistics", "Sum", "Maximum",
    ]);
    expect(stats.Label).toBe("Latency");
    expect(stats.Datapoints).toHaveLength(1);
    expect(stats.Datapoints[0]).toMatchObject({ Sum: 42, Maximum: 42, Unit: "Milliseconds" });
    const metrics = await ok(["cloudwatch", "list-metrics", "--namespace", "CliTest"]);
    expect(metrics.Metrics).toEqual([{ Namespace: "CliTest", MetricName: "Latency", Dimensions: [{ Name: "Env", Value: "prod" }] }]);
    await ok([
      "cloudwatch", "put-metric-alarm", "--alarm-name", "cli-latency", "--namespace", "CliTest", "--metric-name", "Latency", "--dimensions", "Name=Env,Value=prod",
      "--statistic", "Average", "--period", "60", "--evaluation-periods", "1", "--threshold", "100", "--comparison-operator", "GreaterThanThreshold",
    ]);
    const alarms = await ok(["cloudwatch", "describe-alarms", "--alarm-names", "cli-latency"]);
    expect(alarms.MetricAlarms).toHaveLength(1);
    expect(alarms.MetricAlarms[0]).toMatchObject({ AlarmName: "cli-latency", Threshold: 100, ComparisonOperator: "GreaterThanThreshold" });
    expect(alarms.MetricAlarms[0].AlarmArn).toBe("arn:aws:cloudwatch:us-east-1:000000000000:alarm:cli-latency");
  });

  it("cloudfront: list-distributions", async () => {
    const out = await ok(["cloudfront", "list-distributions"]);
    // An empty list has no Items: botocore returns the DistributionList with Quantity 0.
    expect(out.DistributionList).toMatchObject({ Quantity: 0, IsTruncated: false });
  });

  it("retries an injected throttle and reports it; every attempt is counted", async () => {
    await lc.reset();
    await lc.admin("POST", "faults", { match: "rds:DescribeDBInstances", error: "Throttling" });
    const throttled = await aws(["rds", "describe-db-instances"], { AWS_MAX_ATTEMPTS: "2", AWS_RETRY_MODE: "standard" });
    expect(throttled.code).not.toBe(0);
    expect(throttled.stderr).toContain("Throttling");
    expect((await lc.admin("GET", "stats")).body.calls["rds:DescribeDBInstances"]).toBe(2);
    await lc.admin("DELETE", "faults");
  });
});
