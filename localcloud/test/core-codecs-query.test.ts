/**
 * Core conformance, query protocols: the ec2Query and awsQuery codecs (driven through the real
 * SDK v3 clients against test-only fake service modules), error rendering, service detection
 * and region. JSON and restXml are in core-codecs-json-rest.test.ts.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { EC2Client, DescribeVpcsCommand, RunInstancesCommand, CreateVpcCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  DescribeAutoScalingGroupsCommand,
  AlreadyExistsFault,
} from "@aws-sdk/client-auto-scaling";
import { ElasticLoadBalancingV2Client, CreateRuleCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { RDSClient, CreateDBInstanceCommand, DescribeDBInstancesCommand, DBInstanceNotFoundFault } from "@aws-sdk/client-rds";
import { AwsError } from "../src/core/types.ts";
import { startLocalCloud, type RunningLocalCloud } from "../src/index.ts";
import { identifyService } from "../src/server.ts";
import { createCodecs } from "../src/protocols/index.ts";
import { clientConfig, expectError, fakeService } from "./helpers.ts";

const created = new Date("2026-11-27T10:00:00.000Z");

const ec2 = fakeService("ec2", {
  DescribeVpcs: (_i, ctx) => ({
    Vpcs: [
      {
        VpcId: "vpc-0123456789abcdef0",
        CidrBlock: "10.0.0.0/16",
        State: "available",
        IsDefault: false,
        OwnerId: ctx.region,
        Tags: [{ Key: "Name", Value: "a&b<c>" }],
      },
    ],
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
  DescribeScalingActivities: () => ({
    Activities: [{ ActivityId: "a1", AutoScalingGroupName: "web", Cause: "c", StartTime: created, StatusCode: "Successful", Typo: 1 }],
  }),
  DescribeAutoScalingGroups: () => ({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: "web",
        MinSize: 1,
        MaxSize: 3,
        DesiredCapacity: 2,
        DefaultCooldown: 300,
        AvailabilityZones: ["us-east-1a", "us-east-1b"],
        HealthCheckType: "ELB",
        CreatedTime: created,
        NewInstancesProtectedFromScaleIn: false,
        Instances: [
          {
            InstanceId: "i-1",
            AvailabilityZone: "us-east-1a",
            LifecycleState: "InService",
            HealthStatus: "Healthy",
            ProtectedFromScaleIn: false,
          },
        ],
        Tags: [{ Key: "env", Value: "prod", PropagateAtLaunch: true, ResourceId: "web", ResourceType: "auto-scaling-group" }],
      },
    ],
  }),
});

const elbv2 = fakeService("elasticloadbalancing", {
  CreateRule: (input) => ({
    Rules: [
      { RuleArn: "arn:rule", Priority: String(input.Priority), Actions: input.Actions, Conditions: input.Conditions, IsDefault: false },
    ],
  }),
  DescribeLoadBalancers: () => ({ LoadBalancers: [] }),
});

const rds = fakeService("rds", {
  CreateDBInstance: (input) => ({
    DBInstance: {
      DBInstanceIdentifier: input.DBInstanceIdentifier,
      DBInstanceStatus: "creating",
      AllocatedStorage: input.AllocatedStorage,
      MultiAZ: input.MultiAZ,
    },
  }),
  DescribeDBInstances: (input) => {
    if (input.DBInstanceIdentifier === "missing") throw new AwsError("DBInstanceNotFound", "DBInstance missing not found.");
    return {
      DBInstances: [
        {
          DBInstanceIdentifier: "db1",
          DBInstanceStatus: "available",
          Endpoint: { Address: "db1.abc.us-east-1.rds.amazonaws.com", Port: 5432 },
          InstanceCreateTime: created,
          VpcSecurityGroups: [{ VpcSecurityGroupId: "sg-1", Status: "active" }],
        },
        { DBInstanceIdentifier: "db2", DBInstanceStatus: "creating" },
      ],
      Marker: "m2",
    };
  },
});

let lc: RunningLocalCloud;
let dataDir: string;
const cfg = () => clientConfig(lc.url);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "localcloud-core-"));
  lc = await startLocalCloud({
    port: 0,
    dataDir,
    speed: 100,
    services: { ec2: ec2.module, autoscaling: autoscaling.module, elasticloadbalancing: elbv2.module, rds: rds.module },
  });
});

afterAll(async () => {
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(url: string, form: string) {
  const res = await fetch(url, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe("ec2Query codec", () => {
  it("parses flattened lists and typed members, and renders camelCase <item> output", async () => {
    const client = new EC2Client(cfg());
    const out = await client.send(
      new DescribeVpcsCommand({
        VpcIds: ["vpc-a", "vpc-b"],
        Filters: [
          { Name: "tag:env", Values: ["prod", "stg"] },
          { Name: "state", Values: ["available"] },
        ],
        MaxResults: 5,
      }),
    );
    expect(ec2.seen.DescribeVpcs).toEqual({
      VpcIds: ["vpc-a", "vpc-b"],
      Filters: [
        { Name: "tag:env", Values: ["prod", "stg"] },
        { Name: "state", Values: ["available"] },
      ],
      MaxResults: 5,
    });
    expect(out.Vpcs).toEqual([
      {
        VpcId: "vpc-0123456789abcdef0",
        CidrBlock: "10.0.0.0/16",
        State: "available",
        IsDefault: false,
        OwnerId: "us-east-1",
        Tags: [{ Key: "Name", Value: "a&b<c>" }],
      },
    ]);
    expect(out.NextToken).toBe("next-1");
    expect(out.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("parses nested TagSpecifications and booleans; timestamps come back as Dates", async () => {
    const client = new EC2Client(cfg());
    const out = await client.send(
      new RunInstancesCommand({
        ImageId: "ami-1",
        MinCount: 1,
        MaxCount: 2,
        InstanceType: "t3.micro",
        SecurityGroupIds: ["sg-1"],
        EbsOptimized: true,
        TagSpecifications: [
          {
            ResourceType: "instance",
            Tags: [
              { Key: "a", Value: "1" },
              { Key: "b", Value: "2" },
            ],
          },
        ],
      }),
    );
    const seen = ec2.seen.RunInstances;
    expect(seen).toMatchObject({
      ImageId: "ami-1",
      MinCount: 1,
      MaxCount: 2,
      InstanceType: "t3.micro",
      SecurityGroupIds: ["sg-1"],
      EbsOptimized: true,
    });
    expect(seen.TagSpecifications).toEqual([
      {
        ResourceType: "instance",
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2" },
        ],
      },
    ]);
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
    await client.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: "web",
        MinSize: 1,
        MaxSize: 3,
        VPCZoneIdentifier: "subnet-1,subnet-2",
        TargetGroupARNs: ["arn:tg1", "arn:tg2"],
        Tags: [
          { Key: "env", Value: "prod", PropagateAtLaunch: true },
          { Key: "team", Value: "web", PropagateAtLaunch: false },
        ],
        LaunchTemplate: { LaunchTemplateId: "lt-1", Version: "$Latest" },
      }),
    );
    expect(autoscaling.seen.CreateAutoScalingGroup).toEqual({
      AutoScalingGroupName: "web",
      MinSize: 1,
      MaxSize: 3,
      VPCZoneIdentifier: "subnet-1,subnet-2",
      TargetGroupARNs: ["arn:tg1", "arn:tg2"],
      Tags: [
        { Key: "env", Value: "prod", PropagateAtLaunch: true },
        { Key: "team", Value: "web", PropagateAtLaunch: false },
      ],
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
      expect(out.Activities?.[0]).toEqual({
        ActivityId: "a1",
        AutoScalingGroupName: "web",
        Cause: "c",
        StartTime: created,
        StatusCode: "Successful",
      });
      const warnings = warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes("Typo"));
      expect(warnings).toEqual([
        "localcloud: autoscaling:DescribeScalingActivities.Activities[].Typo is not in the autoscaling model's output shape; it is not sent",
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it("maps AwsError codes to the typed exception", async () => {
    const e = await expectError(
      new AutoScalingClient(cfg()).send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: "dup", MinSize: 1, MaxSize: 1 })),
    );
    expect(e).toBeInstanceOf(AlreadyExistsFault);
    expect(e.message).toBe("AutoScalingGroup by this name already exists");
  });

  it("parses deeply nested member lists (ELBv2 forward weights)", async () => {
    const out = await new ElasticLoadBalancingV2Client(cfg()).send(
      new CreateRuleCommand({
        ListenerArn: "arn:l",
        Priority: 10,
        Conditions: [{ Field: "path-pattern", Values: ["/api/*"] }],
        Actions: [
          {
            Type: "forward",
            Order: 2,
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: "arn:blue", Weight: 90 },
                { TargetGroupArn: "arn:green", Weight: 10 },
              ],
            },
          },
          {
            Type: "authenticate-oidc",
            Order: 1,
            AuthenticateOidcConfig: {
              Issuer: "i",
              AuthorizationEndpoint: "a",
              TokenEndpoint: "t",
              UserInfoEndpoint: "u",
              ClientId: "c",
              AuthenticationRequestExtraParams: { prompt: "login", display: "page" },
            },
          },
        ],
      }),
    );
    // Maps travel as `entry.N.key` / `entry.N.value` and come back as <entry><key/><value/></entry>.
    expect(elbv2.seen.CreateRule.Actions[1].AuthenticateOidcConfig.AuthenticationRequestExtraParams).toEqual({
      prompt: "login",
      display: "page",
    });
    expect(out.Rules?.[0].Actions?.[1].AuthenticateOidcConfig?.AuthenticationRequestExtraParams).toEqual({
      prompt: "login",
      display: "page",
    });
    expect(elbv2.seen.CreateRule.Actions[0].ForwardConfig.TargetGroups).toEqual([
      { TargetGroupArn: "arn:blue", Weight: 90 },
      { TargetGroupArn: "arn:green", Weight: 10 },
    ]);
    expect(elbv2.seen.CreateRule.Priority).toBe(10);
    expect(out.Rules?.[0].Actions?.[0].ForwardConfig?.TargetGroups?.[1]).toEqual({ TargetGroupArn: "arn:green", Weight: 10 });
    expect(out.Rules?.[0].Conditions?.[0].Values).toEqual(["/api/*"]);
  });

  it("uses the model's xmlName for list items (RDS VpcSecurityGroupId, DBInstance)", async () => {
    const client = new RDSClient(cfg());
    const created_ = await client.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "db1",
        DBInstanceClass: "db.t3.micro",
        Engine: "postgres",
        AllocatedStorage: 20,
        MultiAZ: true,
        VpcSecurityGroupIds: ["sg-1", "sg-2"],
        Tags: [{ Key: "env", Value: "prod" }],
      }),
    );
    expect(rds.seen.CreateDBInstance).toMatchObject({
      VpcSecurityGroupIds: ["sg-1", "sg-2"],
      Tags: [{ Key: "env", Value: "prod" }],
      AllocatedStorage: 20,
      MultiAZ: true,
    });
    expect(created_.DBInstance).toMatchObject({
      DBInstanceIdentifier: "db1",
      DBInstanceStatus: "creating",
      AllocatedStorage: 20,
      MultiAZ: true,
    });
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

describe("service detection and region", () => {
  const codecs = createCodecs();
  const wire = (over: Partial<Parameters<typeof identifyService>[0]>) => ({
    method: "POST",
    path: "/",
    query: new URLSearchParams(),
    headers: {},
    body: Buffer.alloc(0),
    form: [],
    ...over,
  });

  it("identifies the service by path, target, Version and SigV4 scope, in that order", () => {
    expect(identifyService(wire({ path: "/2020-05-31/distribution" }), codecs)?.service).toBe("cloudfront");
    expect(
      identifyService(wire({ headers: { "x-amz-target": "GraniteServiceVersion20100801.ListMetrics" } }), codecs)?.codec.protocol,
    ).toBe("json");
    for (const [version, service, protocol] of [
      ["2011-01-01", "autoscaling", "query"],
      ["2015-12-01", "elasticloadbalancing", "query"],
      ["2016-11-15", "ec2", "ec2"],
      ["2014-10-31", "rds", "query"],
      ["2010-08-01", "monitoring", "query"],
    ]) {
      const found = identifyService(
        wire({
          form: [
            ["Action", "X"],
            ["Version", version],
          ],
        }),
        codecs,
      );
      expect([found?.service, found?.codec.protocol]).toEqual([service, protocol]);
    }
    const auth = (svc: string) => ({
      authorization: `AWS4-HMAC-SHA256 Credential=test/20261127/eu-west-1/${svc}/aws4_request, SignedHeaders=host, Signature=x`,
    });
    expect(identifyService(wire({ headers: auth("rds") }), codecs)?.service).toBe("rds");
    expect(
      identifyService(wire({ headers: { ...auth("monitoring"), "content-type": "application/x-amz-json-1.0" } }), codecs)?.codec.protocol,
    ).toBe("json");
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
