/**
 * Database steps (skipped when the spec has no database):
 *   1. ensureDatabase        (needs ensureNetwork.privateSubnetIds, ensureSecurityGroups.dbSgId;
 *                            NOT the load balancer: it runs in parallel with it, RDS is slowest)
 *                            subnet group <name>-db in the private subnets + DB instance
 *                            <name>-db, Multi-AZ per the spec.
 *   2. waitDatabaseAvailable (bounded poll; needs 1)
 *
 * The master password is never stored by Switchyard nor logged: with RDS-managed passwords
 * (ManageMasterUserPassword) AWS keeps it in Secrets Manager and the app reads it from the
 * instance's MasterUserSecret. Where the service does not support that (the local cloud), a
 * random password is generated, sent once and discarded; in that case reset it with
 * ModifyDBInstance when someone needs it.
 */
import { randomBytes } from "node:crypto";
import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  type CreateDBInstanceCommandInput,
  type DBInstance,
} from "../aws/sdk.ts";
import { awsErrorCode, isAlreadyExists, isNotFound } from "../aws/errors.ts";
import { defineRead, defineStep, tagsOf, type Poll, type StepContext, type StepInput } from "./context.ts";

export const MASTER_USERNAME = "switchyard";

export async function findDatabase(ctx: StepContext): Promise<DBInstance | undefined> {
  try {
    return (await ctx.aws.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: ctx.names.db }))).DBInstances?.[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function subnetGroupExists(ctx: StepContext): Promise<boolean> {
  try {
    return !!(await ctx.aws.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: ctx.names.dbSubnetGroup }))).DBSubnetGroups?.length;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

/** 32 characters RDS accepts for either engine (no / @ " or space). */
function throwawayPassword(): string {
  return randomBytes(24).toString("base64").replace(/[+/=]/g, "x").slice(0, 32);
}

export interface DatabaseOutput {
  dbInstanceIdentifier: string | null;
  dbSubnetGroupName: string | null;
}

export const ensureDatabase = defineStep(
  "create the database",
  async (input: StepInput & { privateSubnetIds: string[]; dbSgId: string }, ctx): Promise<DatabaseOutput> => {
    const db = input.spec.database;
    if (!db) return { dbInstanceIdentifier: null, dbSubnetGroupName: null };
    const { aws, names, touch } = ctx;
    if (await subnetGroupExists(ctx)) touch("rds:subnet-group", names.dbSubnetGroup, "found");
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
      return { dbInstanceIdentifier: names.db, dbSubnetGroupName: names.dbSubnetGroup };
    }
    const request: CreateDBInstanceCommandInput = {
      DBInstanceIdentifier: names.db,
      Engine: db.engine,
      DBInstanceClass: db.instanceClass,
      AllocatedStorage: db.storageGb,
      StorageType: "gp3",
      MultiAZ: db.multiAz,
      DBName: "app",
      MasterUsername: MASTER_USERNAME,
      DBSubnetGroupName: names.dbSubnetGroup,
      VpcSecurityGroupIds: [input.dbSgId],
      PubliclyAccessible: false,
      StorageEncrypted: true,
      BackupRetentionPeriod: 7,
      CopyTagsToSnapshot: true,
      Tags: tagsOf(input, undefined, { Name: names.db }),
    };
    let created: DBInstance | undefined;
    try {
      created = (await aws.rds.send(new CreateDBInstanceCommand({ ...request, ManageMasterUserPassword: true }))).DBInstance;
    } catch (err) {
      if (isAlreadyExists(err)) created = await findDatabase(ctx);
      else if (/InvalidParameter/.test(awsErrorCode(err) ?? "") && /MasterUserPassword/.test(String((err as Error).message))) {
        // No RDS-managed passwords here: send a random one once and keep nothing.
        created = (await aws.rds.send(new CreateDBInstanceCommand({ ...request, MasterUserPassword: throwawayPassword() }))).DBInstance;
      } else throw err;
    }
    touch("rds:db", created?.DBInstanceArn ?? names.db, "created");
    return { dbInstanceIdentifier: names.db, dbSubnetGroupName: names.dbSubnetGroup };
  },
);

export interface DatabaseDetail {
  status: string;
  endpoint: string | null;
  multiAz: boolean | null;
}

export const waitDatabaseAvailable = defineRead("wait for the database", async (input: StepInput, ctx): Promise<Poll<DatabaseDetail>> => {
  if (!input.spec.database) return { done: true, detail: { status: "none", endpoint: null, multiAz: null } };
  const db = await findDatabase(ctx);
  const status = db?.DBInstanceStatus ?? "missing";
  if (status === "failed" || status === "incompatible-parameters" || status === "incompatible-network") {
    throw new Error(`Database ${ctx.names.db} is ${status}`);
  }
  const endpoint = db?.Endpoint?.Address ? `${db.Endpoint.Address}:${db.Endpoint.Port}` : null;
  return { done: status === "available", detail: { status, endpoint, multiAz: db?.MultiAZ ?? null } };
});
