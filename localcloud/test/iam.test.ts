/**
 * IAM through SDK v3, Debian's awscli and boto3: roles, inline and attached policies, customer
 * and AWS managed policies, instance profiles, with AWS's error codes, statuses and wording, and
 * URL-encoded documents on the way out. Plus instanceProfileAllows, which instance bootstrap uses.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync } from "node:fs";
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteInstanceProfileCommand,
  DeletePolicyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  ListPoliciesCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { ACCOUNT, AWS_CLI, EC2_TRUST, accountTrust, awsCli, boto3, hasBoto3, iamClient, policy } from "./iam-helpers.ts";
import { instanceProfileAllows } from "../src/services/iam/evaluate.ts";

let lc: TestCloud;
let iam: IAMClient;
const SSM_CORE = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore";
const S3_READ = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess";
const READ_PARAMS = policy({ Effect: "Allow", Action: ["ssm:GetParameter"], Resource: `arn:aws:ssm:*:${ACCOUNT}:parameter/app/*` });

beforeAll(async () => {
  lc = await startTestCloud();
  iam = iamClient(lc.url);
});

afterAll(async () => {
  await lc?.close();
});

describe("IAM roles", () => {
  it("creates a role with path and tags; GetRole answers it with the trust policy URL-encoded", async () => {
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: "web-role",
        Path: "/app/",
        AssumeRolePolicyDocument: EC2_TRUST,
        Description: "web",
        Tags: [{ Key: "switchyard:environment", Value: "staging" }],
      }),
    );
    expect(Role).toMatchObject({
      RoleName: "web-role",
      Path: "/app/",
      Arn: `arn:aws:iam::${ACCOUNT}:role/app/web-role`,
      MaxSessionDuration: 3600,
      Description: "web",
    });
    expect(Role!.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(Role!.CreateDate).toBeInstanceOf(Date);
    const got = (await iam.send(new GetRoleCommand({ RoleName: "web-role" }))).Role!;
    expect(got.AssumeRolePolicyDocument).toBe(encodeURIComponent(EC2_TRUST));
    expect(JSON.parse(decodeURIComponent(got.AssumeRolePolicyDocument!))).toEqual(JSON.parse(EC2_TRUST));
    expect(got.Tags).toEqual([{ Key: "switchyard:environment", Value: "staging" }]);
  });

  it("answers EntityAlreadyExists (409, names are case-insensitive), NoSuchEntity (404), MalformedPolicyDocument, ValidationError", async () => {
    const dup = await expectError(iam.send(new CreateRoleCommand({ RoleName: "WEB-ROLE", AssumeRolePolicyDocument: EC2_TRUST })));
    expect([dup.name, dup.$metadata.httpStatusCode, dup.message]).toEqual([
      "EntityAlreadyExistsException",
      409,
      "Role with name WEB-ROLE already exists.",
    ]);
    const missing = await expectError(iam.send(new GetRoleCommand({ RoleName: "ghost" })));
    expect([missing.name, missing.$metadata.httpStatusCode, missing.message]).toEqual([
      "NoSuchEntityException",
      404,
      "The role with name ghost cannot be found.",
    ]);
    const noPrincipal = await expectError(
      iam.send(new CreateRoleCommand({ RoleName: "bad", AssumeRolePolicyDocument: policy({ Effect: "Allow", Action: "sts:AssumeRole" }) })),
    );
    expect(noPrincipal.name).toBe("MalformedPolicyDocumentException");
    const notJson = await expectError(iam.send(new CreateRoleCommand({ RoleName: "bad", AssumeRolePolicyDocument: "{not json" })));
    expect(notJson.message).toBe("Syntax errors in policy.");
    const badName = await expectError(iam.send(new CreateRoleCommand({ RoleName: "bad name!", AssumeRolePolicyDocument: EC2_TRUST })));
    expect(badName.name).toBe("ValidationError");
    expect(badName.message).toContain("Member must satisfy regular expression pattern");
  });

  it("lists roles with Marker/MaxItems paging; UpdateAssumeRolePolicy and TagRole", async () => {
    await iam.send(new CreateRoleCommand({ RoleName: "worker-role", AssumeRolePolicyDocument: EC2_TRUST }));
    const first = await iam.send(new ListRolesCommand({ MaxItems: 1 }));
    expect(first.Roles!.map((r) => r.RoleName)).toEqual(["web-role"]);
    expect(first.IsTruncated).toBe(true);
    const second = await iam.send(new ListRolesCommand({ MaxItems: 1, Marker: first.Marker }));
    expect(second.Roles!.map((r) => r.RoleName)).toEqual(["worker-role"]);
    expect(second.IsTruncated).toBe(false);
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: "worker-role", PolicyDocument: accountTrust("x-1") }));
    const doc = JSON.parse(
      decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: "worker-role" }))).Role!.AssumeRolePolicyDocument!),
    );
    expect(doc.Statement[0].Condition).toEqual({ StringEquals: { "sts:ExternalId": "x-1" } });
    await iam.send(new TagRoleCommand({ RoleName: "worker-role", Tags: [{ Key: "team", Value: "web" }] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: "worker-role" }))).Tags).toEqual([{ Key: "team", Value: "web" }]);
  });
});

describe("IAM role policies", () => {
  it("puts, reads (URL-encoded), lists and deletes inline policies; refuses a policy without Resource", async () => {
    await iam.send(new PutRolePolicyCommand({ RoleName: "web-role", PolicyName: "params", PolicyDocument: READ_PARAMS }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: "web-role", PolicyName: "params" }));
    expect(got).toMatchObject({ RoleName: "web-role", PolicyName: "params" });
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(JSON.parse(READ_PARAMS));
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: "web-role" }))).PolicyNames).toEqual(["params"]);
    const bad = await expectError(
      iam.send(
        new PutRolePolicyCommand({
          RoleName: "web-role",
          PolicyName: "x",
          PolicyDocument: policy({ Effect: "Allow", Action: "s3:GetObject" }),
        }),
      ),
    );
    expect([bad.name, bad.$metadata.httpStatusCode]).toEqual(["MalformedPolicyDocumentException", 400]);
    const gone = await expectError(iam.send(new GetRolePolicyCommand({ RoleName: "web-role", PolicyName: "nope" })));
    expect(gone.message).toBe("The role policy with name nope cannot be found.");
  });

  it("attaches the AWS managed policies a web stack uses, by ARN, with their documents", async () => {
    const arns = [
      SSM_CORE,
      "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy",
      S3_READ,
      "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
    ];
    for (const arn of arns) await iam.send(new AttachRolePolicyCommand({ RoleName: "web-role", PolicyArn: arn }));
    const attached = (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: "web-role" }))).AttachedPolicies!;
    expect(attached.map((p) => p.PolicyName)).toEqual([
      "AmazonSSMManagedInstanceCore",
      "CloudWatchAgentServerPolicy",
      "AmazonS3ReadOnlyAccess",
      "SecretsManagerReadWrite",
    ]);
    const ssm = (await iam.send(new GetPolicyCommand({ PolicyArn: SSM_CORE }))).Policy!;
    expect(ssm).toMatchObject({ PolicyName: "AmazonSSMManagedInstanceCore", AttachmentCount: 1, IsAttachable: true, Path: "/" });
    const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: SSM_CORE, VersionId: ssm.DefaultVersionId }))).PolicyVersion!;
    expect(decodeURIComponent(version.Document!)).toContain("ssm:GetParameter");
    const missing = await expectError(
      iam.send(new AttachRolePolicyCommand({ RoleName: "web-role", PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/none` })),
    );
    expect([missing.name, missing.message]).toEqual([
      "NoSuchEntityException",
      `Policy arn:aws:iam::${ACCOUNT}:policy/none does not exist or is not attachable.`,
    ]);
    await iam.send(new DetachRolePolicyCommand({ RoleName: "web-role", PolicyArn: S3_READ }));
  });

  it("customer managed policies: versions, default version, ListPolicies scopes, DeleteConflict while attached, 5 versions at most", async () => {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: "app-params", PolicyDocument: READ_PARAMS, Description: "read app params" }),
    );
    expect(Policy).toMatchObject({
      PolicyName: "app-params",
      Arn: `arn:aws:iam::${ACCOUNT}:policy/app-params`,
      DefaultVersionId: "v1",
      AttachmentCount: 0,
    });
    expect(Policy!.PolicyId).toMatch(/^ANPA[A-Z0-9]{17}$/);
    const dup = await expectError(iam.send(new CreatePolicyCommand({ PolicyName: "app-params", PolicyDocument: READ_PARAMS })));
    expect(dup.name).toBe("EntityAlreadyExistsException");
    const v2 = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: Policy!.Arn,
        PolicyDocument: policy({ Effect: "Allow", Action: "ssm:GetParameters", Resource: "*" }),
        SetAsDefault: true,
      }),
    );
    expect(v2.PolicyVersion).toMatchObject({ VersionId: "v2", IsDefaultVersion: true });
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: Policy!.Arn }))).Policy!.DefaultVersionId).toBe("v2");
    const local = (await iam.send(new ListPoliciesCommand({ Scope: "Local" }))).Policies!;
    expect(local.map((p) => p.PolicyName)).toEqual(["app-params"]);
    const aws = (await iam.send(new ListPoliciesCommand({ Scope: "AWS" }))).Policies!.map((p) => p.Arn);
    expect(aws).toEqual(expect.arrayContaining([SSM_CORE, S3_READ]));
    await iam.send(new AttachRolePolicyCommand({ RoleName: "worker-role", PolicyArn: Policy!.Arn }));
    const conflict = await expectError(iam.send(new DeletePolicyCommand({ PolicyArn: Policy!.Arn })));
    expect([conflict.name, conflict.$metadata.httpStatusCode, conflict.message]).toEqual([
      "DeleteConflictException",
      409,
      "Cannot delete a policy attached to entities.",
    ]);
    for (let i = 3; i <= 5; i++) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: READ_PARAMS }));
    const sixth = await expectError(iam.send(new CreatePolicyVersionCommand({ PolicyArn: Policy!.Arn, PolicyDocument: READ_PARAMS })));
    expect([sixth.name, sixth.$metadata.httpStatusCode]).toEqual(["LimitExceededException", 409]);
  });

  it("refuses to delete a role that has policies or sits in an instance profile (DeleteConflict)", async () => {
    const attached = await expectError(iam.send(new DeleteRoleCommand({ RoleName: "web-role" })));
    expect([attached.name, attached.message]).toEqual(["DeleteConflictException", "Cannot delete entity, must detach all policies first."]);
    await iam.send(new CreateRoleCommand({ RoleName: "inline-only", AssumeRolePolicyDocument: EC2_TRUST }));
    await iam.send(new PutRolePolicyCommand({ RoleName: "inline-only", PolicyName: "p", PolicyDocument: READ_PARAMS }));
    const inline = await expectError(iam.send(new DeleteRoleCommand({ RoleName: "inline-only" })));
    expect(inline.message).toBe("Cannot delete entity, must delete policies first.");
    await iam.send(new DeleteRolePolicyCommand({ RoleName: "inline-only", PolicyName: "p" }));
    await iam.send(new DeleteRoleCommand({ RoleName: "inline-only" }));
    expect((await expectError(iam.send(new GetRoleCommand({ RoleName: "inline-only" })))).name).toBe("NoSuchEntityException");
  });
});

describe("IAM instance profiles", () => {
  it("holds one role (LimitExceeded for a second), lists profiles for a role, DeleteConflict while it has a role", async () => {
    const { InstanceProfile } = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "web-profile" }));
    expect(InstanceProfile).toMatchObject({
      InstanceProfileName: "web-profile",
      Arn: `arn:aws:iam::${ACCOUNT}:instance-profile/web-profile`,
      Roles: [],
    });
    expect(InstanceProfile!.InstanceProfileId).toMatch(/^AIPA[A-Z0-9]{17}$/);
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "web-profile", RoleName: "web-role" }));
    const second = await expectError(
      iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "web-profile", RoleName: "worker-role" })),
    );
    expect([second.name, second.$metadata.httpStatusCode, second.message]).toEqual([
      "LimitExceededException",
      409,
      "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
    ]);
    const got = (await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "web-profile" }))).InstanceProfile!;
    expect(got.Roles!.map((r) => r.Arn)).toEqual([`arn:aws:iam::${ACCOUNT}:role/app/web-role`]);
    expect(
      (await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: "web-role" }))).InstanceProfiles!.map(
        (p) => p.InstanceProfileName,
      ),
    ).toEqual(["web-profile"]);
    const inUse = await expectError(iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "web-profile" })));
    expect([inUse.name, inUse.message]).toEqual([
      "DeleteConflictException",
      "Cannot delete entity, must remove roles from instance profile first.",
    ]);
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "spare" }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "spare", RoleName: "worker-role" }));
    const worker = await expectError(iam.send(new DeleteRoleCommand({ RoleName: "worker-role" })));
    expect(worker.message).toBe("Cannot delete entity, must remove roles from instance profile first.");
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "spare", RoleName: "worker-role" }));
    await iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: "spare" }));
    expect((await expectError(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: "spare" })))).message).toBe(
      "Instance Profile spare cannot be found.",
    );
  });

  it("instanceProfileAllows evaluates the profile's role (inline + attached policies) and says why not", () => {
    expect(instanceProfileAllows(lc.cloud, undefined, "s3:GetObject", "arn:aws:s3:::b/k")).toEqual({
      allowed: false,
      reason: "no instance profile",
    });
    expect(
      instanceProfileAllows(lc.cloud, "web-profile", "ssm:GetParameter", `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/db-url`).allowed,
    ).toBe(true);
    expect(
      instanceProfileAllows(
        lc.cloud,
        `arn:aws:iam::${ACCOUNT}:instance-profile/web-profile`,
        "secretsmanager:GetSecretValue",
        `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`,
      ).allowed,
    ).toBe(true);
    expect(instanceProfileAllows(lc.cloud, "web-profile", "s3:GetObject", "arn:aws:s3:::bucket/key")).toEqual({
      allowed: false,
      reason: "role web-role has no policy allowing s3:GetObject on arn:aws:s3:::bucket/key",
    });
    expect(instanceProfileAllows(lc.cloud, "nope", "s3:GetObject", "*").reason).toBe("instance profile nope does not exist");
  });
});

describe("IAM through Debian's awscli", () => {
  it("create-role, get-role (botocore decodes the document), attach, a typed NoSuchEntity", async () => {
    if (!existsSync(AWS_CLI)) throw new Error(`${AWS_CLI} is missing: apt-get install awscli`);
    const created = await awsCli(lc.url, ["iam", "create-role", "--role-name", "cli-role", "--assume-role-policy-document", EC2_TRUST]);
    expect(created.code).toBe(0);
    const got = (await awsCli(lc.url, ["iam", "get-role", "--role-name", "cli-role"])).json as {
      Role: { Arn: string; AssumeRolePolicyDocument: { Statement: Array<{ Principal: unknown }> } };
    };
    expect(got.Role.Arn).toBe(`arn:aws:iam::${ACCOUNT}:role/cli-role`);
    expect(got.Role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
    expect((await awsCli(lc.url, ["iam", "attach-role-policy", "--role-name", "cli-role", "--policy-arn", SSM_CORE])).code).toBe(0);
    const missing = await awsCli(lc.url, ["iam", "get-role", "--role-name", "ghost"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("(NoSuchEntity) when calling the GetRole operation: The role with name ghost cannot be found.");
  });
});

describe("IAM through boto3", () => {
  it("create_policy, get_policy_version (decoded by botocore), typed errors", async () => {
    if (!hasBoto3()) return;
    const out = await boto3<{
      arn: string;
      doc: { Statement: Array<{ Action: string[] }> };
      dup: { error: string; status: number };
      missing: { error: string; status: number };
    }>(
      lc.url,
      [
        "iam = client('iam')",
        `p = iam.create_policy(PolicyName='py-policy', PolicyDocument=${JSON.stringify(READ_PARAMS)})['Policy']`,
        "v = iam.get_policy_version(PolicyArn=p['Arn'], VersionId='v1')['PolicyVersion']",
        `dup = call(iam.create_policy, PolicyName='py-policy', PolicyDocument=${JSON.stringify(READ_PARAMS)})`,
        "missing = call(iam.get_instance_profile, InstanceProfileName='ghost')",
        "out({'arn': p['Arn'], 'doc': v['Document'], 'dup': dup, 'missing': missing})",
      ].join("\n"),
    );
    expect(out.arn).toBe(`arn:aws:iam::${ACCOUNT}:policy/py-policy`);
    expect(out.doc.Statement[0].Action).toEqual(["ssm:GetParameter"]);
    expect(out.dup).toMatchObject({ error: "EntityAlreadyExists", status: 409 });
    expect(out.missing).toMatchObject({ error: "NoSuchEntity", status: 404 });
  });
});
