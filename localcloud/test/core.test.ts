/**
 * Core conformance: the codecs (driven through the real SDK v3 clients against test-only fake
 * service modules), service detection, error rendering, gzip, persistence and reset.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { EC2Client, DescribeVpcsCommand, RunInstancesCommand, CreateVpcCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand, AlreadyExistsFault } from "@aws-sdk/client-auto-scaling";
import { ElasticLoadBalancingV2Client, CreateRuleCommand, DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient, CreateDBInstanceCommand, DescribeDBInstancesCommand, DBInstanceNotFoundFault } from "@aws-sdk/client-rds";
import { CloudWatchClient, PutMetricDataCommand, GetMetricDataCommand, DeleteAlarmsCommand, ResourceNotFound } from "@aws-sdk/client-cloudwatch";
import {
  CloudFrontClient, CreateDistributionCommand, GetDistributionCommand, UpdateDistributionCommand, ListDistributionsCommand,
  DeleteDistributionCommand, NoSuchDistribution, type DistributionConfig,
} from "@aws-sdk/client-cloudfront";
import { AwsError, type ServiceModule, type ServiceName } from "../src/core/types.ts";
import { startLocalCloud, type RunningLocalCloud } from "../src/index.ts";
import { identifyService } from "../src/server.ts";
import { createCodecs } from "../src/protocols/index.ts";
import { SimClock } from "../src/core/clock.ts";
import { ec2Id, arnSuffix, requestId } from "../src/core/ids.ts";
import { clientConfig, expectError } from "./helpers.ts";

/** A fake service module that records the last input per operation and answers with `reply`. */
function fakeService(name: ServiceName, replies: Record<string, (input: any, ctx: any) => unknown>) {
  const seen: Record<string, any> = {};
  const module: ServiceModule = {
    name,
    initialState: () => ({ counter: 0 }),
    handlers: Object.fromEntries(
      Object.entries(replies).map(([op, reply]) => [op, (input: any, ctx: any) => ((seen[op] = input), reply(input, ctx))]),
    ),
  };
  return { module, seen };
}

const created = new Date("2026-11-27T10:00:00.000Z");

const ec2 = fakeService("ec2", {
  DescribeVpcs: (_i, ctx) => ({
    Vpcs: [{ VpcId: "vpc-0123456789abcdef0", CidrBlock: "10.0.0.0/16", State: "available", IsDefault: false, OwnerId: ctx.region, Tags: [{ Key: "Name", Value: "a&b<c>" }] }],
    NextToken: "next-1",
  }),
  RunInstances: () => ({
    ReservationId: "r-0123456789abcdef0",
    Instances: [{ InstanceId: "i-0123456789abcdef0", LaunchTime: created.getTime(), State: { Code: 0, Name: "pending" }, Tags: [] }],
  }),
  CreateVpc: () => {
    throw new AwsError("InvalidVpcID.NotFound", "The vpc ID 'vpc-x' does not exist");
  },
  DescribeSecurityGroups: () => {
    throw new TypeError("boom: handler bug");
  },
});

const autoscaling = fakeService("autoscaling", {
  CreateAutoScalingGroup: (input) => {
    if (input.AutoScalingGroupName === "dup") throw new AwsError("AlreadyExists", "AutoScalingGroup by this name already exists");
    return undefined;
  },
  DescribeScalingActivities: () => ({ Activities: [{ ActivityId: "a1", AutoScalingGroupName: "web", Cause: "c", StartTime: created, StatusCode: "Successful", Typo: 1 }] }),
  DescribeAutoScalingGroups: () => ({
    AutoScalingGroups: [{
      AutoScalingGroupName: "web", MinSize: 1, MaxSize: 3, DesiredCapacity: 2, DefaultCooldown: 300, AvailabilityZones: ["us-east-1a", "us-east-1b"],
      HealthCheckType: "ELB", CreatedTime: created, NewInstancesProtectedFromScaleIn: false,
      Instances: [{ InstanceId: "i-1", AvailabilityZone: "us-east-1a", LifecycleState: "InService", HealthStatus: "Healthy", ProtectedFromScaleIn: false }],
      Tags: [{ Key: "env", Value: "prod", PropagateAtLaunch: true, ResourceId: "web", ResourceType: "auto-scaling-group" }],
    }],
  }),
});

const elbv2 = fakeService("elasticloadbalancing", {
  CreateRule: (input) => ({ Rules: [{ RuleArn: "arn:rule", Priority: String(input.Priority), Actions: input.Actions, Conditions: input.Conditions, IsDefault: false }] }),
  DescribeLoadBalancers: () => ({ LoadBalancers: [] }),
});

const rds = fakeService("rds", {
  CreateDBInstance: (input) => ({ DBInstance: { DBInstanceIdentifier: input.DBInstanceIdentifier, DBInstanceStatus: "creating", AllocatedStorage: input.AllocatedStorage, MultiAZ: input.MultiAZ } }),
  DescribeDBInstances: (input) => {
    if (input.DBInstanceIdentifier === "missing") throw new AwsError("DBInstanceNotFound", "DBInstance missing not found.");
    return {
      DBInstances: [
        { DBInstanceIdentifier: "db1", DBInstanceStatus: "available", Endpoint: { Address: "db1.abc.us-east-1.rds.amazonaws.com", Port: 5432 }, InstanceCreateTime: created, VpcSecurityGroups: [{ VpcSecurityGroupId: "sg-1", Status: "active" }] },
        { DBInstanceIdentifier: "db2", DBInstanceStatus: "creating" },
      ],
      Marker: "m2",
    };
  },
});

const cloudwatch = fakeService("monitoring", {
  PutMetricData: () => undefined,
  GetMetricData: (input) => ({
    MetricDataResults: input.MetricDataQueries.map((q: any) => ({ Id: q.Id, Label: q.Id, Timestamps: [created, created.getTime() + 60_000], Values: [1.5, 2], StatusCode: "Complete" })),
  }),
  DeleteAlarms: () => {
    throw new AwsError("ResourceNotFound", "alarm does not exist");
  },
});

const cloudfront = fakeService("cloudfront", {
  CreateDistribution: (input) => ({
    Distribution: distribution(input.DistributionConfig),
    ETag: "E2QWRUHAPOMQZL",
    Location: "https://cloudfront.amazonaws.com/2020-05-31/distribution/E123456789ABCD",
  }),
  GetDistribution: (input) => {
    if (input.Id !== "E123456789ABCD") throw new AwsError("NoSuchDistribution", "The specified distribution does not exist.");
    return { Distribution: distribution(config("ref-1")), ETag: "ETAG1" };
  },
  UpdateDistribution: (input) => ({ Distribution: distribution(input.DistributionConfig), ETag: `after-${input.IfMatch}` }),
  ListDistributions: (input) => ({
    DistributionList: { Marker: input.Marker ?? "", MaxItems: Number(input.MaxItems ?? 100), IsTruncated: false, Quantity: 0, Items: [] },
  }),
  DeleteDistribution: () => undefined,
});

function config(ref: string): DistributionConfig {
  return {
    CallerReference: ref,
    Comment: "blue & green",
    Enabled: true,
    Aliases: { Quantity: 2, Items: ["a.example.com", "b.example.com"] },
    Origins: { Quantity: 1, Items: [{ Id: "alb", DomainName: "web-1.us-east-1.elb.amazonaws.com", CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" } }] },
    DefaultCacheBehavior: { TargetOriginId: "alb", ViewerProtocolPolicy: "redirect-to-https", MinTTL: 0 },
  };
}

function distribution(cfg: any) {
  return {
    Id: "E123456789ABCD", ARN: "arn:aws:cloudfront::000000000000:distribution/E123456789ABCD", Status: "InProgress",
    LastModifiedTime: created, InProgressInvalidationBatches: 0, DomainName: "d111111abcdef8.cloudfront.net", DistributionConfig: cfg,
  };
}

let lc: RunningLocalCloud;
let dataDir: string;
const cfg = () => clientConfig(lc.url);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "localcloud-core-"));
  lc = await startLocalCloud({
    port: 0, dataDir, speed: 100,
    services: { ec2: ec2.module, autoscaling: autoscaling.module, elasticloadbalancing: elbv2.module, rds: rds.module, monitoring: cloudwatch.module, cloudfront: cloudfront.module },
  });
});

afterAll(async () => {
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("ec2Query codec", () => {
  it("parses flattened lists and typed members, and renders camelCase <item> output", async () => {
    const client = new EC2Client(cfg());
    const out = await client.send(new DescribeVpcsCommand({ VpcIds: ["vpc-a", "vpc-b"], Filters: [{ Name: "tag:env", Values: ["prod", "stg"] }, { Name: "state", Values: ["available"] }], MaxResults: 5 }));
    expect(ec2.seen.DescribeVpcs).toEqual({ VpcIds: ["vpc-a", "vpc-b"], Filters: [{ Name: "tag:env", Values: ["prod", "stg"] }, { Name: "state", Values: ["available"] }], MaxResults: 5 });
    expect(out.Vpcs).toEqual([{ VpcId: "vpc-0123456789abcdef0", CidrBlock: "10.0.0.0/16", State: "available", IsDefault: false, OwnerId: "us-east-1", Tags: [{ Key: "Name", Value: "a&b<c>" }] }]);
    expect(out.NextToken).toBe("next-1");
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("parses nested TagSpecifications and booleans; timestamps come back as Dates", async () => {
    const client = new EC2Client(cfg());
    const out = await client.send(new RunInstancesCommand({
      ImageId: "ami-1", MinCount: 1, MaxCount: 2, InstanceType: "t3.micro", SecurityGroupIds: ["sg-1"], EbsOptimized: true,
      TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] }],
    }));
    const seen = ec2.seen.RunInstances;
    expect(seen).toMatchObject({ ImageId: "ami-1", MinCount: 1, MaxCount: 2, InstanceType: "t3.micro", SecurityGroupIds: ["sg-1"], EbsOptimized: true });
    expect(seen.TagSpecifications).toEqual([{ ResourceType: "instance", Tags: [{ Key: "a", Value: "1" }, { Key: "b", Value: "2" }] }]);
    expect(typeof seen.ClientToken).toBe("string"); // the SDK adds it; services use it for idempotency
    expect(out.Instances?.[0].LaunchTime).toEqual(created);
    expect(out.Instances?.[0].State).toEqual({ Code: 0, Name: "pending" });
    expect(out.Instances?.[0].Tags).toEqual([]);
  });

  it("renders AwsError as <Response><Errors> with the code as the error name", async () => {
    const e = await expectError(new EC2Client(cfg()).send(new CreateVpcCommand({ CidrBlock: "10.0.0.0/16" })));
    expect(e.name).toBe("InvalidVpcID.NotFound");
    expect(e.message).toBe("The vpc ID 'vpc-x' does not exist");
    expect(e.$metadata.httpStatusCode).toBe(400);
    expect(e.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("turns a handler bug into 500 InternalFailure", async () => {
    const e = await expectError(new EC2Client(cfg()).send(new DescribeSecurityGroupsCommand({})));
    expect(e.name).toBe("InternalFailure");
    expect(e.$metadata.httpStatusCode).toBe(500);
  });

  it("answers an unknown action with InvalidAction and a missing required parameter with MissingParameter", async () => {
    for (const action of ["DescribeHosts", "toString", "constructor"]) {
      const unknown = await post(lc.url, `Action=${action}&Version=2016-11-15`);
      expect(unknown.status).toBe(400);
      expect(unknown.body).toContain("<Code>InvalidAction</Code>");
    }
    const missing = await post(lc.url, "Action=RunInstances&Version=2016-11-15&ImageId=ami-1&MinCount=1");
    expect(missing.status).toBe(400);
    expect(missing.body).toContain("<Code>MissingParameter</Code>");
    expect(missing.body).toContain("MaxCount");
    expect(missing.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("awsQuery codec", () => {
  it("parses member lists, nested booleans and integers (Auto Scaling)", async () => {
    const client = new AutoScalingClient(cfg());
    await client.send(new CreateAutoScalingGroupCommand({
      AutoScalingGroupName: "web", MinSize: 1, MaxSize: 3, VPCZoneIdentifier: "subnet-1,subnet-2", TargetGroupARNs: ["arn:tg1", "arn:tg2"],
      Tags: [{ Key: "env", Value: "prod", PropagateAtLaunch: true }, { Key: "team", Value: "web", PropagateAtLaunch: false }],
      LaunchTemplate: { LaunchTemplateId: "lt-1", Version: "$Latest" },
    }));
    expect(autoscaling.seen.CreateAutoScalingGroup).toEqual({
      AutoScalingGroupName: "web", MinSize: 1, MaxSize: 3, VPCZoneIdentifier: "subnet-1,subnet-2", TargetGroupARNs: ["arn:tg1", "arn:tg2"],
      Tags: [{ Key: "env", Value: "prod", PropagateAtLaunch: true }, { Key: "team", Value: "web", PropagateAtLaunch: false }],
      LaunchTemplate: { LaunchTemplateId: "lt-1", Version: "$Latest" },
    });
  });

  it("wraps output in <OpResult> so the SDK sees it, with timestamps and nested lists", async () => {
    const out = await new AutoScalingClient(cfg()).send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["web"] }));
    const g = out.AutoScalingGroups![0];
    expect(g.AutoScalingGroupName).toBe("web");
    expect(g.CreatedTime).toEqual(created);
    expect(g.AvailabilityZones).toEqual(["us-east-1a", "us-east-1b"]);
    expect(g.Instances?.[0]).toMatchObject({ InstanceId: "i-1", LifecycleState: "InService", ProtectedFromScaleIn: false });
    expect(g.Tags?.[0]).toMatchObject({ Key: "env", PropagateAtLaunch: true });
    expect(g.DesiredCapacity).toBe(2);
  });

  it("drops output keys outside the model and warns once per key", async () => {
    const { vi } = await import("vitest");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const client = new AutoScalingClient(cfg());
      const { DescribeScalingActivitiesCommand } = await import("@aws-sdk/client-auto-scaling");
      const out = await client.send(new DescribeScalingActivitiesCommand({}));
      await client.send(new DescribeScalingActivitiesCommand({}));
      expect(out.Activities?.[0]).toEqual({ ActivityId: "a1", AutoScalingGroupName: "web", Cause: "c", StartTime: created, StatusCode: "Successful" });
      const warnings = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("Typo"));
      expect(warnings).toEqual(["localcloud: autoscaling:DescribeScalingActivities.Activities[].Typo is not in the autoscaling model's output shape; it is not sent"]);
    } finally {
      warn.mockRestore();
    }
  });

  it("maps AwsError codes to the typed exception", async () => {
    const e = await expectError(new AutoScalingClient(cfg()).send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: "dup", MinSize: 1, MaxSize: 1 })));
    expect(e).toBeInstanceOf(AlreadyExistsFault);
    expect(e.message).toBe("AutoScalingGroup by this name already exists");
  });

  it("parses deeply nested member lists (ELBv2 forward weights)", async () => {
    const out = await new ElasticLoadBalancingV2Client(cfg()).send(new CreateRuleCommand({
      ListenerArn: "arn:l", Priority: 10,
      Conditions: [{ Field: "path-pattern", Values: ["/api/*"] }],
      Actions: [
        { Type: "forward", Order: 2, ForwardConfig: { TargetGroups: [{ TargetGroupArn: "arn:blue", Weight: 90 }, { TargetGroupArn: "arn:green", Weight: 10 }] } },
        { Type: "authenticate-oidc", Order: 1, AuthenticateOidcConfig: { Issuer: "i", AuthorizationEndpoint: "a", TokenEndpoint: "t", UserInfoEndpoint: "u", ClientId: "c", AuthenticationRequestExtraParams: { prompt: "login", display: "page" } } },
      ],
    }));
    // Maps travel as `entry.N.key` / `entry.N.value` and come back as <entry><key/><value/></entry>.
    expect(elbv2.seen.CreateRule.Actions[1].AuthenticateOidcConfig.AuthenticationRequestExtraParams).toEqual({ prompt: "login", display: "page" });
    expect(out.Rules?.[0].Actions?.[1].AuthenticateOidcConfig?.AuthenticationRequestExtraParams).toEqual({ prompt: "login", display: "page" });
    expect(elbv2.seen.CreateRule.Actions[0].ForwardConfig.TargetGroups).toEqual([{ TargetGroupArn: "arn:blue", Weight: 90 }, { TargetGroupArn: "arn:green", Weight: 10 }]);
    expect(elbv2.seen.CreateRule.Priority).toBe(10);
    expect(out.Rules?.[0].Actions?.[0].ForwardConfig?.TargetGroups?.[1]).toEqual({ TargetGroupArn: "arn:green", Weight: 10 });
    expect(out.Rules?.[0].Conditions?.[0].Values).toEqual(["/api/*"]);
  });

  it("uses the model's xmlName for list items (RDS VpcSecurityGroupId, DBInstance)", async () => {
    const client = new RDSClient(cfg());
    const created_ = await client.send(new CreateDBInstanceCommand({
      DBInstanceIdentifier: "db1", DBInstanceClass: "db.t3.micro", Engine: "postgres", AllocatedStorage: 20, MultiAZ: true,
      VpcSecurityGroupIds: ["sg-1", "sg-2"], Tags: [{ Key: "env", Value: "prod" }],
    }));
    expect(rds.seen.CreateDBInstance).toMatchObject({ VpcSecurityGroupIds: ["sg-1", "sg-2"], Tags: [{ Key: "env", Value: "prod" }], AllocatedStorage: 20, MultiAZ: true });
    expect(created_.DBInstance).toMatchObject({ DBInstanceIdentifier: "db1", DBInstanceStatus: "creating", AllocatedStorage: 20, MultiAZ: true });
    const out = await client.send(new DescribeDBInstancesCommand({}));
    expect(out.DBInstances?.map((d) => d.DBInstanceIdentifier)).toEqual(["db1", "db2"]);
    expect(out.DBInstances?.[0].Endpoint).toEqual({ Address: "db1.abc.us-east-1.rds.amazonaws.com", Port: 5432 });
    expect(out.DBInstances?.[0].VpcSecurityGroups).toEqual([{ VpcSecurityGroupId: "sg-1", Status: "active" }]);
    expect(out.Marker).toBe("m2");
  });

  it("uses the model's status for a typed error (RDS DBInstanceNotFound is 404)", async () => {
    const e = await expectError(new RDSClient(cfg()).send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "missing" })));
    expect(e).toBeInstanceOf(DBInstanceNotFoundFault);
    expect(e.$metadata.httpStatusCode).toBe(404);
  });

  it("reports a missing required member as ValidationError and a missing Action as MissingAction", async () => {
    const res = await post(lc.url, "Action=CreateAutoScalingGroup&Version=2011-01-01&MinSize=1&MaxSize=1");
    expect(res.status).toBe(400);
    expect(res.body).toContain("<Code>ValidationError</Code>");
    expect(res.body).toContain("autoScalingGroupName");
    const noAction = await post(lc.url, "Version=2014-10-31");
    expect(noAction.body).toContain("<Code>MissingAction</Code>");
  });

  it("accepts an empty list sent as `Name=`", async () => {
    const res = await post(lc.url, "Action=DescribeLoadBalancers&Version=2015-12-01&Names=");
    expect(res.status).toBe(200);
    expect(elbv2.seen.DescribeLoadBalancers).toEqual({ Names: [] });
    expect(res.body).toContain("<DescribeLoadBalancersResult><LoadBalancers/></DescribeLoadBalancersResult>");
  });
});

describe("CloudWatch: awsJson1_0 and the query form", () => {
  it("parses JSON input with epoch-second timestamps and returns numbers for timestamps", async () => {
    const client = new CloudWatchClient(cfg());
    await client.send(new PutMetricDataCommand({ Namespace: "App", MetricData: [{ MetricName: "Latency", Value: 12.5, Unit: "Milliseconds", Timestamp: created, Dimensions: [{ Name: "Env", Value: "prod" }] }] }));
    expect(cloudwatch.seen.PutMetricData).toEqual({ Namespace: "App", MetricData: [{ MetricName: "Latency", Value: 12.5, Unit: "Milliseconds", Timestamp: created, Dimensions: [{ Name: "Env", Value: "prod" }] }] });
    const out = await client.send(new GetMetricDataCommand({
      StartTime: new Date(created.getTime() - 3_600_000), EndTime: created,
      MetricDataQueries: [{ Id: "m1", MetricStat: { Metric: { Namespace: "App", MetricName: "Latency" }, Period: 60, Stat: "Average" } }],
    }));
    expect(out.MetricDataResults?.[0].Timestamps).toEqual([created, new Date(created.getTime() + 60_000)]);
    expect(out.MetricDataResults?.[0].Values).toEqual([1.5, 2]);
    expect(cloudwatch.seen.GetMetricData.StartTime).toEqual(new Date(created.getTime() - 3_600_000));
  });

  it("accepts gzip bodies (the SDK compresses PutMetricData of 10 KiB or more)", async () => {
    const data = Array.from({ length: 400 }, (_, i) => ({ MetricName: `Metric${i}`, Value: i, Dimensions: [{ Name: "Instance", Value: `i-${String(i).padStart(17, "0")}` }] }));
    await new CloudWatchClient(cfg()).send(new PutMetricDataCommand({ Namespace: "Big", MetricData: data.slice(0, 400) }));
    expect(cloudwatch.seen.PutMetricData.MetricData).toHaveLength(400);
    expect(cloudwatch.seen.PutMetricData.MetricData[399]).toMatchObject({ MetricName: "Metric399", Value: 399 });
    // And a hand-made gzip request on the query form.
    const body = gzipSync(Buffer.from("Action=PutMetricData&Version=2010-08-01&Namespace=Gz&MetricData.member.1.MetricName=X&MetricData.member.1.Value=3"));
    const res = await fetch(lc.url, { method: "POST", body, headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" } });
    expect(res.status).toBe(200);
    expect(cloudwatch.seen.PutMetricData).toEqual({ Namespace: "Gz", MetricData: [{ MetricName: "X", Value: 3 }] });
  });

  it("renders errors with x-amzn-query-error so the SDK raises the typed exception", async () => {
    const e = await expectError(new CloudWatchClient(cfg()).send(new DeleteAlarmsCommand({ AlarmNames: ["nope"] })));
    expect(e).toBeInstanceOf(ResourceNotFound);
    expect(e.$metadata.httpStatusCode).toBe(404);
    const raw = await fetch(lc.url, { method: "POST", body: '{"AlarmNames":["nope"]}', headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.DeleteAlarms" } });
    expect(raw.headers.get("x-amzn-query-error")).toBe("ResourceNotFound;Sender");
    expect(JSON.parse(await raw.text())).toEqual({ __type: "com.amazonaws.cloudwatch#ResourceNotFound", message: "alarm does not exist" });
    const missing = await fetch(lc.url, { method: "POST", body: "{}", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.DeleteAlarms" } });
    expect(missing.headers.get("x-amzn-query-error")).toBe("MissingParameter;Sender");
  });

  it("answers the query form (awscli) in XML with the result wrapper", async () => {
    const res = await post(lc.url, "Action=GetMetricData&Version=2010-08-01&StartTime=2026-11-27T09:00:00Z&EndTime=2026-11-27T10:00:00Z&MetricDataQueries.member.1.Id=q1&MetricDataQueries.member.1.Expression=SEARCH");
    expect(res.status).toBe(200);
    expect(res.body).toContain('<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricDataResult>');
    expect(res.body).toContain("<Timestamps><member>2026-11-27T10:00:00.000Z</member><member>2026-11-27T10:01:00.000Z</member></Timestamps>");
    expect(cloudwatch.seen.GetMetricData.StartTime).toEqual(new Date("2026-11-27T09:00:00Z"));
  });

  it("answers an unknown target with UnknownOperationException", async () => {
    const raw = await fetch(lc.url, { method: "POST", body: "{}", headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.Frobnicate" } });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { __type: string }).__type).toContain("UnknownOperationException");
  });
});

describe("restXml codec (CloudFront)", () => {
  it("round-trips a DistributionConfig payload and returns ETag and Location headers", async () => {
    const out = await new CloudFrontClient(cfg()).send(new CreateDistributionCommand({ DistributionConfig: config("ref-9") }));
    expect(cloudfront.seen.CreateDistribution.DistributionConfig).toEqual(config("ref-9"));
    expect(out.ETag).toBe("E2QWRUHAPOMQZL");
    expect(out.Location).toBe("https://cloudfront.amazonaws.com/2020-05-31/distribution/E123456789ABCD");
    expect(out.Distribution?.Id).toBe("E123456789ABCD");
    expect(out.Distribution?.LastModifiedTime).toEqual(created);
    expect(out.Distribution?.DistributionConfig?.Aliases?.Items).toEqual(["a.example.com", "b.example.com"]);
    expect(out.Distribution?.DistributionConfig?.Comment).toBe("blue & green");
    expect(out.$metadata.httpStatusCode).toBe(201);
  });

  it("reads URI labels, If-Match headers and query strings", async () => {
    const client = new CloudFrontClient(cfg());
    const got = await client.send(new GetDistributionCommand({ Id: "E123456789ABCD" }));
    expect(got.ETag).toBe("ETAG1");
    expect(got.Distribution?.DistributionConfig?.Origins?.Items?.[0].CustomOriginConfig?.HTTPPort).toBe(80);
    const updated = await client.send(new UpdateDistributionCommand({ Id: "E123456789ABCD", IfMatch: "ETAG1", DistributionConfig: { ...config("ref-1"), Enabled: false } }));
    expect(cloudfront.seen.UpdateDistribution).toMatchObject({ Id: "E123456789ABCD", IfMatch: "ETAG1" });
    expect(cloudfront.seen.UpdateDistribution.DistributionConfig.Enabled).toBe(false);
    expect(updated.ETag).toBe("after-ETAG1");
    const list = await client.send(new ListDistributionsCommand({ MaxItems: 7, Marker: "E1" }));
    expect(cloudfront.seen.ListDistributions).toEqual({ MaxItems: "7", Marker: "E1" });
    expect(list.DistributionList).toMatchObject({ Marker: "E1", MaxItems: 7, IsTruncated: false, Quantity: 0 });
    const deleted = await client.send(new DeleteDistributionCommand({ Id: "E123456789ABCD", IfMatch: "ETAG2" }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(cloudfront.seen.DeleteDistribution).toEqual({ Id: "E123456789ABCD", IfMatch: "ETAG2" });
  });

  it("renders typed errors with the model's status (NoSuchDistribution 404)", async () => {
    const e = await expectError(new CloudFrontClient(cfg()).send(new GetDistributionCommand({ Id: "EMISSING" })));
    expect(e).toBeInstanceOf(NoSuchDistribution);
    expect(e.$metadata.httpStatusCode).toBe(404);
    expect(e.message).toBe("The specified distribution does not exist.");
  });
});

describe("service detection and region", () => {
  const codecs = createCodecs();
  const wire = (over: Partial<Parameters<typeof identifyService>[0]>) => ({ method: "POST", path: "/", query: new URLSearchParams(), headers: {}, body: Buffer.alloc(0), form: [], ...over });

  it("identifies the service by path, target, Version and SigV4 scope, in that order", () => {
    expect(identifyService(wire({ path: "/2020-05-31/distribution" }), codecs)?.service).toBe("cloudfront");
    expect(identifyService(wire({ headers: { "x-amz-target": "GraniteServiceVersion20100801.ListMetrics" } }), codecs)?.codec.protocol).toBe("json");
    for (const [version, service, protocol] of [["2011-01-01", "autoscaling", "query"], ["2015-12-01", "elasticloadbalancing", "query"], ["2016-11-15", "ec2", "ec2"], ["2014-10-31", "rds", "query"], ["2010-08-01", "monitoring", "query"]]) {
      const found = identifyService(wire({ form: [["Action", "X"], ["Version", version]] }), codecs);
      expect([found?.service, found?.codec.protocol]).toEqual([service, protocol]);
    }
    const auth = (svc: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=test/20261127/eu-west-1/${svc}/aws4_request, SignedHeaders=host, Signature=x` });
    expect(identifyService(wire({ headers: auth("rds") }), codecs)?.service).toBe("rds");
    expect(identifyService(wire({ headers: { ...auth("monitoring"), "content-type": "application/x-amz-json-1.0" } }), codecs)?.codec.protocol).toBe("json");
    expect(identifyService(wire({ headers: auth("monitoring") }), codecs)?.codec.protocol).toBe("query");
    expect(identifyService(wire({}), codecs)).toBeUndefined();
  });

  it("takes the region from the credential scope", async () => {
    const out = await new EC2Client(clientConfig(lc.url, "eu-west-3")).send(new DescribeVpcsCommand({}));
    expect(out.Vpcs?.[0].OwnerId).toBe("eu-west-3");
  });

  it("answers an unidentifiable request with an error, not a crash", async () => {
    const res = await fetch(lc.url, { method: "POST", body: "hello" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("<Code>UnknownService</Code>");
  });
});

describe("ids and clock", () => {
  it("makes AWS-format ids", () => {
    expect(ec2Id("vpc")).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(ec2Id("i")).toMatch(/^i-[0-9a-f]{17}$/);
    expect(arnSuffix()).toMatch(/^[0-9a-f]{16}$/);
    expect(requestId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("runs `speed` times faster than wall time and changes speed without a jump", () => {
    let wall = 1_000_000;
    const clock = new SimClock({ nowMs: 5_000, speed: 10 }, () => wall);
    wall += 1_000;
    expect(clock.now()).toBe(15_000);
    clock.setSpeed(100);
    expect(clock.now()).toBe(15_000);
    wall += 10;
    expect(clock.now()).toBe(16_000);
    clock.advance(60_000);
    expect(clock.now()).toBe(76_000);
    expect(() => clock.setSpeed(0)).toThrow();
    expect(clock.toJSON()).toEqual({ nowMs: 76_000, speed: 100 });
  });
});

describe("state: persistence, restart and reset", () => {
  it("persists service state and simulated time across a restart, and reset restores initial state", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "localcloud-persist-"));
    const counter: ServiceModule = {
      name: "rds",
      initialState: () => ({ count: 0 }),
      handlers: {
        DescribeDBInstances: (_input, ctx) => {
          const s = ctx.cloud.state<{ count: number }>("rds");
          s.count += 1;
          ctx.cloud.markDirty();
          return { DBInstances: [{ DBInstanceIdentifier: `count-${s.count}` }] };
        },
      },
    };
    try {
      const first = await startLocalCloud({ port: 0, dataDir: dir, speed: 1000, services: { rds: counter } });
      const call = async (url: string) => (await new RDSClient(clientConfig(url)).send(new DescribeDBInstancesCommand({}))).DBInstances?.[0].DBInstanceIdentifier;
      expect(await call(first.url)).toBe("count-1");
      expect(await call(first.url)).toBe("count-2");
      await new Promise((r) => setTimeout(r, 50));
      const simBeforeClose = first.cloud.now();
      await first.close();
      const saved = JSON.parse(readFileSync(path.join(dir, "localcloud", "state.json"), "utf8"));
      expect(saved.services.rds.count).toBe(2);
      expect(saved.clock.speed).toBe(1000);

      const second = await startLocalCloud({ port: 0, dataDir: dir, services: { rds: counter } });
      expect(second.cloud.speed()).toBe(1000); // persisted speed when none is given
      expect(second.cloud.now()).toBeGreaterThanOrEqual(simBeforeClose);
      expect(second.cloud.now()).toBeLessThan(simBeforeClose + 60_000 * 1000); // resumed, not re-anchored to wall time
      expect(await call(second.url)).toBe("count-3");
      await second.reset();
      expect(second.cloud.state<{ count: number }>("rds").count).toBe(0);
      expect(await call(second.url)).toBe("count-1");
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("calls every service's tick with the simulated time", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "localcloud-tick-"));
    const ticks: number[] = [];
    const ticking: ServiceModule = { name: "cloudfront", initialState: () => ({}), handlers: {}, tick: (_cloud, now) => void ticks.push(now) };
    const started = await startLocalCloud({ port: 0, dataDir: dir, speed: 50, services: { cloudfront: ticking } });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(ticks.length).toBeGreaterThanOrEqual(3);
      expect(ticks[ticks.length - 1] - ticks[0]).toBeGreaterThan(50 * 100); // simulated ms advance ~50x wall
    } finally {
      await started.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function post(url: string, form: string) {
  const res = await fetch(url, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe("CLI (src/main.ts)", () => {
  it("prints the listening line, serves, and writes state on SIGTERM", async () => {
    const { spawn } = await import("node:child_process");
    const dir = mkdtempSync(path.join(tmpdir(), "localcloud-cli-"));
    const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "..", "src", "main.ts"), "--port", "0", "--data-dir", dir, "--speed", "25"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      let out = "";
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line; output: ${out}`)), 20_000);
        child.stdout.on("data", (chunk) => {
          out += chunk;
          const m = /localcloud listening on (http:\/\/127\.0\.0\.1:\d+) \(speed 25\)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.on("exit", (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const health = await fetch(`${line}/_localcloud/health`);
      expect(await health.json()).toEqual({ status: "ok" });
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      const saved = JSON.parse(readFileSync(path.join(dir, "localcloud", "state.json"), "utf8"));
      expect(saved.clock.speed).toBe(25);
      expect(Object.keys(saved.services).sort()).toEqual(["autoscaling", "cloudfront", "ec2", "elasticloadbalancing", "monitoring", "rds"]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("trimmed models", () => {
  it("contain every operation a service registers a handler for (else: npx tsx localcloud/scripts/extract-models.ts)", async () => {
    const { services } = await import("../src/services/index.ts");
    const { loadModel } = await import("../src/protocols/model.ts");
    const missing: string[] = [];
    for (const [name, mod] of Object.entries(services)) {
      const model = loadModel(name as ServiceName);
      for (const op of Object.keys(mod.handlers)) if (!model.operation(op)) missing.push(`${name}:${op}`);
    }
    expect(missing).toEqual([]);
  });
});

describe("CloudApi.putMetricData", () => {
  it("hands simulated datapoints to CloudWatch, where the API reads them", async () => {
    const { startTestCloud } = await import("./helpers.ts");
    const { ListMetricsCommand, GetMetricStatisticsCommand } = await import("@aws-sdk/client-cloudwatch");
    const tc = await startTestCloud({ speed: 1 });
    try {
      const now = tc.cloud.now();
      tc.cloud.putMetricData("us-east-1", "Sim/Test", [{ MetricName: "Hits", Dimensions: [{ Name: "Fleet", Value: "blue" }], Timestamp: now, Value: 7, Unit: "Count" }]);
      const metrics = await tc.cloudwatch.send(new ListMetricsCommand({ Namespace: "Sim/Test" }));
      expect(metrics.Metrics).toEqual([{ Namespace: "Sim/Test", MetricName: "Hits", Dimensions: [{ Name: "Fleet", Value: "blue" }] }]);
      const stats = await tc.cloudwatch.send(new GetMetricStatisticsCommand({
        Namespace: "Sim/Test", MetricName: "Hits", Dimensions: [{ Name: "Fleet", Value: "blue" }],
        StartTime: new Date(now - 600_000), EndTime: new Date(now + 600_000), Period: 60, Statistics: ["Sum"],
      }));
      expect(stats.Datapoints?.map((d) => d.Sum)).toEqual([7]);
      // Regional: another region sees nothing.
      const other = await tc.clientsFor("eu-west-1").cloudwatch.send(new ListMetricsCommand({ Namespace: "Sim/Test" }));
      expect(other.Metrics ?? []).toEqual([]);
    } finally {
      await tc.close();
    }
  });
});

describe("StateStore", () => {
  it("writes atomically and backs off in proportion to the cost of the last write", async () => {
    const { StateStore } = await import("../src/core/store.ts");
    const dir = mkdtempSync(path.join(tmpdir(), "localcloud-store-"));
    try {
      let doc: any = { services: { ec2: { n: 1 } } };
      const store = new StateStore(dir, () => doc, 10);
      expect(store.load()).toBeUndefined();
      expect(store.nextDelayMs()).toBe(10);
      store.flush();
      expect(JSON.parse(readFileSync(store.file, "utf8"))).toEqual(doc);
      // A large state takes a while to serialize: the next write waits 10x as long.
      doc = { services: { monitoring: { blob: Array.from({ length: 400_000 }, (_, i) => ({ t: i, v: i * 1.5, k: `series-${i % 97}` })) } } };
      store.flush();
      expect(store.nextDelayMs()).toBeGreaterThan(100); // serializing ~15 MB takes well over 10 ms
      expect(store.load()?.services.monitoring).toBeDefined();
      store.close();
      // A corrupt file is moved aside, not fatal.
      const { writeFileSync, readdirSync } = await import("node:fs");
      writeFileSync(store.file, "{ not json");
      const errors = await import("vitest").then(({ vi }) => vi.spyOn(console, "error").mockImplementation(() => {}));
      expect(new StateStore(dir, () => doc).load()).toBeUndefined();
      errors.mockRestore();
      expect(readdirSync(path.join(dir, "localcloud")).some((f) => f.startsWith("state.json.corrupt-"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
