/**
 * Secrets Manager through SDK v3, Debian's awscli and boto3: versions and staging labels,
 * ClientRequestToken idempotency, ListSecrets filters and paging, deletion with a recovery
 * window (reads refused while scheduled), restore, tags, and AWS's error codes.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  InvalidNextTokenException,
} from "@aws-sdk/client-secrets-manager";
import { clientConfig, expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { awsCli, awsCliOk, boto3, hasAwsCli, hasBoto3 } from "./cli-runners.ts";

let lc: TestCloud;
let sm: SecretsManagerClient;
const DAY = 86_400_000;
const TOKEN_A = "aaaaaaaa-0000-4000-8000-000000000001";
const TOKEN_B = "aaaaaaaa-0000-4000-8000-000000000002";

beforeAll(async () => {
  lc = await startTestCloud();
  sm = new SecretsManagerClient(clientConfig(lc.url));
});

afterAll(async () => {
  sm?.destroy();
  await lc?.close();
});

describe("Secrets Manager (SDK v3)", () => {
  it("creates a secret with tags and a KMS key; the ARN ends in the name and 6 random characters", async () => {
    const created = await sm.send(
      new CreateSecretCommand({
        Name: "app/db",
        Description: "db creds",
        SecretString: '{"u":"a"}',
        KmsKeyId: "alias/app",
        Tags: [{ Key: "team", Value: "core" }],
      }),
    );
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/db-[A-Za-z0-9]{6}$/);
    expect(created.Name).toBe("app/db");
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "app/db" }));
    expect(d).toMatchObject({
      ARN: created.ARN,
      Name: "app/db",
      Description: "db creds",
      KmsKeyId: "alias/app",
      Tags: [{ Key: "team", Value: "core" }],
    });
    expect(d.VersionIdsToStages).toEqual({ [created.VersionId!]: ["AWSCURRENT"] });
    expect(d.CreatedDate).toBeInstanceOf(Date);
    expect(d.DeletedDate).toBeUndefined();
    // By full ARN and by partial ARN (without the random suffix).
    expect((await sm.send(new GetSecretValueCommand({ SecretId: created.ARN }))).SecretString).toBe('{"u":"a"}');
    expect((await sm.send(new GetSecretValueCommand({ SecretId: created.ARN!.slice(0, -7) }))).Name).toBe("app/db");
  });

  it("is idempotent on ClientRequestToken and refuses a reused name or token", async () => {
    const first = await sm.send(new CreateSecretCommand({ Name: "idem", SecretString: "v1", ClientRequestToken: TOKEN_A }));
    const again = await sm.send(new CreateSecretCommand({ Name: "idem", SecretString: "v1", ClientRequestToken: TOKEN_A }));
    expect(again).toMatchObject({ ARN: first.ARN, VersionId: TOKEN_A });
    expect(
      await expectError(sm.send(new CreateSecretCommand({ Name: "idem", SecretString: "other", ClientRequestToken: TOKEN_A }))),
    ).toBeInstanceOf(ResourceExistsException);
    expect(await expectError(sm.send(new CreateSecretCommand({ Name: "idem", SecretString: "v1" })))).toBeInstanceOf(
      ResourceExistsException,
    );
    // PutSecretValue: the same token and value is a no-op, another value under it is refused.
    await sm.send(new PutSecretValueCommand({ SecretId: "idem", SecretString: "v2", ClientRequestToken: TOKEN_B }));
    const repeat = await sm.send(new PutSecretValueCommand({ SecretId: "idem", SecretString: "v2", ClientRequestToken: TOKEN_B }));
    expect(repeat.VersionId).toBe(TOKEN_B);
    expect(
      await expectError(sm.send(new PutSecretValueCommand({ SecretId: "idem", SecretString: "v3", ClientRequestToken: TOKEN_B }))),
    ).toBeInstanceOf(ResourceExistsException);
  });

  it("moves AWSCURRENT to a new value and keeps the previous one as AWSPREVIOUS", async () => {
    const c = await sm.send(new CreateSecretCommand({ Name: "rot", SecretString: "one" }));
    const p2 = await sm.send(new PutSecretValueCommand({ SecretId: "rot", SecretString: "two" }));
    expect(p2.VersionStages).toEqual(["AWSCURRENT"]);
    const p3 = await sm.send(new PutSecretValueCommand({ SecretId: "rot", SecretString: "three" }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "rot" }))).SecretString).toBe("three");
    const prev = await sm.send(new GetSecretValueCommand({ SecretId: "rot", VersionStage: "AWSPREVIOUS" }));
    expect(prev).toMatchObject({ SecretString: "two", VersionId: p2.VersionId, VersionStages: ["AWSPREVIOUS"] });
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "rot", VersionId: c.VersionId }))).SecretString).toBe("one");
    const mismatch = await expectError(
      sm.send(new GetSecretValueCommand({ SecretId: "rot", VersionId: p3.VersionId, VersionStage: "AWSPREVIOUS" })),
    );
    expect(mismatch).toBeInstanceOf(ResourceNotFoundException);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: "rot" }));
    expect(d.VersionIdsToStages).toEqual({ [p3.VersionId!]: ["AWSCURRENT"], [p2.VersionId!]: ["AWSPREVIOUS"] });
    const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: "rot", IncludeDeprecated: true }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([p3.VersionId, p2.VersionId, c.VersionId]);
    const custom = await sm.send(new PutSecretValueCommand({ SecretId: "rot", SecretString: "pending", VersionStages: ["AWSPENDING"] }));
    expect(custom.VersionStages).toEqual(["AWSPENDING"]);
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "rot" }))).SecretString).toBe("three");
  });

  it("stores binary secrets and refuses string and binary together", async () => {
    await sm.send(new CreateSecretCommand({ Name: "bin", SecretBinary: Buffer.from([0, 1, 2, 250]) }));
    const got = await sm.send(new GetSecretValueCommand({ SecretId: "bin" }));
    expect(Buffer.from(got.SecretBinary!)).toEqual(Buffer.from([0, 1, 2, 250]));
    expect(got.SecretString).toBeUndefined();
    const both = await expectError(sm.send(new CreateSecretCommand({ Name: "both", SecretString: "x", SecretBinary: Buffer.from("y") })));
    expect(both).toBeInstanceOf(InvalidParameterException);
    expect(await expectError(sm.send(new CreateSecretCommand({ Name: "bad name!" })))).toBeInstanceOf(InvalidParameterException);
  });

  it("answers ResourceNotFoundException for unknown secrets, and secrets are regional", async () => {
    const err = await expectError(sm.send(new GetSecretValueCommand({ SecretId: "nope" })));
    expect(err).toBeInstanceOf(ResourceNotFoundException);
    expect(err.$metadata.httpStatusCode).toBe(400);
    const other = new SecretsManagerClient(clientConfig(lc.url, "eu-west-1"));
    expect(await expectError(other.send(new DescribeSecretCommand({ SecretId: "app/db" })))).toBeInstanceOf(ResourceNotFoundException);
    other.destroy();
  });

  it("lists with filters (prefix, case, negation, tags) and pages with NextToken", async () => {
    for (const n of ["list/a", "list/b", "list/c"]) {
      await sm.send(
        new CreateSecretCommand({ Name: n, Description: `Listed ${n}`, Tags: [{ Key: "env", Value: n === "list/c" ? "prod" : "dev" }] }),
      );
    }
    const names = async (filters: Array<{ Key: "name" | "description" | "tag-key" | "tag-value" | "all"; Values: string[] }>) =>
      (await sm.send(new ListSecretsCommand({ Filters: filters }))).SecretList!.map((s) => s.Name).sort();
    expect(await names([{ Key: "name", Values: ["list/"] }])).toEqual(["list/a", "list/b", "list/c"]);
    expect(await names([{ Key: "name", Values: ["LIST/"] }])).toEqual([]);
    expect(await names([{ Key: "description", Values: ["listed list/b"] }])).toEqual(["list/b"]);
    expect(
      await names([
        { Key: "name", Values: ["list/"] },
        { Key: "tag-value", Values: ["!prod"] },
      ]),
    ).toEqual(["list/a", "list/b"]);
    expect(
      await names([
        { Key: "tag-key", Values: ["env"] },
        { Key: "tag-value", Values: ["prod"] },
      ]),
    ).toEqual(["list/c"]);
    const page1 = await sm.send(new ListSecretsCommand({ MaxResults: 2, Filters: [{ Key: "name", Values: ["list/"] }] }));
    expect(page1.SecretList).toHaveLength(2);
    expect(page1.NextToken).toBeDefined();
    const page2 = await sm.send(
      new ListSecretsCommand({ MaxResults: 2, NextToken: page1.NextToken, Filters: [{ Key: "name", Values: ["list/"] }] }),
    );
    expect(page2.SecretList?.map((s) => s.Name)).toEqual(["list/c"]);
    expect(page2.NextToken).toBeUndefined();
    expect(await expectError(sm.send(new ListSecretsCommand({ NextToken: "garbage" })))).toBeInstanceOf(InvalidNextTokenException);
  });

  it("deletes with a recovery window: reads refused, listed only on request, restorable, gone after the window", async () => {
    await sm.send(new CreateSecretCommand({ Name: "doomed", SecretString: "s" }));
    expect(
      await expectError(
        sm.send(new DeleteSecretCommand({ SecretId: "doomed", RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })),
      ),
    ).toBeInstanceOf(InvalidParameterException);
    expect(await expectError(sm.send(new DeleteSecretCommand({ SecretId: "doomed", RecoveryWindowInDays: 6 })))).toBeInstanceOf(
      InvalidParameterException,
    );
    const del = await sm.send(new DeleteSecretCommand({ SecretId: "doomed", RecoveryWindowInDays: 7 }));
    const desc = await sm.send(new DescribeSecretCommand({ SecretId: "doomed" }));
    expect(del.DeletionDate!.getTime() - desc.DeletedDate!.getTime()).toBe(7 * DAY);
    expect(await expectError(sm.send(new GetSecretValueCommand({ SecretId: "doomed" })))).toBeInstanceOf(InvalidRequestException);
    expect(await expectError(sm.send(new PutSecretValueCommand({ SecretId: "doomed", SecretString: "x" })))).toBeInstanceOf(
      InvalidRequestException,
    );
    expect(await expectError(sm.send(new UpdateSecretCommand({ SecretId: "doomed", Description: "x" })))).toBeInstanceOf(
      InvalidRequestException,
    );
    expect(await expectError(sm.send(new CreateSecretCommand({ Name: "doomed" })))).toBeInstanceOf(InvalidRequestException);
    expect(await expectError(sm.send(new DeleteSecretCommand({ SecretId: "doomed" })))).toBeInstanceOf(InvalidRequestException);
    const visible = async (include: boolean) =>
      (await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: include, Filters: [{ Key: "name", Values: ["doomed"] }] })))
        .SecretList!.length;
    expect(await visible(false)).toBe(0);
    expect(await visible(true)).toBe(1);
    await sm.send(new RestoreSecretCommand({ SecretId: "doomed" }));
    expect((await sm.send(new GetSecretValueCommand({ SecretId: "doomed" }))).SecretString).toBe("s");
    await sm.send(new DeleteSecretCommand({ SecretId: "doomed", RecoveryWindowInDays: 7 }));
    await lc.advance(7 * DAY + 60_000);
    expect(await expectError(sm.send(new DescribeSecretCommand({ SecretId: "doomed" })))).toBeInstanceOf(ResourceNotFoundException);
  });

  it("force-deletes at once (the name is free again), tags and untags", async () => {
    await sm.send(new CreateSecretCommand({ Name: "forced", SecretString: "s" }));
    await sm.send(new DeleteSecretCommand({ SecretId: "forced", ForceDeleteWithoutRecovery: true }));
    expect(await expectError(sm.send(new GetSecretValueCommand({ SecretId: "forced" })))).toBeInstanceOf(ResourceNotFoundException);
    await sm.send(new CreateSecretCommand({ Name: "forced", SecretString: "again" }));
    await sm.send(
      new TagResourceCommand({
        SecretId: "forced",
        Tags: [
          { Key: "a", Value: "1" },
          { Key: "b", Value: "2" },
        ],
      }),
    );
    await sm.send(new UntagResourceCommand({ SecretId: "forced", TagKeys: ["a"] }));
    expect((await sm.send(new DescribeSecretCommand({ SecretId: "forced" }))).Tags).toEqual([{ Key: "b", Value: "2" }]);
    const reserved = await expectError(sm.send(new TagResourceCommand({ SecretId: "forced", Tags: [{ Key: "aws:x", Value: "1" }] })));
    expect(reserved).toBeInstanceOf(InvalidParameterException);
  });
});

describe("Secrets Manager faults and stats", () => {
  it("answers an injected Throttling as ThrottlingException (retried by the SDK) and counts calls", async () => {
    await sm.send(new CreateSecretCommand({ Name: "throttled", SecretString: "s" }));
    const added = await lc.admin("POST", "faults", { match: "secretsmanager:GetSecretValue", error: "Throttling", rate: 1 });
    expect(added.status).toBe(201);
    const err = await expectError(sm.send(new GetSecretValueCommand({ SecretId: "throttled" })));
    expect(err.name).toBe("ThrottlingException");
    expect(err.$metadata.httpStatusCode).toBe(400);
    const retrying = new SecretsManagerClient({ ...clientConfig(lc.url), maxAttempts: 2 });
    const retried = await expectError(retrying.send(new GetSecretValueCommand({ SecretId: "throttled" })));
    expect(retried.$metadata.attempts).toBe(2);
    retrying.destroy();
    await lc.admin("DELETE", "faults");
    const stats = await lc.admin("GET", "stats");
    expect(stats.body.calls["secretsmanager:GetSecretValue"]).toBeGreaterThanOrEqual(3);
  });
});

describe("Secrets Manager through awscli 2.9 and boto3", () => {
  it.skipIf(!hasAwsCli())("awscli: create, get, put, describe, list, delete, restore; typed errors", async () => {
    const created = await awsCliOk<{ ARN: string; VersionId: string }>(lc.url, [
      "secretsmanager",
      "create-secret",
      "--name",
      "cli/one",
      "--secret-string",
      "first",
      "--tags",
      "Key=k,Value=v",
    ]);
    expect(created.ARN).toMatch(/:secret:cli\/one-[A-Za-z0-9]{6}$/);
    await awsCliOk(lc.url, ["secretsmanager", "put-secret-value", "--secret-id", "cli/one", "--secret-string", "second"]);
    const got = await awsCliOk<{ SecretString: string; VersionStages: string[] }>(lc.url, [
      "secretsmanager",
      "get-secret-value",
      "--secret-id",
      "cli/one",
    ]);
    expect(got).toMatchObject({ SecretString: "second", VersionStages: ["AWSCURRENT"] });
    const prev = await awsCliOk<{ SecretString: string }>(lc.url, [
      "secretsmanager",
      "get-secret-value",
      "--secret-id",
      "cli/one",
      "--version-stage",
      "AWSPREVIOUS",
    ]);
    expect(prev.SecretString).toBe("first");
    const listed = await awsCliOk<{ SecretList: Array<{ Name: string }> }>(lc.url, [
      "secretsmanager",
      "list-secrets",
      "--filters",
      "Key=name,Values=cli/",
    ]);
    expect(listed.SecretList.map((s) => s.Name)).toEqual(["cli/one"]);
    const del = await awsCliOk<{ DeletionDate: number | string }>(lc.url, [
      "secretsmanager",
      "delete-secret",
      "--secret-id",
      "cli/one",
      "--recovery-window-in-days",
      "7",
    ]);
    expect(del.DeletionDate).toBeDefined();
    const refused = await awsCli(lc.url, ["secretsmanager", "get-secret-value", "--secret-id", "cli/one"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("InvalidRequestException");
    await awsCliOk(lc.url, ["secretsmanager", "restore-secret", "--secret-id", "cli/one"]);
    const missing = await awsCli(lc.url, ["secretsmanager", "describe-secret", "--secret-id", "cli/none"]);
    expect(missing.stderr).toContain("ResourceNotFoundException");
  });

  it.skipIf(!hasBoto3())("boto3: create with a token, get by stage, list, delete, typed errors", async () => {
    const out = await boto3<Record<string, Record<string, unknown>>>(
      lc.url,
      `sm = client("secretsmanager")
c = call(sm.create_secret, Name="py/one", SecretString="a", ClientRequestToken="${TOKEN_A}", Tags=[{"Key": "t", "Value": "1"}])
again = call(sm.create_secret, Name="py/one", SecretString="a", ClientRequestToken="${TOKEN_A}")
clash = call(sm.create_secret, Name="py/one", SecretString="b")
call(sm.put_secret_value, SecretId="py/one", SecretString="b")
prev = call(sm.get_secret_value, SecretId="py/one", VersionStage="AWSPREVIOUS")
lst = call(sm.list_secrets, Filters=[{"Key": "name", "Values": ["py/"]}])
both = call(sm.delete_secret, SecretId="py/one", RecoveryWindowInDays=7, ForceDeleteWithoutRecovery=True)
gone = call(sm.delete_secret, SecretId="py/one", ForceDeleteWithoutRecovery=True)
missing = call(sm.get_secret_value, SecretId="py/one")
out({"c": c, "again": again, "clash": clash, "prev": prev, "list": {"names": [s["Name"] for s in lst["SecretList"]]}, "both": both, "gone": gone, "missing": missing})`,
    );
    expect(out.c.VersionId).toBe(TOKEN_A);
    expect(out.again.ARN).toBe(out.c.ARN);
    expect(out.clash).toMatchObject({ error: "ResourceExistsException", status: 400 });
    expect(out.prev).toMatchObject({ SecretString: "a", VersionStages: ["AWSPREVIOUS"] });
    expect(out.list.names).toEqual(["py/one"]);
    expect(out.both).toMatchObject({ error: "InvalidParameterException" });
    expect(out.gone.Name).toBe("py/one");
    expect(out.missing).toMatchObject({ error: "ResourceNotFoundException" });
  });
});
