import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateVpcCommand, DeleteVpcCommand, GetParameterCommand, PutParameterCommand } from "../aws/sdk.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { spec as specOf } from "../../testing/fixtures.ts";
import * as p from "./index.ts";
import { deployerPolicy, LOCAL_ACCOUNT, startFixture, type LocalCloud } from "./local-cloud-fixture.ts";
import { provision, teardown, testEnvironment } from "./test-helpers.ts";

/**
 * docs/aws-iam-policy.json holds: the strict local cloud evaluates every call of a whole
 * provisioning and teardown against it (as the IAM user Switchyard's keys stand for), and a call
 * outside it is refused with AWS's error. CloudFront stays off here: the local cloud does not
 * yet evaluate CloudFront's tag conditions, and names CreateDistributionWithTags's action after
 * the operation (AWS: cloudfront:CreateDistribution + TagResource).
 *
 * LOCAL_CLOUD_DEVIATIONS are added to the policy for the local cloud only, where it is stricter
 * than AWS; each says why. Nothing else is added.
 */
const LOCAL_CLOUD_DEVIATIONS = [
  {
    // It takes every ARN in a request as a resource (AWS: AttachRolePolicy's resource is the role
    // only) and does not know iam:PolicyARN, so the policy's ArnEquals condition cannot hold there.
    Sid: "LocalCloudAttachTheManagedPolicy",
    Effect: "Allow",
    Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
    Resource: ["arn:aws:iam::*:role/switchyard/sy-*", "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
  },
  {
    // Likewise the target groups an Auto Scaling group registers with (AWS: the group only).
    Sid: "LocalCloudGroupsNamingTheirTargetGroups",
    Effect: "Allow",
    Action: ["autoscaling:CreateAutoScalingGroup"],
    Resource: ["arn:aws:elasticloadbalancing:*:*:targetgroup/sy-*"],
  },
  {
    // It takes a parameter's value (the database secret's ARN) as a resource of PutParameter.
    Sid: "LocalCloudParameterValuesNamingTheSecret",
    Effect: "Allow",
    Action: ["ssm:PutParameter"],
    Resource: ["arn:aws:secretsmanager:*:*:secret:rds!*"],
  },
];
let lc: LocalCloud;
let envId: string;
const spec: EnvironmentSpec = specOf("policed", {
  capacity: { min: 1, desired: 1, max: 2 },
  database: { engine: "postgres", instanceClass: "db.t3.micro", storageGb: 20, multiAz: false },
  cache: { engine: "valkey", nodeType: "cache.t4g.micro", replicas: 1, multiAz: true },
  cloudfront: false,
  network: { egress: "nat-shared" },
});
const base = () => ({ accountId: lc.accountId, envId, spec });

beforeAll(async () => {
  lc = await startFixture();
  envId = await testEnvironment(lc.accountId, spec);
  const policy = deployerPolicy() as { Version: string; Statement: unknown[] };
  const put = await lc.admin("PUT", `accounts/${LOCAL_ACCOUNT}/policy`, {
    policy: { ...policy, Statement: [...policy.Statement, ...LOCAL_CLOUD_DEVIATIONS] },
    userName: "switchyard-deployer",
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
});

afterAll(async () => {
  await lc?.admin("DELETE", `accounts/${LOCAL_ACCOUNT}/policy`);
  await lc?.close();
});

describe("the deployer policy, enforced by the local cloud", () => {
  it("allows a whole provisioning: the app serves, its log shows the artifact and the secret read", async () => {
    const started = Date.now();
    const out = await provision(base());
    console.log(`provision under the enforced policy: ${Date.now() - started} ms`);
    expect(await lc.ask("sy-policed-alb")).toEqual({ status: 200, version: "v1" });
    const log = await p.instanceLog({ ...base(), liveSlot: "blue" });
    expect(log.failed).toBe(false);
    expect(log.text).toMatch(/aws s3 cp: ok \(S3 via .*s3:GetObject allowed\)/);
    expect(log.text).toMatch(
      /aws secretsmanager get-secret-value: ok \(secretsmanager via NAT gateway .*secretsmanager:GetSecretValue allowed\)/,
    );
    expect(out.role.instanceProfileArn).toMatch(/:instance-profile\/switchyard\/sy-policed-instance$/);
    expect(out.cache?.status).toBe("available");
    // The cache failover drill is allowed too.
    expect((await p.failoverCache(base())).failedOver).toBe(true);
  });

  it("refuses calls outside it with AWS's errors", async () => {
    // An untagged VPC: creates must carry switchyard:environment.
    await expect(lc.aws.ec2.send(new CreateVpcCommand({ CidrBlock: "10.99.0.0/16" }))).rejects.toMatchObject({
      name: "UnauthorizedOperation",
    });
    // A VPC that is not an environment's cannot be deleted (the default VPC-like foreign one).
    const foreign = await lc.aws.ec2
      .send(
        new CreateVpcCommand({
          CidrBlock: "10.98.0.0/16",
          TagSpecifications: [{ ResourceType: "vpc", Tags: [{ Key: "switchyard:environment", Value: "not-a-uuid" }] }],
        }),
      )
      .catch((e: Error) => e);
    expect(foreign).toMatchObject({ name: "UnauthorizedOperation" }); // the tag's value must look like an environment id
    await expect(lc.aws.ec2.send(new DeleteVpcCommand({ VpcId: "vpc-0123456789abcdef0" }))).rejects.toMatchObject({
      name: expect.stringMatching(/UnauthorizedOperation|NotFound/),
    });
    // Parameters outside /switchyard/, and secrets: nothing.
    await expect(lc.aws.ssm.send(new PutParameterCommand({ Name: "/other/app/x", Value: "1", Type: "String" }))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
    await expect(lc.aws.ssm.send(new GetParameterCommand({ Name: "/other/app/x" }))).rejects.toMatchObject({
      name: "AccessDeniedException",
    });
  });

  it("allows the teardown, final snapshot included", async () => {
    const touched = await teardown(base(), { finalSnapshot: "sy-policed-final-1" });
    expect(touched).toContainEqual({ type: "rds:snapshot", id: "sy-policed-final-1", action: "created" });
    const stack = await p.readStack(base());
    expect(stack).toMatchObject({ network: null, loadBalancer: null, database: null, cache: null });
  });
});
