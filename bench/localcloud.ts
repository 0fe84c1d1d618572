/**
 * `npm run bench:localcloud`: how fast the local cloud answers Describe* calls when it holds a
 * realistic account. Starts a local cloud in-process, builds BENCH_ENVS environments the way
 * Switchyard does (per environment: a VPC, 4 subnets, 2 route tables, 3 security groups, an ALB
 * with 2 target groups and a listener, a launch template, 2 Auto Scaling groups of 2 instances,
 * 3 alarms), waits until every instance is in service (so health checks, metrics and the data
 * plane run while it measures), then times BENCH_CALLS Describe* calls across EC2, ELBv2, Auto
 * Scaling and CloudWatch through the real AWS SDK v3, one at a time. Last line:
 *   describe_p50_ms=<n> describe_p99_ms=<n>
 * Env: BENCH_ENVS (default 50), BENCH_CALLS (2400), BENCH_SPEED (10).
 */
import { CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeAlarmsCommand, PutMetricAlarmCommand } from "@aws-sdk/client-cloudwatch";
import {
  AssociateRouteTableCommand,
  CreateLaunchTemplateCommand,
  CreateRouteTableCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { monitorEventLoopDelay, PerformanceObserver } from "node:perf_hooks";
import { startTestCloud, type TestCloud } from "../localcloud/test/helpers.ts";

const ENVS = Number(process.env.BENCH_ENVS ?? 50);
const CALLS = Math.max(2000, Number(process.env.BENCH_CALLS ?? 2400));
const SPEED = Number(process.env.BENCH_SPEED ?? 10);
/** Environments built at once (each is ~25 sequential calls). */
const BUILD_CONCURRENCY = 5;

interface Env {
  name: string;
  vpcId: string;
  subnetIds: string[];
  groupIds: string[];
  launchTemplateId: string;
  loadBalancerArn: string;
  targetGroupArns: string[];
  groupNames: string[];
}

async function buildEnv(lc: TestCloud, i: number, imageId: string): Promise<Env> {
  const name = `env${String(i).padStart(2, "0")}`;
  const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${i}.0.0/16` }));
  const vpcId = Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (const [k, zone] of ["us-east-1a", "us-east-1b", "us-east-1a", "us-east-1b"].entries()) {
    subnetIds.push(
      (await lc.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${i}.${k}.0/24`, AvailabilityZone: zone }))).Subnet!
        .SubnetId!,
    );
  }
  for (const [k, pair] of [subnetIds.slice(0, 2), subnetIds.slice(2)].entries()) {
    const { RouteTable } = await lc.ec2.send(
      new CreateRouteTableCommand({
        VpcId: vpcId,
        TagSpecifications: [{ ResourceType: "route-table", Tags: [{ Key: "Name", Value: `${name}-${k ? "private" : "public"}` }] }],
      }),
    );
    for (const SubnetId of pair) await lc.ec2.send(new AssociateRouteTableCommand({ RouteTableId: RouteTable!.RouteTableId!, SubnetId }));
  }
  const groupIds: string[] = [];
  for (const role of ["alb", "app", "db"]) {
    groupIds.push(
      (await lc.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: `${name}-${role}`, Description: `${name} ${role}` })))
        .GroupId!,
    );
  }
  const { LaunchTemplate } = await lc.ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: name,
      LaunchTemplateData: {
        ImageId: imageId,
        InstanceType: "t3.micro",
        SecurityGroupIds: [groupIds[1]],
        UserData: Buffer.from("#!/bin/bash\n# localcloud: boot_seconds=5\necho starting app\n").toString("base64"),
      },
    }),
  );
  const lb = (
    await lc.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: subnetIds.slice(0, 2), SecurityGroups: [groupIds[0]] }))
  ).LoadBalancers![0];
  const targetGroupArns: string[] = [];
  for (const slot of ["blue", "green"]) {
    const { TargetGroups } = await lc.elbv2.send(
      new CreateTargetGroupCommand({ Name: `${name}-${slot}`, Protocol: "HTTP", Port: 80, VpcId: vpcId, HealthCheckPath: "/health" }),
    );
    targetGroupArns.push(TargetGroups![0].TargetGroupArn!);
  }
  await lc.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancerArn!,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [
        {
          Type: "forward",
          ForwardConfig: { TargetGroups: targetGroupArns.map((TargetGroupArn, k) => ({ TargetGroupArn, Weight: k ? 0 : 100 })) },
        },
      ],
    }),
  );
  const groupNames: string[] = [];
  for (const [k, slot] of ["blue", "green"].entries()) {
    const AutoScalingGroupName = `${name}-${slot}`;
    await lc.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName,
        MinSize: 2,
        MaxSize: 4,
        DesiredCapacity: 2,
        VPCZoneIdentifier: subnetIds.slice(2).join(","),
        LaunchTemplate: { LaunchTemplateId: LaunchTemplate!.LaunchTemplateId!, Version: "$Latest" },
        TargetGroupARNs: [targetGroupArns[k]],
      }),
    );
    groupNames.push(AutoScalingGroupName);
  }
  const tg = (arn: string) => arn.slice(arn.lastIndexOf(":") + 1);
  const lbDim = lb.LoadBalancerArn!.slice(lb.LoadBalancerArn!.indexOf(":loadbalancer/") + 14);
  for (const [k, arn] of targetGroupArns.entries()) {
    await lc.cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: `${name}-${k ? "green" : "blue"}-unhealthy`,
        Namespace: "AWS/ApplicationELB",
        MetricName: "UnHealthyHostCount",
        Statistic: "Maximum",
        Dimensions: [
          { Name: "TargetGroup", Value: tg(arn) },
          { Name: "LoadBalancer", Value: lbDim },
        ],
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      }),
    );
  }
  await lc.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: `${name}-p95`,
      Namespace: "AWS/ApplicationELB",
      MetricName: "TargetResponseTime",
      ExtendedStatistic: "p95",
      Dimensions: [{ Name: "LoadBalancer", Value: lbDim }],
      Period: 60,
      EvaluationPeriods: 5,
      Threshold: 0.5,
      ComparisonOperator: "GreaterThanThreshold",
    }),
  );
  return {
    name,
    vpcId,
    subnetIds,
    groupIds,
    launchTemplateId: LaunchTemplate!.LaunchTemplateId!,
    loadBalancerArn: lb.LoadBalancerArn!,
    targetGroupArns,
    groupNames,
  };
}

/** One Describe* call per kind, against environment `e`: what a console or Switchyard's reads would ask. */
function describeCalls(lc: TestCloud, e: Env): Array<[string, () => Promise<unknown>]> {
  return [
    ["ec2:DescribeVpcs", () => lc.ec2.send(new DescribeVpcsCommand({ VpcIds: [e.vpcId] }))],
    ["ec2:DescribeSubnets", () => lc.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [e.vpcId] }] }))],
    ["ec2:DescribeRouteTables", () => lc.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [e.vpcId] }] }))],
    ["ec2:DescribeSecurityGroups", () => lc.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: e.groupIds }))],
    [
      "ec2:DescribeInstances",
      () => lc.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "tag:aws:autoscaling:groupName", Values: e.groupNames }] })),
    ],
    ["ec2:DescribeLaunchTemplates", () => lc.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [e.launchTemplateId] }))],
    [
      "elasticloadbalancing:DescribeLoadBalancers",
      () => lc.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [e.loadBalancerArn] })),
    ],
    ["elasticloadbalancing:DescribeListeners", () => lc.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: e.loadBalancerArn }))],
    [
      "elasticloadbalancing:DescribeTargetGroups",
      () => lc.elbv2.send(new DescribeTargetGroupsCommand({ LoadBalancerArn: e.loadBalancerArn })),
    ],
    [
      "elasticloadbalancing:DescribeTargetHealth",
      () => lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: e.targetGroupArns[0] })),
    ],
    [
      "autoscaling:DescribeAutoScalingGroups",
      () => lc.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: e.groupNames })),
    ],
    ["monitoring:DescribeAlarms", () => lc.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${e.name}-` }))],
  ];
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const lc = await startTestCloud({ speed: SPEED, maxAttempts: 3 });
try {
  // AWS's default is 5 VPCs per region; an account holding 50 environments has had it raised.
  const quota = await lc.admin("POST", "quotas", { quotas: { "vpcs-per-region": ENVS + 5 } });
  if (quota.status !== 200) console.log(`(quotas admin API answered ${quota.status}: ${JSON.stringify(quota.body)})`);
  const imageId = (
    await lc.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"], Filters: [{ Name: "name", Values: ["al2023-ami-2023*"] }] }))
  ).Images![0].ImageId!;
  const t0 = Date.now();
  const envs: Env[] = [];
  for (let i = 0; i < ENVS; i += BUILD_CONCURRENCY) {
    envs.push(
      ...(await Promise.all(Array.from({ length: Math.min(BUILD_CONCURRENCY, ENVS - i) }, (_, k) => buildEnv(lc, i + k, imageId)))),
    );
  }
  console.log(`built ${ENVS} environments in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const names = envs.flatMap((e) => e.groupNames);
  for (;;) {
    let inService = 0;
    for (let k = 0; k < names.length; k += 50) {
      const { AutoScalingGroups } = await lc.autoscaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: names.slice(k, k + 50) }),
      );
      inService += (AutoScalingGroups ?? []).flatMap((g) => g.Instances ?? []).filter((m) => m.LifecycleState === "InService").length;
    }
    if (inService >= names.length * 2) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  console.log(
    `${names.length * 2} instances in service after ${((Date.now() - t0) / 1000).toFixed(1)} s; timing ${CALLS} Describe* calls...`,
  );

  // What else held the (shared) event loop while timing: garbage collection and blocked stretches.
  const gcs: number[] = [];
  const gc = new PerformanceObserver((list) => gcs.push(...list.getEntries().map((e) => e.duration)));
  gc.observe({ entryTypes: ["gc"] });
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  for (let n = 0; n < CALLS; n++) {
    const calls = describeCalls(lc, envs[n % envs.length]);
    const [kind, call] = calls[Math.floor(n / envs.length) % calls.length];
    const started = performance.now();
    await call();
    const ms = performance.now() - started;
    all.push(ms);
    byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
  }
  loop.disable();
  gc.disconnect();
  const timed = all.reduce((a, b) => a + b, 0);
  console.log(
    `${CALLS} calls in ${(timed / 1000).toFixed(1)} s; event loop delay p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms; ` +
      `GC ${gcs.length} pauses, ${gcs.reduce((a, b) => a + b, 0).toFixed(0)} ms, ${gcs.filter((d) => d > 5).length} over 5 ms; calls over 10 ms: ${all.filter((d) => d > 10).length}`,
  );
  for (const [kind, list] of [...byKind.entries()].sort()) {
    const sorted = list.sort((a, b) => a - b);
    console.log(
      `${kind.padEnd(44)} n=${String(sorted.length).padStart(4)}  p50 ${pct(sorted, 50).toFixed(2)} ms  p99 ${pct(sorted, 99).toFixed(2)} ms`,
    );
  }
  const sorted = all.sort((a, b) => a - b);
  console.log(`describe_p50_ms=${pct(sorted, 50).toFixed(2)} describe_p99_ms=${pct(sorted, 99).toFixed(2)}`);
} finally {
  await lc.close();
}
