/**
 * Auto Scaling conformance through the real SDK v3 clients: groups keep their desired capacity
 * balanced across zones, every launch/termination is an activity with AWS's cause wording,
 * lost instances are replaced, and policies, metrics collection, tags, target groups and
 * instance refreshes behave as AWS documents.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { rmSync } from "node:fs";
import {
  ActiveInstanceRefreshNotFoundFault,
  AlreadyExistsFault,
  AttachLoadBalancerTargetGroupsCommand,
  CancelInstanceRefreshCommand,
  CreateAutoScalingGroupCommand,
  CreateOrUpdateTagsCommand,
  DeleteAutoScalingGroupCommand,
  DeletePolicyCommand,
  DeleteTagsCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  DescribeScalingActivitiesCommand,
  DescribeTagsCommand,
  DisableMetricsCollectionCommand,
  EnableMetricsCollectionCommand,
  InstanceRefreshInProgressFault,
  PutScalingPolicyCommand,
  ResourceInUseFault,
  SetDesiredCapacityCommand,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  UpdateAutoScalingGroupCommand,
  type AutoScalingClient,
  type AutoScalingGroup,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  TerminateInstancesCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeAlarmsCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import { CreateTargetGroupCommand, DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { eventually, expectError, startTestCloud, type TestCloud } from "./helpers.ts";

let lc: TestCloud;
let asg: AutoScalingClient;
let ec2: EC2Client;
let vpcId: string;
let subnetIds: string[];
let templateId: string;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 200 });
  asg = lc.autoscaling;
  ec2 = lc.ec2;
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: "10.20.0.0/16" }));
  vpcId = Vpc!.VpcId!;
  subnetIds = [];
  for (const [i, zone] of ["us-east-1a", "us-east-1b", "us-east-1c"].entries()) {
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.20.${i}.0/24`, AvailabilityZone: zone }));
    subnetIds.push(Subnet!.SubnetId!);
  }
  const imageId = (await ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images![0].ImageId!;
  const { LaunchTemplate } = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: "asg-web",
      LaunchTemplateData: {
        ImageId: imageId,
        InstanceType: "t3.micro",
        UserData: Buffer.from("# localcloud: boot_seconds=20").toString("base64"),
      },
    }),
  );
  templateId = LaunchTemplate!.LaunchTemplateId!;
});
afterAll(async () => lc?.close());

async function createGroup(name: string, fields: Partial<ConstructorParameters<typeof CreateAutoScalingGroupCommand>[0]> = {}) {
  await asg.send(
    new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: name,
      LaunchTemplate: { LaunchTemplateId: templateId, Version: "$Latest" },
      MinSize: 0,
      MaxSize: 6,
      DesiredCapacity: 3,
      VPCZoneIdentifier: subnetIds.join(","),
      ...fields,
    }),
  );
}

async function group(name: string): Promise<AutoScalingGroup | undefined> {
  const { AutoScalingGroups } = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }));
  return AutoScalingGroups![0];
}

/** Waits until the group has exactly `count` instances, all InService. */
async function settled(name: string, count: number): Promise<AutoScalingGroup> {
  return eventually<AutoScalingGroup | undefined>(async () => {
    const g = await group(name);
    const instances = g?.Instances ?? [];
    return g && instances.length === count && instances.every((i) => i.LifecycleState === "InService") ? g : undefined;
  }) as Promise<AutoScalingGroup>;
}

async function activities(name: string) {
  return (await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name }))).Activities!;
}

const zoneCounts = (g: AutoScalingGroup) =>
  (g.Instances ?? []).reduce<Record<string, number>>(
    (counts, i) => ({ ...counts, [i.AvailabilityZone!]: (counts[i.AvailabilityZone!] ?? 0) + 1 }),
    {},
  );

async function forceDelete(name: string) {
  await asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true }));
}

describe("groups keep their desired capacity", () => {
  it("launches the desired capacity balanced across the subnets' zones and records the launches", async () => {
    await createGroup("web", {
      DesiredCapacity: 6,
      Tags: [
        { Key: "app", Value: "web", PropagateAtLaunch: true },
        { Key: "cost", Value: "x", PropagateAtLaunch: false },
      ],
    });
    const g = await settled("web", 6);
    expect(zoneCounts(g)).toEqual({ "us-east-1a": 2, "us-east-1b": 2, "us-east-1c": 2 });
    expect(g).toMatchObject({
      MinSize: 0,
      MaxSize: 6,
      DesiredCapacity: 6,
      HealthCheckType: "EC2",
      DefaultCooldown: 300,
      AvailabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    });
    expect(g.AutoScalingGroupARN).toMatch(
      /^arn:aws:autoscaling:us-east-1:000000000000:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/web$/,
    );
    expect(g.Instances![0]).toMatchObject({
      HealthStatus: "Healthy",
      ProtectedFromScaleIn: false,
      InstanceType: "t3.micro",
      LaunchTemplate: { LaunchTemplateId: templateId, Version: "1" },
    });

    const ids = g.Instances!.map((i) => i.InstanceId!);
    const reservations = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }));
    const instances = reservations.Reservations!.flatMap((r) => r.Instances!);
    expect(instances.every((i) => i.State?.Name === "running")).toBe(true);
    const tags = Object.fromEntries(instances[0].Tags!.map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({ "aws:autoscaling:groupName": "web", app: "web" });
    expect(tags.cost).toBeUndefined();

    const launches = (await activities("web")).filter((a) => a.Description!.startsWith("Launching a new EC2 instance: i-"));
    expect(launches).toHaveLength(6);
    expect(launches.every((a) => a.StatusCode === "Successful" && a.Progress === 100 && a.EndTime instanceof Date)).toBe(true);
    expect(launches[0].Cause).toMatch(
      /^At \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ a user request created an AutoScalingGroup changing the desired capacity from 0 to 6\. {2}At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 6\.$/,
    );
    expect(JSON.parse(launches[0].Details!)).toHaveProperty("Availability Zone");
    const described = await asg.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [ids[0]] }));
    expect(described.AutoScalingInstances![0]).toMatchObject({
      InstanceId: ids[0],
      AutoScalingGroupName: "web",
      LifecycleState: "InService",
      HealthStatus: "HEALTHY",
    });
  });

  it("scales in to balance zones and records causes, then replaces an instance terminated outside the group", async () => {
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: "web", DesiredCapacity: 3 }));
    const g = await settled("web", 3);
    expect(zoneCounts(g)).toEqual({ "us-east-1a": 1, "us-east-1b": 1, "us-east-1c": 1 });
    const terminations = (await activities("web")).filter((a) => a.Description!.startsWith("Terminating EC2 instance: i-"));
    expect(terminations).toHaveLength(3);
    await eventually(async () =>
      (await activities("web")).filter((a) => a.Description!.startsWith("Terminating")).every((a) => a.StatusCode === "Successful"),
    );
    expect(terminations[0].Cause).toMatch(
      /a user request explicitly set group desired capacity changing the desired capacity from 6 to 3\. {2}At \S+Z an instance was taken out of service in response to a difference between desired and actual capacity, shrinking the capacity from 6 to 3\.$/,
    );

    const victim = g.Instances![0].InstanceId!;
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [victim] }));
    const healed = await eventually(async () => {
      const now = (await group("web"))!;
      const ids = now.Instances!.map((i) => i.InstanceId);
      return !ids.includes(victim) && now.Instances!.length === 3 && now.Instances!.every((i) => i.LifecycleState === "InService")
        ? now
        : undefined;
    });
    expect(zoneCounts(healed!)).toEqual({ "us-east-1a": 1, "us-east-1b": 1, "us-east-1c": 1 });
    const recent = await activities("web");
    expect(recent.find((a) => a.Description === `Terminating EC2 instance: ${victim}`)!.Cause).toMatch(
      /an instance was taken out of service in response to an EC2 health check indicating it has been terminated or stopped\.$/,
    );
    expect(recent[0].Description).toMatch(/^Launching a new EC2 instance: i-/);
    expect(recent[0].Cause).toMatch(
      /^At \S+Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 2 to 3\.$/,
    );
  });

  it("terminates a member on request with or without decrementing the desired capacity", async () => {
    const before = await settled("web", 3);
    const [first, second] = before.Instances!.map((i) => i.InstanceId!);
    const { Activity } = await asg.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: first, ShouldDecrementDesiredCapacity: true }),
    );
    expect(Activity).toMatchObject({ AutoScalingGroupName: "web", Description: `Terminating EC2 instance: ${first}` });
    expect(Activity!.Cause).toMatch(
      new RegExp(`instance ${first} was taken out of service in response to a user request, shrinking the capacity from 3 to 2\\.$`),
    );
    expect((await group("web"))!.DesiredCapacity).toBe(2);
    await settled("web", 2);
    const replaced = await asg.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: second, ShouldDecrementDesiredCapacity: false }),
    );
    expect(replaced.Activity!.Cause).toMatch(/in response to a user request\.$/);
    const after = await eventually(async () => {
      const g = await settled("web", 2);
      return g.Instances!.some((i) => i.InstanceId === second) ? undefined : g;
    });
    expect(after!.DesiredCapacity).toBe(2);
    const notMember = await expectError(
      asg.send(new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: "i-0123456789abcdef0", ShouldDecrementDesiredCapacity: true })),
    );
    expect(notMember.name).toBe("ValidationError");
  });

  it("validates sizes, templates, subnets and names with Auto Scaling's faults", async () => {
    const duplicate = await expectError(createGroup("web"));
    expect(duplicate).toBeInstanceOf(AlreadyExistsFault);
    const minOverMax = await expectError(createGroup("bad", { MinSize: 3, MaxSize: 2, DesiredCapacity: 2 }));
    expect(minOverMax.name).toBe("ValidationError");
    expect(minOverMax.message).toContain("Max bound, 2, must be greater than or equal to min bound, 3");
    expect((await expectError(createGroup("bad", { MaxSize: 2, DesiredCapacity: 5 }))).name).toBe("ValidationError");
    expect((await expectError(createGroup("bad", { LaunchTemplate: { LaunchTemplateId: "lt-0123456789abcdef0" } }))).message).toContain(
      "launch template",
    );
    expect((await expectError(createGroup("bad", { VPCZoneIdentifier: "subnet-0123456789abcdef0" }))).name).toBe("ValidationError");
    expect((await expectError(createGroup("bad", { LaunchTemplate: undefined }))).name).toBe("ValidationError");
    const above = await expectError(asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: "web", DesiredCapacity: 7 })));
    expect(above.name).toBe("ValidationError");
    expect(above.message).toBe("New SetDesiredCapacity value 7 is above max value 6 for the AutoScalingGroup.");
    expect((await expectError(asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: "nope", DesiredCapacity: 1 })))).name).toBe(
      "ValidationError",
    );
    expect((await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["nope"] }))).AutoScalingGroups).toEqual([]);
  });

  it("updates constraints with the update cause, pages and filters groups by tag", async () => {
    await createGroup("api", { DesiredCapacity: 0, MinSize: 0, Tags: [{ Key: "tier", Value: "api" }] });
    await asg.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: "api",
        MinSize: 2,
        MaxSize: 4,
        HealthCheckType: "ELB",
        HealthCheckGracePeriod: 60,
      }),
    );
    const g = await settled("api", 2);
    expect(g).toMatchObject({ MinSize: 2, MaxSize: 4, DesiredCapacity: 2, HealthCheckType: "ELB", HealthCheckGracePeriod: 60 });
    expect((await activities("api"))[0].Cause).toMatch(
      /a user request update of AutoScalingGroup constraints to min: 2, max: 4, desired: 2 changing the desired capacity from 0 to 2\./,
    );

    const first = await asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 1 }));
    expect(first.AutoScalingGroups).toHaveLength(1);
    const second = await asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 1, NextToken: first.NextToken }));
    expect(second.AutoScalingGroups![0].AutoScalingGroupName).not.toBe(first.AutoScalingGroups![0].AutoScalingGroupName);
    const byTag = await asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: "tag:tier", Values: ["api"] }] }));
    expect(byTag.AutoScalingGroups!.map((x) => x.AutoScalingGroupName)).toEqual(["api"]);
    const byKey = await asg.send(new DescribeAutoScalingGroupsCommand({ Filters: [{ Name: "tag-key", Values: ["app"] }] }));
    expect(byKey.AutoScalingGroups!.map((x) => x.AutoScalingGroupName)).toEqual(["web"]);
    expect((await expectError(asg.send(new DescribeAutoScalingGroupsCommand({ NextToken: "bogus" })))).name).toBe("InvalidNextToken");
  });

  it("refuses to delete a group with instances unless forced, then drains it", async () => {
    const inUse = await expectError(asg.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "api" })));
    expect(inUse).toBeInstanceOf(ResourceInUseFault);
    const ids = (await group("api"))!.Instances!.map((i) => i.InstanceId!);
    await forceDelete("api");
    const deleting = await group("api");
    if (deleting) expect(deleting.Status).toBe("Delete in progress");
    await eventually(async () => (await group("api")) === undefined);
    const instances = (await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))).Reservations!.flatMap((r) => r.Instances!);
    expect(instances.every((i) => ["shutting-down", "terminated"].includes(i.State!.Name!))).toBe(true);
    const history = await asg.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: "api", IncludeDeletedGroups: true }));
    expect(history.Activities!.length).toBeGreaterThanOrEqual(4);
  });
});

describe("policies, metrics and tags", () => {
  it("creates target-tracking alarms in CloudWatch and deletes them with the policy", async () => {
    const { PolicyARN, Alarms } = await asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: "web",
        PolicyName: "cpu50",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: "ASGAverageCPUUtilization" },
          TargetValue: 50,
        },
      }),
    );
    expect(PolicyARN).toMatch(
      /^arn:aws:autoscaling:us-east-1:000000000000:scalingPolicy:[0-9a-f-]{36}:autoScalingGroupName\/web:policyName\/cpu50$/,
    );
    expect(Alarms!.map((a) => a.AlarmName)).toEqual([
      expect.stringMatching(/^TargetTracking-web-AlarmHigh-[0-9a-f-]{36}$/),
      expect.stringMatching(/^TargetTracking-web-AlarmLow-[0-9a-f-]{36}$/),
    ]);
    const { MetricAlarms } = await lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: Alarms!.map((a) => a.AlarmName!) }));
    const high = MetricAlarms!.find((a) => a.AlarmName!.includes("AlarmHigh"))!;
    expect(high).toMatchObject({
      Namespace: "AWS/EC2",
      MetricName: "CPUUtilization",
      Threshold: 50,
      ComparisonOperator: "GreaterThanThreshold",
      AlarmActions: [PolicyARN],
    });
    expect(high.Dimensions).toEqual([{ Name: "AutoScalingGroupName", Value: "web" }]);

    await asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: "web",
        PolicyName: "step",
        PolicyType: "SimpleScaling",
        AdjustmentType: "ChangeInCapacity",
        ScalingAdjustment: 1,
        Cooldown: 120,
      }),
    );
    const policies = await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: "web" }));
    expect(policies.ScalingPolicies!.map((p) => [p.PolicyName, p.PolicyType])).toEqual([
      ["cpu50", "TargetTrackingScaling"],
      ["step", "SimpleScaling"],
    ]);
    expect(policies.ScalingPolicies![0].TargetTrackingConfiguration).toMatchObject({
      TargetValue: 50,
      PredefinedMetricSpecification: { PredefinedMetricType: "ASGAverageCPUUtilization" },
    });
    const noLabel = await expectError(
      asg.send(
        new PutScalingPolicyCommand({
          AutoScalingGroupName: "web",
          PolicyName: "rps",
          PolicyType: "TargetTrackingScaling",
          TargetTrackingConfiguration: {
            PredefinedMetricSpecification: { PredefinedMetricType: "ALBRequestCountPerTarget" },
            TargetValue: 100,
          },
        }),
      ),
    );
    expect(noLabel.name).toBe("ValidationError");

    await asg.send(new DeletePolicyCommand({ AutoScalingGroupName: "web", PolicyName: "cpu50" }));
    expect((await lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: Alarms!.map((a) => a.AlarmName!) }))).MetricAlarms).toEqual(
      [],
    );
    expect(
      (await asg.send(new DescribePoliciesCommand({ AutoScalingGroupName: "web" }))).ScalingPolicies!.map((p) => p.PolicyName),
    ).toEqual(["step"]);
  });

  it("runs a target-tracking policy when its high alarm fires, sizing the group by metric/target", async () => {
    const before = (await group("web"))!.DesiredCapacity!;
    const { Alarms } = await asg.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: "web",
        PolicyName: "cpu-run",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingConfiguration: {
          PredefinedMetricSpecification: { PredefinedMetricType: "ASGAverageCPUUtilization" },
          TargetValue: 50,
        },
      }),
    );
    const high = Alarms!.find((a) => a.AlarmName!.includes("AlarmHigh"))!.AlarmName!;
    await lc.cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: high,
        StateValue: "ALARM",
        StateReason: "test",
        StateReasonData: JSON.stringify({ version: "1.0", recentDatapoints: [90, 90, 90], threshold: 50 }),
      }),
    );
    const expected = Math.ceil((before * 90) / 50);
    const scaled = await settled("web", expected);
    expect(scaled.DesiredCapacity).toBe(expected);
    const launch = (await activities("web"))[0];
    expect(launch.Cause).toContain(
      `a monitor alarm ${high} in state ALARM triggered policy cpu-run changing the desired capacity from ${before} to ${expected}.`,
    );
    await asg.send(new DeletePolicyCommand({ AutoScalingGroupName: "web", PolicyName: "cpu-run" }));
  });

  it("enables and disables metrics collection and manages group tags", async () => {
    await asg.send(
      new EnableMetricsCollectionCommand({
        AutoScalingGroupName: "web",
        Granularity: "1Minute",
        Metrics: ["GroupDesiredCapacity", "GroupInServiceInstances"],
      }),
    );
    expect((await group("web"))!.EnabledMetrics).toEqual([
      { Metric: "GroupDesiredCapacity", Granularity: "1Minute" },
      { Metric: "GroupInServiceInstances", Granularity: "1Minute" },
    ]);
    expect(
      (await expectError(asg.send(new EnableMetricsCollectionCommand({ AutoScalingGroupName: "web", Granularity: "5Minute" })))).name,
    ).toBe("ValidationError");
    await asg.send(new DisableMetricsCollectionCommand({ AutoScalingGroupName: "web", Metrics: ["GroupDesiredCapacity"] }));
    expect((await group("web"))!.EnabledMetrics!.map((m) => m.Metric)).toEqual(["GroupInServiceInstances"]);

    await asg.send(
      new CreateOrUpdateTagsCommand({
        Tags: [{ ResourceId: "web", ResourceType: "auto-scaling-group", Key: "owner", Value: "ops", PropagateAtLaunch: false }],
      }),
    );
    const tags = await asg.send(
      new DescribeTagsCommand({
        Filters: [
          { Name: "auto-scaling-group", Values: ["web"] },
          { Name: "key", Values: ["owner", "app"] },
        ],
      }),
    );
    expect(tags.Tags!.map((t) => [t.Key, t.Value, t.PropagateAtLaunch]).sort()).toEqual([
      ["app", "web", true],
      ["owner", "ops", false],
    ]);
    await asg.send(new DeleteTagsCommand({ Tags: [{ ResourceId: "web", ResourceType: "auto-scaling-group", Key: "owner" }] }));
    expect((await group("web"))!.Tags!.map((t) => t.Key)).toEqual(["app", "cost"]);
  });
});

describe("instance refresh and target groups", () => {
  it("replaces every instance with the new launch template version in batches", async () => {
    await createGroup("refresh", {
      DesiredCapacity: 4,
      MinSize: 4,
      MaxSize: 8,
      LaunchTemplate: { LaunchTemplateId: templateId, Version: "$Latest" },
    });
    const before = await settled("refresh", 4);
    await ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: templateId,
        SourceVersion: "1",
        LaunchTemplateData: { InstanceType: "t3.small" },
      }),
    );
    const { InstanceRefreshId } = await asg.send(
      new StartInstanceRefreshCommand({ AutoScalingGroupName: "refresh", Preferences: { MinHealthyPercentage: 50, InstanceWarmup: 30 } }),
    );
    expect(InstanceRefreshId).toMatch(/^[0-9a-f-]{36}$/);
    const busy = await expectError(asg.send(new StartInstanceRefreshCommand({ AutoScalingGroupName: "refresh" })));
    expect(busy).toBeInstanceOf(InstanceRefreshInProgressFault);
    const done = await eventually(
      async () => {
        const [refresh] = (await asg.send(new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: "refresh" }))).InstanceRefreshes!;
        return refresh.Status === "Successful" ? refresh : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(done).toMatchObject({
      InstanceRefreshId,
      PercentageComplete: 100,
      InstancesToUpdate: 0,
      Preferences: expect.objectContaining({ MinHealthyPercentage: 50 }),
    });
    expect(done!.EndTime).toBeInstanceOf(Date);
    const after = await settled("refresh", 4);
    const oldIds = new Set(before.Instances!.map((i) => i.InstanceId));
    expect(after.Instances!.some((i) => oldIds.has(i.InstanceId))).toBe(false);
    expect(after.Instances!.every((i) => i.LaunchTemplate!.Version === "2" && i.InstanceType === "t3.small")).toBe(true);
    const refreshTerminations = (await activities("refresh")).filter((a) => a.Cause!.includes("in response to an instance refresh"));
    expect(refreshTerminations).toHaveLength(4);
    expect(await expectError(asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: "refresh" })))).toBeInstanceOf(
      ActiveInstanceRefreshNotFoundFault,
    );
    await forceDelete("refresh");
  });

  it("registers InService instances with its target groups and deregisters them on scale-in", async () => {
    const { TargetGroups } = await lc.elbv2.send(
      new CreateTargetGroupCommand({ Name: "asg-tg", Protocol: "HTTP", Port: 80, VpcId: vpcId, TargetType: "instance" }),
    );
    const tgArn = TargetGroups![0].TargetGroupArn!;
    await createGroup("fleet", { DesiredCapacity: 2, TargetGroupARNs: [tgArn] });
    const g = await settled("fleet", 2);
    expect(g.TargetGroupARNs).toEqual([tgArn]);
    const registered = async () =>
      ((await lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: tgArn }))).TargetHealthDescriptions ?? [])
        .filter((d) => d.TargetHealth?.State !== "draining")
        .map((d) => d.Target!.Id)
        .sort();
    await eventually(async () => JSON.stringify(await registered()) === JSON.stringify(g.Instances!.map((i) => i.InstanceId).sort()));
    await asg.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: "fleet", DesiredCapacity: 1 }));
    const smaller = await settled("fleet", 1);
    await eventually(async () => JSON.stringify(await registered()) === JSON.stringify([smaller.Instances![0].InstanceId]));

    await createGroup("late", { DesiredCapacity: 1 });
    const late = await settled("late", 1);
    await asg.send(new AttachLoadBalancerTargetGroupsCommand({ AutoScalingGroupName: "late", TargetGroupARNs: [tgArn] }));
    expect(await registered()).toContain(late.Instances![0].InstanceId);
    const badArn = await expectError(
      asg.send(
        new AttachLoadBalancerTargetGroupsCommand({
          AutoScalingGroupName: "late",
          TargetGroupARNs: ["arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/none/0123456789abcdef"],
        }),
      ),
    );
    expect(badArn.name).toBe("ValidationError");
    await forceDelete("fleet");
    await forceDelete("late");
  });
});

describe("persistence", () => {
  it("keeps groups, members and their EC2 instances across a restart of the local cloud", async () => {
    const first = await startTestCloud({ speed: 200 });
    const { Vpc } = await first.ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }));
    const { Subnet } = await first.ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: "10.30.1.0/24", AvailabilityZone: "us-east-1a" }),
    );
    const imageId = (await first.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images![0].ImageId!;
    await first.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "persist",
        LaunchTemplateData: { ImageId: imageId, InstanceType: "t3.micro" },
      }),
    );
    await first.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "persist",
        LaunchTemplate: { LaunchTemplateName: "persist" },
        MinSize: 1,
        MaxSize: 2,
        VPCZoneIdentifier: Subnet!.SubnetId,
      }),
    );
    const member = await eventually(async () => {
      const g = (await first.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["persist"] })))
        .AutoScalingGroups![0];
      return g.Instances?.[0]?.LifecycleState === "InService" ? g.Instances[0].InstanceId : undefined;
    });
    await first.close({ keepData: true });

    const second = await startTestCloud({ speed: 200, dataDir: first.dataDir });
    try {
      const g = (await second.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["persist"] })))
        .AutoScalingGroups![0];
      expect(g.Instances!.map((i) => [i.InstanceId, i.LifecycleState])).toEqual([[member, "InService"]]);
      const reservations = await second.ec2.send(new DescribeInstancesCommand({ InstanceIds: [member!] }));
      expect(reservations.Reservations![0].Instances![0].State!.Name).toBe("running");
      await second.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: "persist", ForceDelete: true }));
    } finally {
      await second.close();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
