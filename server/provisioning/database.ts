/**
 * Database steps (skipped when the spec has no database):
 *   1. ensureDatabase        (needs ensureNetwork.privateSubnetIds, ensureSecurityGroups.dbSgId;
 *                            NOT the load balancer: it runs in parallel with it, RDS is slowest)
 *                            subnet group <prefix><name>-db in the private subnets + DB instance
 *                            <prefix><name>-db, Multi-AZ per the spec.
 *   2. waitDatabaseAvailable (bounded poll; needs 1) -> endpoint, port, master secret ARN.
 *
 * Safety: the master password is RDS-managed (ManageMasterUserPassword: RDS keeps it in Secrets
 * Manager and Switchyard never sees it), storage is encrypted, automated backups are kept 7
 * days (and kept after deletion), and a protected environment's database has deletion
 * protection. Teardown (teardown.ts) takes a named final snapshot unless told otherwise.
 */
import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  ListRdsTagsCommand,
  ModifyDBInstanceCommand,
  type DBInstance,
} from "../aws/sdk.ts";
import { isAlreadyExists, isNotFound } from "../aws/errors.ts";
import { defineRead, defineStep, tagsOf, type Poll, type StepContext, type StepInput } from "./context.ts";
import { checkOwner } from "./ownership.ts";
import type { Stack } from "./read-stack.ts";
import { DB_NAME } from "./parameters.ts";

export const MASTER_USERNAME = "switchyard";
export const BACKUP_RETENTION_DAYS = 7;

export async function findDatabase(ctx: StepContext): Promise<DBInstance | undefined> {
  try {
    const found = (await ctx.aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: ctx.names.db }))).DBInstances?.[0];
    if (found) checkOwner(ctx, "A database", ctx.names.db, found.TagList);
    return found;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** The subnet group, if it exists (and is this environment's). */
export async function findSubnetGroup(ctx: StepContext): Promise<{ arn: string } | undefined> {
  try {
    const group = (await ctx.aws.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: ctx.names.dbSubnetGroup })))
      .DBSubnetGroups?.[0];
    if (!group?.DBSubnetGroupArn) return undefined;
    const tags = (await ctx.aws.rds.send(new ListRdsTagsCommand({ ResourceName: group.DBSubnetGroupArn }))).TagList;
    checkOwner(ctx, "A DB subnet group", ctx.names.dbSubnetGroup, tags);
    return { arn: group.DBSubnetGroupArn };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export interface DatabaseOutput {
  dbInstanceIdentifier: string | null;
  dbSubnetGroupName: string | null;
  /** The RDS-managed master secret (Secrets Manager), known as soon as the instance is created. */
  secretArn: string | null;
}

/** Deletion protection follows the spec's `protected`, on an existing database too. */
async function converge(ctx: StepContext, db: DBInstance, protect: boolean) {
  if ((db.DeletionProtection ?? false) === protect || db.DBInstanceStatus === "deleting") return;
  await ctx.aws.rds.send(
    new ModifyDBInstanceCommand({ DBInstanceIdentifier: ctx.names.db, DeletionProtection: protect, ApplyImmediately: true }),
  );
  ctx.touch("rds:db", db.DBInstanceArn ?? ctx.names.db, "updated");
}

export const ensureDatabase = defineStep(
  "create the database",
  async (input: StepInput & { privateSubnetIds: string[]; dbSgId: string }, ctx): Promise<DatabaseOutput> => {
    const db = input.spec.database;
    if (!db) return { dbInstanceIdentifier: null, dbSubnetGroupName: null, secretArn: null };
    const { aws, names, touch } = ctx;
    if (await findSubnetGroup(ctx)) touch("rds:subnet-group", names.dbSubnetGroup, "found");
    else {
      try {
        await aws.rds.send(
          new CreateDBSubnetGroupCommand({
            DBSubnetGroupName: names.dbSubnetGroup,
            DBSubnetGroupDescription: `Switchyard ${input.spec.name}: private subnets`,
            SubnetIds: input.privateSubnetIds,
            Tags: tagsOf(input, undefined, { Name: names.dbSubnetGroup }),
          }),
        );
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      touch("rds:subnet-group", names.dbSubnetGroup, "created");
    }

    const existing = await findDatabase(ctx);
    if (existing) {
      touch("rds:db", existing.DBInstanceArn ?? names.db, "found");
      await converge(ctx, existing, input.spec.protected);
      return {
        dbInstanceIdentifier: names.db,
        dbSubnetGroupName: names.dbSubnetGroup,
        secretArn: existing.MasterUserSecret?.SecretArn ?? null,
      };
    }
    let created: DBInstance | undefined;
    try {
      created = (
        await aws.rds.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: names.db,
            Engine: db.engine,
            DBInstanceClass: db.instanceClass,
            AllocatedStorage: db.storageGb,
            StorageType: "gp3",
            MultiAZ: db.multiAz,
            DBName: DB_NAME,
            MasterUsername: MASTER_USERNAME,
            ManageMasterUserPassword: true,
            DBSubnetGroupName: names.dbSubnetGroup,
            VpcSecurityGroupIds: [input.dbSgId],
            PubliclyAccessible: false,
            StorageEncrypted: true,
            BackupRetentionPeriod: BACKUP_RETENTION_DAYS,
            CopyTagsToSnapshot: true,
            DeletionProtection: input.spec.protected,
            Tags: tagsOf(input, undefined, { Name: names.db }),
          }),
        )
      ).DBInstance;
    } catch (err) {
      // A retried create whose first call went through (possibly not visible yet: the poll waits for it).
      if (!isAlreadyExists(err)) throw err;
      created = await findDatabase(ctx);
    }
    touch("rds:db", created?.DBInstanceArn ?? names.db, "created");
    return {
      dbInstanceIdentifier: names.db,
      dbSubnetGroupName: names.dbSubnetGroup,
      secretArn: created?.MasterUserSecret?.SecretArn ?? null,
    };
  },
);

export interface DatabaseDetail {
  status: string;
  /** host:port, for the timeline. */
  endpoint: string | null;
  address: string | null;
  port: number | null;
  secretArn: string | null;
  multiAz: boolean | null;
  summary: string;
}

export const waitDatabaseAvailable = defineRead("wait for the database", async (input: StepInput, ctx): Promise<Poll<DatabaseDetail>> => {
  const none = { endpoint: null, address: null, port: null, secretArn: null, multiAz: null };
  if (!input.spec.database) return { done: true, detail: { status: "none", ...none, summary: "no database" } };
  // Not visible yet (just created, AWS is eventually consistent) reads as "missing": keep waiting.
  const db = await findDatabase(ctx);
  const status = db?.DBInstanceStatus ?? "missing";
  if (status === "failed" || status === "incompatible-parameters" || status === "incompatible-network") {
    throw new Error(`Database ${ctx.names.db} is ${status}`);
  }
  const address = db?.Endpoint?.Address ?? null;
  const port = db?.Endpoint?.Port ?? null;
  return {
    done: status === "available",
    detail: {
      status,
      endpoint: address ? `${address}:${port}` : null,
      address,
      port,
      secretArn: db?.MasterUserSecret?.SecretArn ?? null,
      multiAz: db?.MultiAZ ?? null,
      summary: `${ctx.names.db} ${status}${db?.StorageEncrypted ? ", encrypted" : ""}${db?.DeletionProtection ? ", deletion protection on" : ""}`,
    },
  };
});

/** The database as readStack reports it. */
export async function readDatabase(ctx: StepContext): Promise<Stack["database"]> {
  const db = await findDatabase(ctx);
  if (!db) return null;
  return {
    identifier: ctx.names.db,
    status: db.DBInstanceStatus ?? "unknown",
    engine: db.Engine ?? null,
    instanceClass: db.DBInstanceClass ?? null,
    storageGb: db.AllocatedStorage ?? null,
    multiAz: db.MultiAZ ?? false,
    availabilityZone: db.AvailabilityZone ?? null,
    secondaryAvailabilityZone: db.SecondaryAvailabilityZone ?? null,
    endpoint: db.Endpoint?.Address ? `${db.Endpoint.Address}:${db.Endpoint.Port}` : null,
    secretArn: db.MasterUserSecret?.SecretArn ?? null,
    deletionProtection: db.DeletionProtection ?? false,
    encrypted: db.StorageEncrypted ?? false,
  };
}
