/**
 * RDS ManageMasterUserPassword: the master secret RDS creates in Secrets Manager (rds!db-<uuid>,
 * {"username","password"}, AWS's tags), MasterUserSecret on Create/Describe/Modify, rotation,
 * turning management off and on, the secret deleted with the instance; through SDK v3, awscli
 * 2.9 and boto3.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  type CreateDBInstanceCommandInput,
} from "@aws-sdk/client-rds";
import {
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { clientConfig, expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { awsCliOk, boto3, hasAwsCli, hasBoto3 } from "./cli-runners.ts";

let lc: TestCloud;
let sm: SecretsManagerClient;
const AVAILABLE_MS = 10 * 60_000;

const input = (id: string, extra: Partial<CreateDBInstanceCommandInput> = {}): CreateDBInstanceCommandInput => ({
  DBInstanceIdentifier: id,
  Engine: "postgres",
  DBInstanceClass: "db.t3.micro",
  AllocatedStorage: 20,
  MasterUsername: "app",
  ManageMasterUserPassword: true,
  ...extra,
});

async function secretJson(arn: string, stage = "AWSCURRENT"): Promise<{ username: string; password: string }> {
  const v = await sm.send(new GetSecretValueCommand({ SecretId: arn, VersionStage: stage }));
  return JSON.parse(v.SecretString!);
}

async function describeDb(id: string) {
  return (await lc.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances![0];
}

beforeAll(async () => {
  lc = await startTestCloud();
  sm = new SecretsManagerClient(clientConfig(lc.url));
});

afterAll(async () => {
  sm?.destroy();
  await lc?.close();
});

describe("RDS ManageMasterUserPassword (SDK v3)", () => {
  it("refuses a password together with ManageMasterUserPassword, and a secret key without it", async () => {
    const both = await expectError(lc.rds.send(new CreateDBInstanceCommand(input("both", { MasterUserPassword: "correct-horse-1" }))));
    expect(both.name).toBe("InvalidParameterCombination");
    const keyOnly = await expectError(
      lc.rds.send(
        new CreateDBInstanceCommand(
          input("keyonly", { ManageMasterUserPassword: false, MasterUserPassword: "correct-horse-1", MasterUserSecretKmsKeyId: "alias/x" }),
        ),
      ),
    );
    expect(keyOnly.name).toBe("InvalidParameterCombination");
    const neither = await expectError(lc.rds.send(new CreateDBInstanceCommand(input("neither", { ManageMasterUserPassword: undefined }))));
    expect(neither.name).toBe("InvalidParameterValue");
  });

  it("creates the master secret in Secrets Manager and shows MasterUserSecret on Create and Describe", async () => {
    const { DBInstance } = await lc.rds.send(new CreateDBInstanceCommand(input("managed")));
    const secret = DBInstance!.MasterUserSecret!;
    expect(secret.SecretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:rds!db-[0-9a-f-]{36}-[A-Za-z0-9]{6}$/);
    expect(secret.SecretStatus).toBe("active");
    expect(secret.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
    expect((await describeDb("managed")).MasterUserSecret).toEqual(secret);
    const value = await secretJson(secret.SecretArn!);
    expect(value.username).toBe("app");
    expect(value.password).toMatch(/^[\x21-\x7e]{20,}$/);
    expect(value.password).not.toMatch(/[/@"']/);
    const d = await sm.send(new DescribeSecretCommand({ SecretId: secret.SecretArn }));
    expect(d.Name).toMatch(/^rds!db-[0-9a-f-]{36}$/);
    expect(d.OwningService).toBe("rds");
    expect(d.KmsKeyId).toBe(secret.KmsKeyId);
    expect(d.Tags).toEqual(
      expect.arrayContaining([
        { Key: "aws:rds:primaryDBInstanceArn", Value: "arn:aws:rds:us-east-1:000000000000:db:managed" },
        { Key: "aws:secretsmanager:owningService", Value: "rds" },
      ]),
    );
    // The secret belongs to RDS: Secrets Manager refuses to change or delete it.
    expect(
      await expectError(sm.send(new DeleteSecretCommand({ SecretId: secret.SecretArn, ForceDeleteWithoutRecovery: true }))),
    ).toBeInstanceOf(InvalidRequestException);
    expect(await expectError(sm.send(new PutSecretValueCommand({ SecretId: secret.SecretArn, SecretString: "{}" })))).toBeInstanceOf(
      InvalidRequestException,
    );
  });

  it("uses the given MasterUserSecretKmsKeyId", async () => {
    const { DBInstance } = await lc.rds.send(
      new CreateDBInstanceCommand(input("with-key", { MasterUserSecretKmsKeyId: "alias/rds-secrets" })),
    );
    expect(DBInstance!.MasterUserSecret?.KmsKeyId).toBe("alias/rds-secrets");
  });

  it("rotates, turns management off (password required) and on again via ModifyDBInstance", async () => {
    await lc.advance(AVAILABLE_MS);
    expect((await describeDb("managed")).DBInstanceStatus).toBe("available");
    const arn = (await describeDb("managed")).MasterUserSecret!.SecretArn!;
    const before = await secretJson(arn);

    const notNow = await expectError(
      lc.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "managed", RotateMasterUserPassword: true })),
    );
    expect(notNow.name).toBe("InvalidParameterCombination");
    const rotated = await lc.rds.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: "managed", RotateMasterUserPassword: true, ApplyImmediately: true }),
    );
    expect(rotated.DBInstance?.MasterUserSecret?.SecretArn).toBe(arn);
    expect((await secretJson(arn)).password).not.toBe(before.password);
    expect((await secretJson(arn, "AWSPREVIOUS")).password).toBe(before.password);

    const plain = await expectError(
      lc.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "managed", MasterUserPassword: "correct-horse-2" })),
    );
    expect(plain.name).toBe("InvalidParameterCombination");
    const offWithout = await expectError(
      lc.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "managed", ManageMasterUserPassword: false })),
    );
    expect(offWithout.name).toBe("InvalidParameterCombination");
    const off = await lc.rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: "managed",
        ManageMasterUserPassword: false,
        MasterUserPassword: "correct-horse-2",
      }),
    );
    expect(off.DBInstance?.MasterUserSecret).toBeUndefined();
    expect(await expectError(sm.send(new DescribeSecretCommand({ SecretId: arn })))).toBeInstanceOf(ResourceNotFoundException);

    const on = await lc.rds.send(
      new ModifyDBInstanceCommand({
        DBInstanceIdentifier: "managed",
        ManageMasterUserPassword: true,
        MasterUserSecretKmsKeyId: "alias/again",
      }),
    );
    const again = on.DBInstance!.MasterUserSecret!;
    expect(again.SecretArn).not.toBe(arn);
    expect(again.KmsKeyId).toBe("alias/again");
    expect((await secretJson(again.SecretArn!)).username).toBe("app");
    const rekey = await expectError(
      lc.rds.send(
        new ModifyDBInstanceCommand({
          DBInstanceIdentifier: "managed",
          ManageMasterUserPassword: true,
          MasterUserSecretKmsKeyId: "alias/other",
        }),
      ),
    );
    expect(rekey.name).toBe("InvalidParameterCombination");
  });

  it("deletes the master secret with the instance", async () => {
    const arn = (await describeDb("managed")).MasterUserSecret!.SecretArn!;
    const deleting = await lc.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "managed", SkipFinalSnapshot: true }));
    expect(deleting.DBInstance?.MasterUserSecret?.SecretArn).toBe(arn);
    await lc.advance(5 * 60_000);
    expect(await expectError(describeDb("managed"))).toHaveProperty("name", "DBInstanceNotFoundFault");
    expect(await expectError(sm.send(new GetSecretValueCommand({ SecretId: arn })))).toBeInstanceOf(ResourceNotFoundException);
  });
});

describe("RDS managed master password through awscli 2.9 and boto3", () => {
  it.skipIf(!hasAwsCli())("awscli: create-db-instance --manage-master-user-password returns MasterUserSecret", async () => {
    const out = await awsCliOk<{ DBInstance: { MasterUserSecret: { SecretArn: string; SecretStatus: string } } }>(lc.url, [
      "rds",
      "create-db-instance",
      "--db-instance-identifier",
      "cli-managed",
      "--engine",
      "mysql",
      "--db-instance-class",
      "db.t3.micro",
      "--allocated-storage",
      "20",
      "--master-username",
      "admin",
      "--manage-master-user-password",
    ]);
    expect(out.DBInstance.MasterUserSecret).toMatchObject({ SecretStatus: "active", SecretArn: expect.stringMatching(/:secret:rds!db-/) });
    const value = await awsCliOk<{ SecretString: string }>(lc.url, [
      "secretsmanager",
      "get-secret-value",
      "--secret-id",
      out.DBInstance.MasterUserSecret.SecretArn,
    ]);
    expect(JSON.parse(value.SecretString).username).toBe("admin");
  });

  it.skipIf(!hasBoto3())("boto3: create with ManageMasterUserPassword, the secret reads back, both settings refused together", async () => {
    const out = await boto3<Record<string, Record<string, unknown>>>(
      lc.url,
      `rds = client("rds"); sm = client("secretsmanager")
db = call(rds.create_db_instance, DBInstanceIdentifier="py-managed", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="py", ManageMasterUserPassword=True)
both = call(rds.create_db_instance, DBInstanceIdentifier="py-both", Engine="postgres", DBInstanceClass="db.t3.micro", AllocatedStorage=20, MasterUsername="py", MasterUserPassword="correct-horse-3", ManageMasterUserPassword=True)
secret = db["DBInstance"]["MasterUserSecret"]
value = json.loads(call(sm.get_secret_value, SecretId=secret["SecretArn"])["SecretString"])
out({"secret": secret, "value": {"username": value["username"]}, "both": both})`,
    );
    expect(out.secret).toMatchObject({ SecretStatus: "active" });
    expect(out.value.username).toBe("py");
    expect(out.both).toMatchObject({ error: "InvalidParameterCombination", status: 400 });
  });
});
