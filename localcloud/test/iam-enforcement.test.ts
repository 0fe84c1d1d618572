/**
 * IAM enforcement: with a policy on the account (admin API) or a role session's policies, every
 * call is evaluated before its handler runs. Allowed calls pass; calls outside the policy and
 * calls failing an aws:ResourceTag condition are refused as AWS refuses them: EC2
 * UnauthorizedOperation with an encoded message (decoded by sts:DecodeAuthorizationMessage),
 * ELBv2 AccessDenied, Secrets Manager (awsJson) AccessDeniedException, all 403. Plus
 * iam:PassRole, role sessions, ExternalId, and the admin API itself.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  CreateLaunchTemplateCommand,
  CreateVpcCommand,
  DeleteVpcCommand,
  DescribeImagesCommand,
  DescribeVpcsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand, ModifyTargetGroupCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateSecretCommand, GetSecretValueCommand, ListSecretsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { AssumeRoleCommand, DecodeAuthorizationMessageCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { clientConfig, expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import {
  ACCOUNT,
  EC2_TRUST,
  accountTrust,
  awsCli,
  boto3,
  hasBoto3,
  iamClient,
  policy,
  stsClient,
  type Credentials,
} from "./iam-helpers.ts";

let lc: TestCloud;
const ENV = "switchyard:environment";
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ids = { stagingVpc: "", prodVpc: "", stagingTg: "", prodTg: "", image: "" };
const staging = { [`aws:ResourceTag/${ENV}`]: "staging" };

const ACCOUNT_POLICY = [
  {
    Effect: "Allow",
    Action: [
      "ec2:Describe*",
      "elasticloadbalancing:Describe*",
      "secretsmanager:ListSecrets",
      "sts:DecodeAuthorizationMessage",
      "ec2:CreateLaunchTemplate",
    ],
    Resource: "*",
  },
  {
    Effect: "Allow",
    Action: ["ec2:DeleteVpc", "elasticloadbalancing:ModifyTargetGroup", "secretsmanager:GetSecretValue"],
    Resource: "*",
    Condition: { StringEquals: staging },
  },
];

const secrets = (credentials?: Credentials) =>
  new SecretsManagerClient({ ...clientConfig(lc.url), ...(credentials ? { credentials } : {}) });
const ec2 = (credentials?: Credentials) => new EC2Client({ ...clientConfig(lc.url), ...(credentials ? { credentials } : {}) });

async function setAccountPolicy(statements: object[], userName?: string): Promise<void> {
  const res = await lc.admin(
    "PUT",
    `accounts/${ACCOUNT}/policy`,
    userName ? { policy: JSON.parse(policy(...statements)), userName } : JSON.parse(policy(...statements)),
  );
  expect(res.status).toBe(200);
}

async function decoded(
  message: string,
): Promise<{ allowed: boolean; context: { action: string; resource: string; principal: { arn: string } } }> {
  const encoded = message.replace(/^You are not authorized to perform this operation\. Encoded authorization failure message: /, "");
  const out = await stsClient(lc.url).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }));
  return JSON.parse(out.DecodedMessage!);
}

const denied = (principal: string, action: string, resource: string) =>
  `User: ${principal} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

beforeAll(async () => {
  lc = await startTestCloud();
  const tag = (env: string) => [{ Key: ENV, Value: env }];
  for (const env of ["staging", "prod"] as const) {
    const vpc = await lc.ec2.send(
      new CreateVpcCommand({
        CidrBlock: env === "staging" ? "10.1.0.0/16" : "10.2.0.0/16",
        TagSpecifications: [{ ResourceType: "vpc", Tags: tag(env) }],
      }),
    );
    ids[`${env}Vpc`] = vpc.Vpc!.VpcId!;
    const tg = await lc.elbv2.send(
      new CreateTargetGroupCommand({ Name: `tg-${env}`, Protocol: "HTTP", Port: 80, VpcId: vpc.Vpc!.VpcId, Tags: tag(env) }),
    );
    ids[`${env}Tg`] = tg.TargetGroups![0].TargetGroupArn!;
    await secrets().send(new CreateSecretCommand({ Name: `${env}/db`, SecretString: `${env}-password`, Tags: tag(env) }));
  }
  ids.image = (await lc.ec2.send(new DescribeImagesCommand({}))).Images![0].ImageId!;
  const iam = iamClient(lc.url);
  await iam.send(new CreateRoleCommand({ RoleName: "app-role", AssumeRolePolicyDocument: EC2_TRUST }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "app-profile" }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "app-profile", RoleName: "app-role" }));
  await iam.send(new CreateRoleCommand({ RoleName: "reader", AssumeRolePolicyDocument: accountTrust("ext-9") }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: "reader",
      PolicyName: "read",
      PolicyDocument: policy(
        { Effect: "Allow", Action: ["ec2:DescribeVpcs", "elasticloadbalancing:DescribeTargetGroups"], Resource: "*" },
        { Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringEquals: staging } },
      ),
    }),
  );
});

afterAll(async () => {
  await lc?.close();
});

describe("without a policy on the account", () => {
  it("nothing is checked", async () => {
    expect((await lc.admin("GET", `accounts/${ACCOUNT}/policy`)).status).toBe(404);
    await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
  });
});

describe("with a policy on the account", () => {
  beforeAll(() => setAccountPolicy(ACCOUNT_POLICY));
  afterAll(async () => void (await lc.admin("DELETE", `accounts/${ACCOUNT}/policy`)));

  it("allows the calls the policy allows", async () => {
    expect((await lc.ec2.send(new DescribeVpcsCommand({}))).Vpcs!.length).toBeGreaterThanOrEqual(2);
    expect((await lc.elbv2.send(new DescribeTargetGroupsCommand({}))).TargetGroups).toHaveLength(2);
    expect((await secrets().send(new ListSecretsCommand({}))).SecretList).toHaveLength(2);
    expect((await secrets().send(new GetSecretValueCommand({ SecretId: "staging/db" }))).SecretString).toBe("staging-password");
    await lc.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: ids.stagingTg, HealthCheckPath: "/healthz" }));
  });

  it("EC2: a call outside the policy is UnauthorizedOperation with a decodable message", async () => {
    const err = await expectError(lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.3.0.0/16" })));
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["UnauthorizedOperation", 403]);
    expect(err.message).toMatch(/^You are not authorized to perform this operation\. Encoded authorization failure message: \S+$/);
    expect(await decoded(err.message)).toMatchObject({
      allowed: false,
      context: { action: "ec2:CreateVpc", resource: "*", principal: { arn: ROOT } },
    });
  });

  it("EC2: a call failing the aws:ResourceTag condition is refused; the staging VPC may be deleted", async () => {
    const err = await expectError(lc.ec2.send(new DeleteVpcCommand({ VpcId: ids.prodVpc })));
    expect(err.name).toBe("UnauthorizedOperation");
    expect((await decoded(err.message)).context).toMatchObject({
      action: "ec2:DeleteVpc",
      resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/${ids.prodVpc}`,
    });
    await lc.ec2.send(new DeleteVpcCommand({ VpcId: ids.stagingVpc }));
  });

  it("ELBv2: outside the policy and failing the tag condition are AccessDenied (403) in AWS's words", async () => {
    const outside = await expectError(
      lc.elbv2.send(new CreateTargetGroupCommand({ Name: "tg-new", Protocol: "HTTP", Port: 80, VpcId: ids.prodVpc })),
    );
    expect([outside.name, outside.$metadata.httpStatusCode, outside.message]).toEqual([
      "AccessDenied",
      403,
      denied(ROOT, "elasticloadbalancing:CreateTargetGroup", "*"),
    ]);
    const tagged = await expectError(lc.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: ids.prodTg, HealthCheckPath: "/x" })));
    expect([tagged.name, tagged.$metadata.httpStatusCode, tagged.message]).toEqual([
      "AccessDenied",
      403,
      denied(ROOT, "elasticloadbalancing:ModifyTargetGroup", ids.prodTg),
    ]);
  });

  it("Secrets Manager (awsJson): AccessDeniedException (403) outside the policy and on the prod secret", async () => {
    const outside = await expectError(secrets().send(new CreateSecretCommand({ Name: "new/db", SecretString: "x" })));
    expect([outside.name, outside.$metadata.httpStatusCode]).toEqual(["AccessDeniedException", 403]);
    expect(outside.message).toBe(denied(ROOT, "secretsmanager:CreateSecret", `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:new/db`));
    const prod = await expectError(secrets().send(new GetSecretValueCommand({ SecretId: "prod/db" })));
    expect(prod.name).toBe("AccessDeniedException");
    expect(prod.message).toMatch(
      new RegExp(
        `^User: ${ROOT} is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-\\w{6} because`,
      ),
    );
  });

  it("iam:PassRole: a launch template with an instance profile needs PassRole to ec2.amazonaws.com", async () => {
    const template = (name: string) =>
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: name,
        LaunchTemplateData: { ImageId: ids.image, InstanceType: "t3.micro", IamInstanceProfile: { Name: "app-profile" } },
      });
    const err = await expectError(lc.ec2.send(template("lt-denied")));
    expect(err.name).toBe("UnauthorizedOperation");
    expect((await decoded(err.message)).context).toMatchObject({
      action: "iam:PassRole",
      resource: `arn:aws:iam::${ACCOUNT}:role/app-role`,
    });
    const passToLambda = {
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: "*",
      Condition: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } },
    };
    await setAccountPolicy([...ACCOUNT_POLICY, passToLambda]);
    expect((await expectError(lc.ec2.send(template("lt-denied")))).name).toBe("UnauthorizedOperation");
    await setAccountPolicy([
      ...ACCOUNT_POLICY,
      { ...passToLambda, Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } },
    ]);
    expect((await lc.ec2.send(template("lt-allowed"))).LaunchTemplate!.LaunchTemplateName).toBe("lt-allowed");
    await setAccountPolicy(ACCOUNT_POLICY);
  });

  it("a caller whose policy lacks sts:AssumeRole cannot assume a role its account trusts", async () => {
    const err = await expectError(
      stsClient(lc.url).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader`, RoleSessionName: "s1", ExternalId: "ext-9" }),
      ),
    );
    expect([err.name, err.$metadata.httpStatusCode]).toEqual(["AccessDenied", 403]);
  });

  it("the static keys may stand for an IAM user: its ARN in GetCallerIdentity and in refusals", async () => {
    await setAccountPolicy(ACCOUNT_POLICY, "deployer");
    const user = `arn:aws:iam::${ACCOUNT}:user/deployer`;
    expect((await stsClient(lc.url).send(new GetCallerIdentityCommand({}))).Arn).toBe(user);
    const err = await expectError(lc.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: ids.prodTg, HealthCheckPath: "/x" })));
    expect(err.message).toBe(denied(user, "elasticloadbalancing:ModifyTargetGroup", ids.prodTg));
    await setAccountPolicy(ACCOUNT_POLICY);
  });

  it("awscli and boto3 see the same refusals", async () => {
    const cli = await awsCli(lc.url, ["ec2", "create-vpc", "--cidr-block", "10.4.0.0/16"]);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain(
      "(UnauthorizedOperation) when calling the CreateVpc operation: You are not authorized to perform this operation. Encoded authorization failure message:",
    );
    if (!hasBoto3()) return;
    const out = await boto3<Record<string, { error: string; status: number; message: string }>>(
      lc.url,
      [
        `elb = call(client('elbv2').modify_target_group, TargetGroupArn=${JSON.stringify(ids.prodTg)}, HealthCheckPath='/x')`,
        "sm = call(client('secretsmanager').get_secret_value, SecretId='prod/db')",
        "out({'elb': elb, 'sm': sm})",
      ].join("\n"),
    );
    expect(out.elb).toEqual({
      error: "AccessDenied",
      status: 403,
      message: denied(ROOT, "elasticloadbalancing:ModifyTargetGroup", ids.prodTg),
    });
    expect(out.sm).toMatchObject({ error: "AccessDeniedException", status: 403 });
  });
});

describe("role sessions carry the role's policies", () => {
  let creds: Credentials;
  beforeAll(async () => {
    const out = await stsClient(lc.url).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader`, RoleSessionName: "audit", ExternalId: "ext-9" }),
    );
    creds = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!,
    };
  });

  it("allows what the role allows and refuses the rest, naming the session", async () => {
    expect((await ec2(creds).send(new DescribeVpcsCommand({}))).Vpcs).toBeDefined();
    expect((await secrets(creds).send(new GetSecretValueCommand({ SecretId: "staging/db" }))).SecretString).toBe("staging-password");
    const session = `arn:aws:sts::${ACCOUNT}:assumed-role/reader/audit`;
    const create = await expectError(ec2(creds).send(new CreateVpcCommand({ CidrBlock: "10.5.0.0/16" })));
    expect(create.name).toBe("UnauthorizedOperation");
    expect((await decoded(create.message)).context).toMatchObject({ action: "ec2:CreateVpc", principal: { arn: session } });
    const prod = await expectError(secrets(creds).send(new GetSecretValueCommand({ SecretId: "prod/db" })));
    expect(prod.name).toBe("AccessDeniedException");
    expect(prod.message).toContain(`User: ${session} is not authorized to perform: secretsmanager:GetSecretValue`);
  });

  it("an ExternalId mismatch is refused", async () => {
    const err = await expectError(
      stsClient(lc.url).send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/reader`, RoleSessionName: "audit", ExternalId: "ext-0" }),
      ),
    );
    expect(err.message).toBe(`User: ${ROOT} is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${ACCOUNT}:role/reader`);
  });
});

describe("the admin API", () => {
  it("refuses a malformed policy (400) and another account (404); DELETE lifts enforcement", async () => {
    const bad = await lc.admin("PUT", `accounts/${ACCOUNT}/policy`, {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "ec2:*" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^MalformedPolicyDocument: /);
    expect((await lc.admin("PUT", "accounts/111111111111/policy", JSON.parse(policy(...ACCOUNT_POLICY)))).status).toBe(404);
    await setAccountPolicy(ACCOUNT_POLICY);
    expect((await lc.admin("GET", `accounts/${ACCOUNT}/policy`)).body).toMatchObject({
      accountId: ACCOUNT,
      principal: ROOT,
      policy: { Statement: ACCOUNT_POLICY },
    });
    expect((await lc.admin("DELETE", `accounts/${ACCOUNT}/policy`)).status).toBe(200);
    await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.6.0.0/16" }));
  });
});
