/**
 * What independent clients (an IaC tool's AWS provider, a configuration-management collection)
 * call beyond Switchyard's own paths: every documented ALB attribute with AWS's value rules,
 * listener attributes, Auto Scaling lifecycle hooks, scaling policies without internal fields,
 * CloudFront CallerReference idempotency; through SDK v3, awscli 2.9 and boto3.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { readFileSync } from "node:fs";
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand } from "@aws-sdk/client-ec2";
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenerAttributesCommand,
  DescribeLoadBalancerAttributesCommand,
  InvalidConfigurationRequestException,
  ModifyListenerAttributesCommand,
  ModifyLoadBalancerAttributesCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import {
  CreateAutoScalingGroupCommand,
  DeleteLifecycleHookCommand,
  DescribeLifecycleHooksCommand,
  DescribeLifecycleHookTypesCommand,
  PutLifecycleHookCommand,
  PutScalingPolicyCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateDistributionCommand,
  DistributionAlreadyExists,
  GetDistributionConfigCommand,
  UpdateDistributionCommand,
  type DistributionConfig,
} from "@aws-sdk/client-cloudfront";
import { expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { awsCli, awsCliOk, boto3, hasAwsCli, hasBoto3 } from "./cli-runners.ts";
import { asWireHandler } from "../src/core/types.ts";

let lc: TestCloud;
let albArn: string;
let httpListener: string;
let httpsListener: string;
let nlbListener: string;
let subnetIds: string[];

beforeAll(async () => {
  lc = await startTestCloud();
  const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.60.0.0/16" }));
  subnetIds = [];
  for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
    const { Subnet } = await lc.ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: `10.60.${i}.0/24`, AvailabilityZone: az }),
    );
    subnetIds.push(Subnet!.SubnetId!);
  }
  const alb = await lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "compat-alb", Subnets: subnetIds }));
  albArn = alb.LoadBalancers![0].LoadBalancerArn!;
  const fixed = [{ Type: "fixed-response" as const, FixedResponseConfig: { StatusCode: "200" } }];
  httpListener = (
    await lc.elbv2.send(new CreateListenerCommand({ LoadBalancerArn: albArn, Protocol: "HTTP", Port: 80, DefaultActions: fixed }))
  ).Listeners![0].ListenerArn!;
  const cert = [{ CertificateArn: "arn:aws:acm:us-east-1:000000000000:certificate/0b1d2c3e-4f50-6172-8394-a5b6c7d8e9f0" }];
  httpsListener = (
    await lc.elbv2.send(
      new CreateListenerCommand({ LoadBalancerArn: albArn, Protocol: "HTTPS", Port: 443, Certificates: cert, DefaultActions: fixed }),
    )
  ).Listeners![0].ListenerArn!;
  const nlb = await lc.elbv2.send(new CreateLoadBalancerCommand({ Name: "compat-nlb", Type: "network", Subnets: subnetIds }));
  const tcpGroup = await lc.elbv2.send(new CreateTargetGroupCommand({ Name: "compat-tcp", Protocol: "TCP", Port: 80, VpcId: Vpc!.VpcId }));
  const forward = [{ Type: "forward" as const, TargetGroupArn: tcpGroup.TargetGroups![0].TargetGroupArn }];
  nlbListener = (
    await lc.elbv2.send(
      new CreateListenerCommand({
        LoadBalancerArn: nlb.LoadBalancers![0].LoadBalancerArn,
        Protocol: "TCP",
        Port: 80,
        DefaultActions: forward,
      }),
    )
  ).Listeners![0].ListenerArn!;
});

afterAll(async () => {
  await lc?.close();
});

const ALB_KEYS: Record<string, [string, string]> = {
  "connection_logs.s3.enabled": ["true", "maybe"],
  "connection_logs.s3.bucket": ["my-conn-logs", "Bad_Bucket"],
  "connection_logs.s3.prefix": ["alb", "AWSLogs/x"],
  "access_logs.s3.enabled": ["true", "1"],
  "access_logs.s3.bucket": ["my-access-logs", "a"],
  "access_logs.s3.prefix": ["web", "/web"],
  "zonal_shift.config.enabled": ["true", "yes"],
  "routing.http.preserve_host_header.enabled": ["true", "on"],
  "routing.http.xff_header_processing.mode": ["preserve", "drop"],
  "client_keep_alive.seconds": ["600", "59"],
  "routing.http.x_amzn_tls_version_and_cipher_suite.enabled": ["true", "TRUE"],
  "routing.http.xff_client_port.enabled": ["true", "x"],
  "waf.fail_open.enabled": ["true", "no"],
  "routing.http2.enabled": ["false", "off"],
  "idle_timeout.timeout_seconds": ["120", "4001"],
  "deletion_protection.enabled": ["false", "nope"],
  "routing.http.drop_invalid_header_fields.enabled": ["true", "2"],
  "routing.http.desync_mitigation_mode": ["strictest", "lenient"],
  "load_balancing.cross_zone.enabled": ["true", "false"],
};

describe("ELBv2 load balancer and listener attributes", () => {
  it("accepts every documented ALB attribute and refuses invalid values with InvalidConfigurationRequest", async () => {
    const described = await lc.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: albArn }));
    const defaults = Object.fromEntries(described.Attributes!.map((a) => [a.Key, a.Value]));
    for (const key of Object.keys(ALB_KEYS)) expect(defaults, key).toHaveProperty([key]);
    expect(defaults).toMatchObject({
      "connection_logs.s3.enabled": "false",
      "zonal_shift.config.enabled": "false",
      "client_keep_alive.seconds": "3600",
    });
    for (const [key, [, bad]] of Object.entries(ALB_KEYS)) {
      const err = await expectError(
        lc.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: albArn, Attributes: [{ Key: key, Value: bad }] })),
      );
      expect(err, `${key}=${bad}`).toBeInstanceOf(InvalidConfigurationRequestException);
    }
    const all = Object.entries(ALB_KEYS).map(([Key, [Value]]) => ({ Key, Value }));
    const modified = await lc.elbv2.send(
      new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: albArn, Attributes: all.slice(0, 10) }),
    );
    await lc.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: albArn, Attributes: all.slice(10) }));
    expect(modified.Attributes!.find((a) => a.Key === "connection_logs.s3.bucket")?.Value).toBe("my-conn-logs");
    const after = Object.fromEntries(
      (await lc.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: albArn }))).Attributes!.map((a) => [
        a.Key,
        a.Value,
      ]),
    );
    for (const [key, [good]] of Object.entries(ALB_KEYS)) expect(after[key], key).toBe(good);
  });

  it("refuses unknown keys, logs without a bucket, and applies nothing from a partly invalid change", async () => {
    const unknown = await expectError(
      lc.elbv2.send(new ModifyLoadBalancerAttributesCommand({ LoadBalancerArn: albArn, Attributes: [{ Key: "no.such.key", Value: "1" }] })),
    );
    expect(unknown.name).toBe("ValidationError");
    const noBucket = await expectError(
      lc.elbv2.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: albArn,
          Attributes: [
            { Key: "connection_logs.s3.bucket", Value: "" },
            { Key: "connection_logs.s3.enabled", Value: "true" },
          ],
        }),
      ),
    );
    expect(noBucket).toBeInstanceOf(InvalidConfigurationRequestException);
    await expectError(
      lc.elbv2.send(
        new ModifyLoadBalancerAttributesCommand({
          LoadBalancerArn: albArn,
          Attributes: [
            { Key: "idle_timeout.timeout_seconds", Value: "30" },
            { Key: "routing.http2.enabled", Value: "x" },
          ],
        }),
      ),
    );
    const after = (await lc.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: albArn }))).Attributes!;
    expect(after.find((a) => a.Key === "idle_timeout.timeout_seconds")?.Value).toBe("120");
  });

  it("describes and modifies listener attributes per protocol (ALB headers, HTTPS-only TLS headers, NLB TCP idle timeout)", async () => {
    const http = Object.fromEntries(
      (await lc.elbv2.send(new DescribeListenerAttributesCommand({ ListenerArn: httpListener }))).Attributes!.map((a) => [a.Key, a.Value]),
    );
    expect(http["routing.http.response.server.enabled"]).toBe("true");
    expect(http).not.toHaveProperty(["routing.http.request.x_amzn_tls_version.header_name"]);
    const set = await lc.elbv2.send(
      new ModifyListenerAttributesCommand({
        ListenerArn: httpListener,
        Attributes: [
          { Key: "routing.http.response.server.enabled", Value: "false" },
          { Key: "routing.http.response.x_frame_options.header_value", Value: "DENY" },
        ],
      }),
    );
    expect(set.Attributes).toEqual(
      expect.arrayContaining([
        { Key: "routing.http.response.server.enabled", Value: "false" },
        { Key: "routing.http.response.x_frame_options.header_value", Value: "DENY" },
      ]),
    );
    const badValue = await expectError(
      lc.elbv2.send(
        new ModifyListenerAttributesCommand({
          ListenerArn: httpListener,
          Attributes: [{ Key: "routing.http.response.server.enabled", Value: "maybe" }],
        }),
      ),
    );
    expect(badValue).toBeInstanceOf(InvalidConfigurationRequestException);
    const tcpOnAlb = await expectError(
      lc.elbv2.send(
        new ModifyListenerAttributesCommand({ ListenerArn: httpListener, Attributes: [{ Key: "tcp.idle_timeout.seconds", Value: "400" }] }),
      ),
    );
    expect(tcpOnAlb.name).toBe("ValidationError");
    await lc.elbv2.send(
      new ModifyListenerAttributesCommand({
        ListenerArn: httpsListener,
        Attributes: [{ Key: "routing.http.request.x_amzn_tls_version.header_name", Value: "X-Tls" }],
      }),
    );
    const nlb = (await lc.elbv2.send(new DescribeListenerAttributesCommand({ ListenerArn: nlbListener }))).Attributes!;
    expect(nlb).toEqual([{ Key: "tcp.idle_timeout.seconds", Value: "350" }]);
    const range = await expectError(
      lc.elbv2.send(
        new ModifyListenerAttributesCommand({ ListenerArn: nlbListener, Attributes: [{ Key: "tcp.idle_timeout.seconds", Value: "59" }] }),
      ),
    );
    expect(range).toBeInstanceOf(InvalidConfigurationRequestException);
    const missing = await expectError(lc.elbv2.send(new DescribeListenerAttributesCommand({ ListenerArn: `${httpListener}0` })));
    expect(missing.name).toBe("ListenerNotFoundException");
  });

  it.skipIf(!hasAwsCli())(
    "awscli 2.9: modify-load-balancer-attributes with the newer keys (its model has no listener attributes)",
    async () => {
      const out = await awsCliOk<{ Attributes: Array<{ Key: string; Value: string }> }>(lc.url, [
        "elbv2",
        "modify-load-balancer-attributes",
        "--load-balancer-arn",
        albArn,
        "--attributes",
        "Key=zonal_shift.config.enabled,Value=false",
        "Key=client_keep_alive.seconds,Value=7200",
      ]);
      expect(out.Attributes).toEqual(expect.arrayContaining([{ Key: "client_keep_alive.seconds", Value: "7200" }]));
      const bad = await awsCli(lc.url, [
        "elbv2",
        "modify-load-balancer-attributes",
        "--load-balancer-arn",
        albArn,
        "--attributes",
        "Key=routing.http.xff_header_processing.mode,Value=drop",
      ]);
      expect(bad.stderr).toContain("InvalidConfigurationRequest");
    },
  );

  it.skipIf(!hasBoto3())("boto3: listener attributes and load balancer attributes", async () => {
    const out = await boto3<Record<string, Record<string, unknown>>>(
      lc.url,
      `elb = client("elbv2")
m = call(elb.modify_listener_attributes, ListenerArn="${nlbListener}", Attributes=[{"Key": "tcp.idle_timeout.seconds", "Value": "600"}])
d = call(elb.describe_listener_attributes, ListenerArn="${nlbListener}")
bad = call(elb.modify_load_balancer_attributes, LoadBalancerArn="${albArn}", Attributes=[{"Key": "client_keep_alive.seconds", "Value": "10"}])
out({"m": m, "d": d, "bad": bad})`,
    );
    expect(out.d.Attributes).toEqual([{ Key: "tcp.idle_timeout.seconds", Value: "600" }]);
    expect(out.bad).toMatchObject({ error: "InvalidConfigurationRequest", status: 400 });
  });
});

describe("Auto Scaling lifecycle hooks and policies", () => {
  it("puts, describes and deletes lifecycle hooks with AWS's defaults and validation", async () => {
    const { Images } = await lc.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }));
    await lc.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "compat-lt",
        LaunchTemplateData: { ImageId: Images![0].ImageId, InstanceType: "t3.micro" },
      }),
    );
    await lc.autoscaling.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "compat-asg",
        MinSize: 0,
        MaxSize: 1,
        DesiredCapacity: 0,
        VPCZoneIdentifier: subnetIds.join(","),
        LaunchTemplate: { LaunchTemplateName: "compat-lt", Version: "$Latest" },
        LifecycleHookSpecificationList: [
          {
            LifecycleHookName: "initial",
            LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
            HeartbeatTimeout: 120,
            DefaultResult: "CONTINUE",
          },
        ],
      }),
    );
    await lc.autoscaling.send(
      new PutLifecycleHookCommand({
        AutoScalingGroupName: "compat-asg",
        LifecycleHookName: "launch",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
      }),
    );
    const { LifecycleHooks } = await lc.autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: "compat-asg" }));
    expect(LifecycleHooks).toEqual([
      {
        LifecycleHookName: "initial",
        AutoScalingGroupName: "compat-asg",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING",
        HeartbeatTimeout: 120,
        GlobalTimeout: 12000,
        DefaultResult: "CONTINUE",
      },
      {
        LifecycleHookName: "launch",
        AutoScalingGroupName: "compat-asg",
        LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        HeartbeatTimeout: 3600,
        GlobalTimeout: 172800,
        DefaultResult: "ABANDON",
      },
    ]);
    const badTimeout = await expectError(
      lc.autoscaling.send(
        new PutLifecycleHookCommand({
          AutoScalingGroupName: "compat-asg",
          LifecycleHookName: "x",
          LifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          HeartbeatTimeout: 10,
        }),
      ),
    );
    expect(badTimeout.name).toBe("ValidationError");
    const noTransition = await expectError(
      lc.autoscaling.send(new PutLifecycleHookCommand({ AutoScalingGroupName: "compat-asg", LifecycleHookName: "y" })),
    );
    expect(noTransition.name).toBe("ValidationError");
    expect((await lc.autoscaling.send(new DescribeLifecycleHookTypesCommand({}))).LifecycleHookTypes).toEqual([
      "autoscaling:EC2_INSTANCE_LAUNCHING",
      "autoscaling:EC2_INSTANCE_TERMINATING",
    ]);
    await lc.autoscaling.send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: "compat-asg", LifecycleHookName: "launch" }));
    const gone = await expectError(
      lc.autoscaling.send(new DeleteLifecycleHookCommand({ AutoScalingGroupName: "compat-asg", LifecycleHookName: "launch" })),
    );
    expect(gone.name).toBe("ValidationError");
  });

  it.skipIf(!hasAwsCli())("awscli: describe-lifecycle-hooks", async () => {
    const out = await awsCliOk<{ LifecycleHooks: Array<{ LifecycleHookName: string }> }>(lc.url, [
      "autoscaling",
      "describe-lifecycle-hooks",
      "--auto-scaling-group-name",
      "compat-asg",
    ]);
    expect(out.LifecycleHooks.map((h) => h.LifecycleHookName)).toEqual(["initial"]);
  });

  it.skipIf(!hasBoto3())("boto3: put_lifecycle_hook / describe_lifecycle_hooks", async () => {
    const out = await boto3<Record<string, Record<string, unknown>>>(
      lc.url,
      `asg = client("autoscaling")
call(asg.put_lifecycle_hook, AutoScalingGroupName="compat-asg", LifecycleHookName="py", LifecycleTransition="autoscaling:EC2_INSTANCE_LAUNCHING", HeartbeatTimeout=300)
d = call(asg.describe_lifecycle_hooks, AutoScalingGroupName="compat-asg", LifecycleHookNames=["py"])
out({"d": d})`,
    );
    expect(out.d.LifecycleHooks).toEqual([
      expect.objectContaining({ LifecycleHookName: "py", HeartbeatTimeout: 300, GlobalTimeout: 30000 }),
    ]);
  });

  it("DescribePolicies returns only ScalingPolicy fields, whatever the simulation keeps on the record", async () => {
    const { PolicyARN } = await lc.autoscaling.send(
      new PutScalingPolicyCommand({
        AutoScalingGroupName: "compat-asg",
        PolicyName: "cpu",
        PolicyType: "TargetTrackingScaling",
        TargetTrackingConfiguration: {
          TargetValue: 50,
          PredefinedMetricSpecification: { PredefinedMetricType: "ASGAverageCPUUtilization" },
        },
      }),
    );
    const record = lc.cloud.state<{ policies: Record<string, Record<string, unknown>> }>("autoscaling").policies[PolicyARN!];
    Object.assign(record, { nextCheckAt: 1, lastScaleOutAt: 2, lastScaleInAt: 3 });
    const handler = lc.cloud.service("autoscaling").handlers.DescribePolicies;
    const out = (await asWireHandler(handler)(
      { AutoScalingGroupName: "compat-asg" },
      { region: "us-east-1", accountId: "000000000000", requestId: "t", cloud: lc.cloud },
    )) as { ScalingPolicies: object[] };
    const model = JSON.parse(readFileSync(new URL("../models/autoscaling.json", import.meta.url), "utf8"));
    const allowed = Object.keys(model.shapes.ScalingPolicy.members);
    for (const p of out.ScalingPolicies) for (const key of Object.keys(p)) expect(allowed, key).toContain(key);
    const raw = await fetch(lc.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "Action=DescribePolicies&Version=2011-01-01&AutoScalingGroupName=compat-asg",
    });
    expect(await raw.text()).not.toMatch(/nextCheckAt|lastScale/);
  });
});

describe("CloudFront CallerReference", () => {
  const base = (ref: string): DistributionConfig => ({
    CallerReference: ref,
    Comment: "compat",
    Enabled: true,
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: "o",
          DomainName: "origin.example.com",
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
        },
      ],
    },
    DefaultCacheBehavior: { TargetOriginId: "o", ViewerProtocolPolicy: "allow-all", CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" },
  });

  it("returns the distribution for an identical repeat; a different (even equivalent) config is DistributionAlreadyExists 409", async () => {
    const first = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: base("compat-ref") }));
    const again = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: base("compat-ref") }));
    expect(again.Distribution?.Id).toBe(first.Distribution?.Id);
    for (const changed of [
      { ...base("compat-ref"), Comment: "other" },
      { ...base("compat-ref"), PriceClass: "PriceClass_All" as const },
    ]) {
      const err = await expectError(lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: changed })));
      expect(err).toBeInstanceOf(DistributionAlreadyExists);
      expect(err.$metadata.httpStatusCode).toBe(409);
    }
    // After an update, the original request still identifies the same distribution.
    const current = await lc.cloudfront.send(new GetDistributionConfigCommand({ Id: first.Distribution!.Id }));
    await lc.cloudfront.send(
      new UpdateDistributionCommand({
        Id: first.Distribution!.Id,
        IfMatch: current.ETag,
        DistributionConfig: { ...current.DistributionConfig!, Comment: "updated" },
      }),
    );
    expect((await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: base("compat-ref") }))).Distribution?.Id).toBe(
      first.Distribution?.Id,
    );
  });
});
