/**
 * Build a real web stack in a test cloud through the AWS SDK, the way Switchyard does on AWS:
 * VPC + subnets, one ALB with an HTTP listener, and one or more fleets (blue, green...), each a
 * target group + launch template (user data with `# localcloud:` directives) + Auto Scaling
 * group. Health checks are tuned fast (5 s interval, thresholds 2) so stacks settle in a few
 * simulated minutes.
 *
 *   const lc = await startTestCloud({ speed: 100 });
 *   const stack = await buildWebStack(lc, { fleets: [{ name: "blue", version: "v1", capacity: 2 }, { name: "green", version: "v2", capacity: 2 }], weights: { blue: 100, green: 0 } });
 *   await waitForHealthy(lc, stack.fleets.blue.targetGroupArn, 2);
 *   const res = await fetch(stack.url + "/");          // real HTTP through the listener port
 *   await setWeights(lc, stack, { blue: 0, green: 100 });
 */
import { CreateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand } from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeTargetHealthCommand,
  ModifyListenerCommand,
  ModifyTargetGroupAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { eventually, type TestCloud } from "./helpers.ts";

export interface Directives {
  version?: string;
  boot_seconds?: number;
  latency_ms?: number;
  error_rate?: number;
  health?: "ok" | "fail";
  cpu_per_rps?: number;
}

/** User data as a deploy would write it: a script, with the directives in a shell comment. */
export function userData(d: Directives): string {
  const { version, boot_seconds, latency_ms, error_rate, health, cpu_per_rps } = d;
  const pairs = Object.entries({ boot_seconds, latency_ms, error_rate, health, cpu_per_rps })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`);
  const lines = [
    "#!/bin/bash",
    version ? `export APP_VERSION=${version}` : "",
    pairs.length ? `# localcloud: ${pairs.join(" ")}` : "",
    "echo starting app",
  ];
  return `${lines.filter(Boolean).join("\n")}\n`;
}

export interface FleetSpec extends Directives {
  name: string;
  capacity?: number;
  minSize?: number;
  maxSize?: number;
  /** EC2 (default) or ELB: replace instances unhealthy in the target group. */
  healthCheckType?: "EC2" | "ELB";
  healthCheckGracePeriod?: number;
  /** Target group deregistration delay, simulated seconds (default 30). */
  deregistrationDelay?: number;
  algorithm?: "round_robin" | "least_outstanding_requests";
  /** Detailed monitoring (launch template Monitoring.Enabled): EC2 metrics every minute instead of every 5. */
  monitoring?: boolean;
  /** Script lines appended to the user data (e.g. `dnf install -y nginx`: instance bootstrap checks what they need). */
  script?: string;
}

export interface Fleet {
  name: string;
  targetGroupArn: string;
  launchTemplateId: string;
  autoScalingGroupName: string;
}

export interface WebStack {
  name: string;
  vpcId: string;
  subnetIds: string[];
  loadBalancerArn: string;
  dnsName: string;
  listenerArn: string;
  /** The listener's local URL (http://127.0.0.1:<p>), from GET /_localcloud/endpoints. */
  url: string;
  fleets: Record<string, Fleet>;
}

export interface StackSpec {
  name?: string;
  fleets: FleetSpec[];
  /** Forward weights by fleet name (default: all weight on the first fleet). */
  weights?: Record<string, number>;
  healthCheck?: {
    path?: string;
    intervalSeconds?: number;
    timeoutSeconds?: number;
    healthyThreshold?: number;
    unhealthyThreshold?: number;
  };
}

let stackCounter = 0;

export async function buildWebStack(lc: TestCloud, spec: StackSpec): Promise<WebStack> {
  const name = spec.name ?? `web${++stackCounter}`;
  const octet = 10 + (stackCounter % 200);
  const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: `10.${octet}.0.0/16` }));
  const vpcId = Vpc!.VpcId!;
  const subnetIds: string[] = [];
  for (const [i, zone] of ["us-east-1a", "us-east-1b"].entries()) {
    const { Subnet } = await lc.ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.${octet}.${i + 1}.0/24`, AvailabilityZone: zone }),
    );
    subnetIds.push(Subnet!.SubnetId!);
  }
  const imageId = (await lc.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images![0].ImageId!;
  const { LoadBalancers } = await lc.elbv2.send(new CreateLoadBalancerCommand({ Name: name, Subnets: subnetIds }));
  const lb = LoadBalancers![0];
  const hc = { path: "/health", intervalSeconds: 5, timeoutSeconds: 2, healthyThreshold: 2, unhealthyThreshold: 2, ...spec.healthCheck };
  const fleets: Record<string, Fleet> = {};
  for (const f of spec.fleets) {
    const { TargetGroups } = await lc.elbv2.send(
      new CreateTargetGroupCommand({
        Name: `${name}-${f.name}`,
        Protocol: "HTTP",
        Port: 80,
        VpcId: vpcId,
        TargetType: "instance",
        HealthCheckPath: hc.path,
        HealthCheckIntervalSeconds: hc.intervalSeconds,
        HealthCheckTimeoutSeconds: hc.timeoutSeconds,
        HealthyThresholdCount: hc.healthyThreshold,
        UnhealthyThresholdCount: hc.unhealthyThreshold,
      }),
    );
    const targetGroupArn = TargetGroups![0].TargetGroupArn!;
    await lc.elbv2.send(
      new ModifyTargetGroupAttributesCommand({
        TargetGroupArn: targetGroupArn,
        Attributes: [
          { Key: "deregistration_delay.timeout_seconds", Value: String(f.deregistrationDelay ?? 30) },
          { Key: "load_balancing.algorithm.type", Value: f.algorithm ?? "round_robin" },
        ],
      }),
    );
    const { LaunchTemplate } = await lc.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: `${name}-${f.name}`,
        LaunchTemplateData: {
          ImageId: imageId,
          InstanceType: "t3.micro",
          UserData: Buffer.from(userData(f) + (f.script ? `${f.script}\n` : "")).toString("base64"),
          ...(f.monitoring ? { Monitoring: { Enabled: true } } : {}),
        },
      }),
    );
    const autoScalingGroupName = `${name}-${f.name}`;
    const capacity = f.capacity ?? 2;
    await lc.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: autoScalingGroupName,
        MinSize: f.minSize ?? capacity,
        MaxSize: f.maxSize ?? Math.max(capacity, 4),
        DesiredCapacity: capacity,
        LaunchTemplate: { LaunchTemplateId: LaunchTemplate!.LaunchTemplateId!, Version: "$Latest" },
        VPCZoneIdentifier: subnetIds.join(","),
        TargetGroupARNs: [targetGroupArn],
        HealthCheckType: f.healthCheckType ?? "EC2",
        HealthCheckGracePeriod: f.healthCheckGracePeriod ?? 0,
      }),
    );
    fleets[f.name] = { name: f.name, targetGroupArn, launchTemplateId: LaunchTemplate!.LaunchTemplateId!, autoScalingGroupName };
  }
  const weights = spec.weights ?? { [spec.fleets[0].name]: 1 };
  const { Listeners } = await lc.elbv2.send(
    new CreateListenerCommand({
      LoadBalancerArn: lb.LoadBalancerArn!,
      Port: 80,
      Protocol: "HTTP",
      DefaultActions: [forwardAction(fleets, weights)],
    }),
  );
  const url = await listenerUrl(lc, lb.LoadBalancerArn!);
  return {
    name,
    vpcId,
    subnetIds,
    loadBalancerArn: lb.LoadBalancerArn!,
    dnsName: lb.DNSName!,
    listenerArn: Listeners![0].ListenerArn!,
    url,
    fleets,
  };
}

function forwardAction(fleets: Record<string, Fleet>, weights: Record<string, number>) {
  return {
    Type: "forward" as const,
    ForwardConfig: { TargetGroups: Object.values(fleets).map((f) => ({ TargetGroupArn: f.targetGroupArn, Weight: weights[f.name] ?? 0 })) },
  };
}

/** Shift traffic: ModifyListener with new forward weights by fleet name (missing fleets get 0). */
export async function setWeights(lc: TestCloud, stack: WebStack, weights: Record<string, number>): Promise<void> {
  await lc.elbv2.send(
    new ModifyListenerCommand({ ListenerArn: stack.listenerArn, DefaultActions: [forwardAction(stack.fleets, weights)] }),
  );
}

/** The local URL of the load balancer's first listener, once the ALB is active and its port open. */
export async function listenerUrl(lc: TestCloud, loadBalancerArn: string, timeoutMs = 30_000): Promise<string> {
  return eventually<string | undefined>(
    async () => {
      const { body } = await lc.admin<{ loadBalancers: Array<{ arn: string; listeners: Array<{ url: string }> }> }>("GET", "endpoints");
      return body.loadBalancers.find((l) => l.arn === loadBalancerArn)?.listeners[0]?.url;
    },
    { timeoutMs },
  ) as Promise<string>;
}

/** Wait until at least `count` targets of the group are healthy; returns their ids. */
export async function waitForHealthy(lc: TestCloud, targetGroupArn: string, count: number, timeoutMs = 30_000): Promise<string[]> {
  return eventually<string[] | undefined>(
    async () => {
      const { TargetHealthDescriptions } = await lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
      const healthy = (TargetHealthDescriptions ?? []).filter((d) => d.TargetHealth?.State === "healthy").map((d) => d.Target!.Id!);
      return healthy.length >= count ? healthy : undefined;
    },
    { timeoutMs },
  ) as Promise<string[]>;
}

/** Target health by instance id. */
export async function targetStates(lc: TestCloud, targetGroupArn: string): Promise<Record<string, { state?: string; reason?: string }>> {
  const { TargetHealthDescriptions } = await lc.elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
  return Object.fromEntries(
    (TargetHealthDescriptions ?? []).map((d) => [d.Target!.Id!, { state: d.TargetHealth?.State, reason: d.TargetHealth?.Reason }]),
  );
}
