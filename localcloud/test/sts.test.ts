/**
 * STS through SDK v3, Debian's awscli and boto3: GetCallerIdentity for static keys and role
 * sessions, AssumeRole (trust policy, ExternalId, DurationSeconds, AWS's AccessDenied wording),
 * and the temporary credentials recognised in later requests (token checked, expiry).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync } from "node:fs";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CreateRoleCommand, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { clientConfig, expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import {
  ACCOUNT,
  AWS_CLI,
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
import type { StsState } from "../src/services/sts/state.ts";

let lc: TestCloud;
const ROLE = "deployer";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;

interface StsCredentials {
  AccessKeyId: string;
  SecretAccessKey: string;
  SessionToken: string;
  Expiration: string;
}

async function assume(
  externalId = "ext-123",
  extra: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {},
): Promise<Credentials & { expiration: Date }> {
  const out = await stsClient(lc.url).send(
    new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "ci", ExternalId: externalId, ...extra }),
  );
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration! };
}

beforeAll(async () => {
  lc = await startTestCloud();
  const iam = iamClient(lc.url);
  await iam.send(new CreateRoleCommand({ RoleName: ROLE, AssumeRolePolicyDocument: accountTrust("ext-123"), MaxSessionDuration: 7200 }));
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: ROLE,
      PolicyName: "describe",
      PolicyDocument: policy({ Effect: "Allow", Action: ["ec2:Describe*", "sts:AssumeRole"], Resource: "*" }),
    }),
  );
  await iam.send(new CreateRoleCommand({ RoleName: "ec2-only", AssumeRolePolicyDocument: EC2_TRUST }));
});

afterAll(async () => {
  await lc?.close();
});

describe("STS GetCallerIdentity", () => {
  it("answers the account root for static keys", async () => {
    const out = await stsClient(lc.url).send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ UserId: ACCOUNT, Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:root` });
  });

  it("answers the assumed-role ARN for temporary credentials", async () => {
    const creds = await assume();
    const out = await stsClient(lc.url, creds).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/ci`);
    expect(out.Account).toBe(ACCOUNT);
    expect(out.UserId).toMatch(/^AROA[A-Z0-9]{17}:ci$/);
  });
});

describe("STS AssumeRole", () => {
  it("returns temporary credentials in AWS's formats, expiring after DurationSeconds", async () => {
    const before = Date.now();
    const out = await stsClient(lc.url).send(
      new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "ci", ExternalId: "ext-123", DurationSeconds: 900 }),
    );
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(out.Credentials!.SecretAccessKey).toHaveLength(40);
    expect(out.Credentials!.SessionToken!.length).toBeGreaterThan(100);
    const expires = out.Credentials!.Expiration!.getTime();
    expect(expires).toBeGreaterThanOrEqual(before + 899_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 901_000);
    expect(out.AssumedRoleUser).toEqual({
      AssumedRoleId: expect.stringMatching(/^AROA[A-Z0-9]{17}:ci$/),
      Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/ci`,
    });
  });

  it("refuses a wrong or missing ExternalId, an unknown role and a trust policy for another principal, as AWS words it", async () => {
    const sts = stsClient(lc.url);
    for (const input of [
      { RoleArn: ROLE_ARN, ExternalId: "wrong" },
      { RoleArn: ROLE_ARN },
      { RoleArn: `arn:aws:iam::${ACCOUNT}:role/nope` },
      { RoleArn: `arn:aws:iam::${ACCOUNT}:role/ec2-only` },
    ]) {
      const err = await expectError(sts.send(new AssumeRoleCommand({ RoleSessionName: "ci", ...input })));
      expect(err.name).toBe("AccessDenied");
      expect(err.$metadata.httpStatusCode).toBe(403);
      expect(err.message).toBe(
        `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
      );
    }
  });

  it("validates DurationSeconds: 900 at least, the role's MaxSessionDuration at most, 1 hour when chaining", async () => {
    const sts = stsClient(lc.url);
    const short = await expectError(
      sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "ci", ExternalId: "ext-123", DurationSeconds: 899 })),
    );
    expect(short.name).toBe("ValidationError");
    expect(short.message).toContain("Member must have value greater than or equal to 900");
    const long = await expectError(
      sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "ci", ExternalId: "ext-123", DurationSeconds: 7201 })),
    );
    expect(long.message).toBe("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    expect((await assume("ext-123", { DurationSeconds: 7200 })).expiration.getTime()).toBeGreaterThan(Date.now() + 7_000_000);
    const chained = await expectError(
      stsClient(lc.url, await assume()).send(
        new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: "again", ExternalId: "ext-123", DurationSeconds: 7200 }),
      ),
    );
    expect(chained.message).toBe("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  });

  it("refuses temporary credentials it did not issue, with a wrong token, or expired", async () => {
    const creds = await assume();
    const unknown = await expectError(
      stsClient(lc.url, { ...creds, accessKeyId: "ASIAAAAAAAAAAAAAAAAA" }).send(new GetCallerIdentityCommand({})),
    );
    expect(unknown.name).toBe("InvalidClientTokenId");
    expect(unknown.$metadata.httpStatusCode).toBe(403);
    const badToken = await expectError(stsClient(lc.url, { ...creds, sessionToken: "forged" }).send(new GetCallerIdentityCommand({})));
    expect(badToken.message).toBe("The security token included in the request is invalid.");
    const ec2Bad = await expectError(
      new EC2Client({ ...clientConfig(lc.url), credentials: { ...creds, sessionToken: "forged" } }).send(new DescribeVpcsCommand({})),
    );
    expect(ec2Bad.name).toBe("AuthFailure");
    lc.cloud.state<StsState>("sts").sessions[creds.accessKeyId].expiresAt = Date.now() - 1;
    const expired = await expectError(stsClient(lc.url, creds).send(new GetCallerIdentityCommand({})));
    expect(expired.name).toBe("ExpiredToken");
    expect(expired.message).toBe("The security token included in the request is expired");
  });

  it("works through the SDK's own temporary-credentials provider (as Switchyard assumes an account's role)", async () => {
    const credentials = fromTemporaryCredentials({
      params: { RoleArn: ROLE_ARN, RoleSessionName: "switchyard", ExternalId: "ext-123", DurationSeconds: 3600 },
      clientConfig: clientConfig(lc.url),
    });
    const ec2 = new EC2Client({ ...clientConfig(lc.url), credentials });
    expect((await ec2.send(new DescribeVpcsCommand({}))).Vpcs).toBeDefined();
    const who = await stsClient(lc.url, await credentials()).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/switchyard`);
  });
});

describe("STS through Debian's awscli", () => {
  it("get-caller-identity, assume-role, then the role's identity; a wrong ExternalId is AccessDenied", async () => {
    if (!existsSync(AWS_CLI)) throw new Error(`${AWS_CLI} is missing: apt-get install awscli`);
    expect((await awsCli(lc.url, ["sts", "get-caller-identity"])).json).toMatchObject({
      Account: ACCOUNT,
      Arn: `arn:aws:iam::${ACCOUNT}:root`,
    });
    const assumed = await awsCli(lc.url, [
      "sts",
      "assume-role",
      "--role-arn",
      ROLE_ARN,
      "--role-session-name",
      "cli",
      "--external-id",
      "ext-123",
    ]);
    expect(assumed.code).toBe(0);
    const c = (assumed.json as { Credentials: StsCredentials }).Credentials;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    const who = await awsCli(lc.url, ["sts", "get-caller-identity"], {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
    });
    expect(who.json).toMatchObject({ Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/cli` });
    const denied = await awsCli(lc.url, [
      "sts",
      "assume-role",
      "--role-arn",
      ROLE_ARN,
      "--role-session-name",
      "cli",
      "--external-id",
      "nope",
    ]);
    expect(denied.code).not.toBe(0);
    expect(denied.stderr).toContain("(AccessDenied) when calling the AssumeRole operation");
  });
});

describe("STS through boto3", () => {
  it("assume_role then get_caller_identity with the session; wrong ExternalId refused", async () => {
    if (!hasBoto3()) return;
    const out = await boto3<{ arn: string; key: string; denied: { error: string; status: number } }>(
      lc.url,
      [
        `r = client('sts').assume_role(RoleArn=${JSON.stringify(ROLE_ARN)}, RoleSessionName='py', ExternalId='ext-123')`,
        "who = client('sts', r['Credentials']).get_caller_identity()",
        `denied = call(client('sts').assume_role, RoleArn=${JSON.stringify(ROLE_ARN)}, RoleSessionName='py', ExternalId='x1')`,
        "out({'arn': who['Arn'], 'key': r['Credentials']['AccessKeyId'], 'denied': denied})",
      ].join("\n"),
    );
    expect(out.arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/${ROLE}/py`);
    expect(out.key).toMatch(/^ASIA/);
    expect(out.denied).toMatchObject({ error: "AccessDenied", status: 403 });
  });
});
