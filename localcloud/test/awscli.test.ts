/**
 * A scripted subset through Debian's AWS CLI (`/usr/bin/aws`, awscli 2.9.19, botocore's own
 * parsers), which also sends CloudWatch in the query form. Proves the wire formats are not just
 * what SDK v3 tolerates.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { AWS_CLI as AWS, awsCli, type CliResult, hasAwsCli } from "./cli-runners.ts";
import { eventually, startTestCloud, type TestCloud } from "./helpers.ts";

let lc: TestCloud;

/** awscli on this file's cloud (the shared runner); the JSON untyped, as the assertions read it. */
const aws = async (args: string[], env: Record<string, string> = {}) =>
  (await awsCli(lc.url, args, undefined, env)) as CliResult & { json: any };

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
    if (!hasAwsCli()) throw new Error(`${AWS} is missing: apt-get install awscli`);
  });

  it("ec2: create-vpc with tags, describe-vpcs by tag filter, typed error", async () => {
    const created = await ok([
      "ec2",
      "create-vpc",
      "--cidr-block",
      "10.42.0.0/16",
      "--tag-specifications",
      "ResourceType=vpc,Tags=[{Key=Name,Value=cli-test}]",
    ]);
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

  it("autoscaling: describe-auto-scaling-groups and a typed not-found", async () => {
    const out = await ok(["autoscaling", "describe-auto-scaling-groups"]);
    expect(out.AutoScalingGroups).toEqual([]);
    const err = await aws(["autoscaling", "delete-auto-scaling-group", "--auto-scaling-group-name", "nope"]);
    expect(err.code).not.toBe(0);
    expect(err.stderr).toContain("ValidationError");
  });

  it("ec2 + autoscaling: launch template data, subnet, group with propagated tags launches an instance", async () => {
    const vpc = await ok(["ec2", "create-vpc", "--cidr-block", "10.44.0.0/16"]);
    const subnet = await ok([
      "ec2",
      "create-subnet",
      "--vpc-id",
      vpc.Vpc.VpcId,
      "--cidr-block",
      "10.44.1.0/24",
      "--availability-zone",
      "us-east-1a",
    ]);
    expect(subnet.Subnet.SubnetId).toMatch(/^subnet-[0-9a-f]{17}$/);
    const image = (await ok(["ec2", "describe-images"])).Images[0].ImageId;
    const lt = await ok([
      "ec2",
      "create-launch-template",
      "--launch-template-name",
      "cli-web",
      "--launch-template-data",
      JSON.stringify({
        ImageId: image,
        InstanceType: "t3.micro",
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "app", Value: "web" }] }],
      }),
    ]);
    expect(lt.LaunchTemplate.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
    await ok([
      "autoscaling",
      "create-auto-scaling-group",
      "--auto-scaling-group-name",
      "cli-web",
      "--launch-template",
      "LaunchTemplateName=cli-web,Version=$Latest",
      "--min-size",
      "1",
      "--max-size",
      "2",
      "--desired-capacity",
      "1",
      "--vpc-zone-identifier",
      subnet.Subnet.SubnetId,
      "--tags",
      "Key=env,Value=prod,PropagateAtLaunch=true",
    ]);
    const groups = await ok(["autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names", "cli-web"]);
    expect(groups.AutoScalingGroups[0]).toMatchObject({ AutoScalingGroupName: "cli-web", MinSize: 1, MaxSize: 2, DesiredCapacity: 1 });
    expect(groups.AutoScalingGroups[0].Tags).toEqual([
      { ResourceId: "cli-web", ResourceType: "auto-scaling-group", Key: "env", Value: "prod", PropagateAtLaunch: true },
    ]);
    const instances = await eventually(async () => {
      const out = await ok(["ec2", "describe-instances", "--filters", "Name=tag:aws:autoscaling:groupName,Values=cli-web"]);
      return out.Reservations.flatMap((r: any) => r.Instances).length > 0 ? out.Reservations.flatMap((r: any) => r.Instances) : undefined;
    });
    expect(instances[0].InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(instances[0].Tags).toEqual(
      expect.arrayContaining([
        { Key: "env", Value: "prod" },
        { Key: "app", Value: "web" },
      ]),
    );
  });

  it("elbv2: create-target-group and describe-load-balancers", async () => {
    const vpc = await ok(["ec2", "create-vpc", "--cidr-block", "10.43.0.0/16"]);
    const tg = await ok([
      "elbv2",
      "create-target-group",
      "--name",
      "cli-tg",
      "--protocol",
      "HTTP",
      "--port",
      "80",
      "--vpc-id",
      vpc.Vpc.VpcId,
      "--target-type",
      "instance",
    ]);
    expect(tg.TargetGroups[0].TargetGroupArn).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup\/cli-tg\/[0-9a-f]{16}$/,
    );
    expect(tg.TargetGroups[0].Port).toBe(80);
    const lbs = await ok(["elbv2", "describe-load-balancers"]);
    expect(lbs.LoadBalancers).toEqual([]);
  });

  it("elbv2: create-rule with an http-header condition, describe-rules by priority, PriorityInUse, delete-rule", async () => {
    const vpc = await ok(["ec2", "create-vpc", "--cidr-block", "10.45.0.0/16"]);
    const subnets = [];
    for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
      subnets.push(
        (await ok(["ec2", "create-subnet", "--vpc-id", vpc.Vpc.VpcId, "--cidr-block", `10.45.${i + 1}.0/24`, "--availability-zone", az]))
          .Subnet.SubnetId,
      );
    }
    const lb = (await ok(["elbv2", "create-load-balancer", "--name", "cli-rules", "--subnets", ...subnets])).LoadBalancers[0];
    const tgs = [];
    for (const name of ["cli-rules-a", "cli-rules-b"])
      tgs.push(
        (await ok(["elbv2", "create-target-group", "--name", name, "--protocol", "HTTP", "--port", "80", "--vpc-id", vpc.Vpc.VpcId]))
          .TargetGroups[0].TargetGroupArn,
      );
    const listener = (
      await ok([
        "elbv2",
        "create-listener",
        "--load-balancer-arn",
        lb.LoadBalancerArn,
        "--protocol",
        "HTTP",
        "--port",
        "80",
        "--default-actions",
        `Type=forward,TargetGroupArn=${tgs[0]}`,
      ])
    ).Listeners[0];
    const conditions = JSON.stringify([{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Probe", Values: ["abc"] } }]);
    const created = await ok([
      "elbv2",
      "create-rule",
      "--listener-arn",
      listener.ListenerArn,
      "--priority",
      "10",
      "--conditions",
      conditions,
      "--actions",
      `Type=forward,TargetGroupArn=${tgs[1]}`,
    ]);
    const rule = created.Rules[0];
    expect(rule.RuleArn).toMatch(/:listener-rule\/app\/cli-rules\/[0-9a-f]{16}\/[0-9a-f]{16}\/[0-9a-f]{16}$/);
    expect(rule).toMatchObject({
      Priority: "10",
      IsDefault: false,
      Conditions: [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Probe", Values: ["abc"] } }],
    });
    await ok([
      "elbv2",
      "create-rule",
      "--listener-arn",
      listener.ListenerArn,
      "--priority",
      "5",
      "--conditions",
      "Field=path-pattern,Values=/img/*",
      "--actions",
      `Type=forward,TargetGroupArn=${tgs[1]}`,
    ]);
    const described = await ok(["elbv2", "describe-rules", "--listener-arn", listener.ListenerArn]);
    expect(described.Rules.map((r: { Priority: string }) => r.Priority)).toEqual(["5", "10", "default"]);
    expect(described.Rules[0].Conditions[0]).toEqual({
      Field: "path-pattern",
      Values: ["/img/*"],
      PathPatternConfig: { Values: ["/img/*"] },
    });
    const dup = await aws([
      "elbv2",
      "create-rule",
      "--listener-arn",
      listener.ListenerArn,
      "--priority",
      "10",
      "--conditions",
      conditions,
      "--actions",
      `Type=forward,TargetGroupArn=${tgs[1]}`,
    ]);
    expect(dup.code).not.toBe(0);
    expect(dup.stderr).toContain("PriorityInUse");
    await ok(["elbv2", "delete-rule", "--rule-arn", rule.RuleArn]);
    expect(
      (await ok(["elbv2", "describe-rules", "--listener-arn", listener.ListenerArn])).Rules.map((r: { Priority: string }) => r.Priority),
    ).toEqual(["5", "default"]);
  });

  it("rds: describe-db-instances and DBInstanceNotFound", async () => {
    expect((await ok(["rds", "describe-db-instances"])).DBInstances).toEqual([]);
    const missing = await aws(["rds", "describe-db-instances", "--db-instance-identifier", "nope"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("DBInstanceNotFound");
  });

  it("cloudwatch (query form): put-metric-data, get-metric-statistics, list-metrics, describe-alarms", async () => {
    await ok([
      "cloudwatch",
      "put-metric-data",
      "--namespace",
      "CliTest",
      "--metric-name",
      "Latency",
      "--value",
      "42",
      "--unit",
      "Milliseconds",
      "--dimensions",
      "Env=prod",
    ]);
    // Metrics are stamped with simulated time: ask for a window around the cloud's clock.
    const { body: clock } = await lc.admin("GET", "clock");
    const start = new Date(clock.nowMs - 3_600_000).toISOString();
    const end = new Date(clock.nowMs + 3_600_000).toISOString();
    const stats = await ok([
      "cloudwatch",
      "get-metric-statistics",
      "--namespace",
      "CliTest",
      "--metric-name",
      "Latency",
      "--dimensions",
      "Name=Env,Value=prod",
      "--start-time",
      start,
      "--end-time",
      end,
      "--period",
      "60",
      "--statistics",
      "Sum",
      "Maximum",
    ]);
    expect(stats.Label).toBe("Latency");
    expect(stats.Datapoints).toHaveLength(1);
    expect(stats.Datapoints[0]).toMatchObject({ Sum: 42, Maximum: 42, Unit: "Milliseconds" });
    const metrics = await ok(["cloudwatch", "list-metrics", "--namespace", "CliTest"]);
    expect(metrics.Metrics).toEqual([{ Namespace: "CliTest", MetricName: "Latency", Dimensions: [{ Name: "Env", Value: "prod" }] }]);
    await ok([
      "cloudwatch",
      "put-metric-alarm",
      "--alarm-name",
      "cli-latency",
      "--namespace",
      "CliTest",
      "--metric-name",
      "Latency",
      "--dimensions",
      "Name=Env,Value=prod",
      "--statistic",
      "Average",
      "--period",
      "60",
      "--evaluation-periods",
      "1",
      "--threshold",
      "100",
      "--comparison-operator",
      "GreaterThanThreshold",
    ]);
    const alarms = await ok(["cloudwatch", "describe-alarms", "--alarm-names", "cli-latency"]);
    expect(alarms.MetricAlarms).toHaveLength(1);
    expect(alarms.MetricAlarms[0]).toMatchObject({ AlarmName: "cli-latency", Threshold: 100, ComparisonOperator: "GreaterThanThreshold" });
    expect(alarms.MetricAlarms[0].AlarmArn).toBe("arn:aws:cloudwatch:us-east-1:000000000000:alarm:cli-latency");
  });

  it("cloudfront: list-distributions, create-distribution, NoSuchDistribution", async () => {
    // Without --no-paginate the CLI prints nothing for an empty list (no Items), as against AWS.
    const empty = await ok(["cloudfront", "list-distributions", "--no-paginate"]);
    expect(empty.DistributionList).toMatchObject({ Quantity: 0, IsTruncated: false });
    const created = await ok(["cloudfront", "create-distribution", "--origin-domain-name", "web-1.us-east-1.elb.amazonaws.com"]);
    expect(created.Distribution.Id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(created.Distribution.DomainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(created.ETag).toBeTruthy();
    expect(created.Location).toContain(`/2020-05-31/distribution/${created.Distribution.Id}`);
    const listed = await ok(["cloudfront", "list-distributions"]);
    expect(listed.DistributionList.Items.map((d: any) => d.Id)).toEqual([created.Distribution.Id]);
    expect(listed.DistributionList.Items[0].Origins.Items[0].DomainName).toBe("web-1.us-east-1.elb.amazonaws.com");
    const missing = await aws(["cloudfront", "get-distribution", "--id", "ENOPE000000000"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("NoSuchDistribution");
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
