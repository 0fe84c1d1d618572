/** CreateDBInstance: validation as AWS does it, then the "creating" lifecycle starts. */
import { randomUUID } from "node:crypto";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { dbArn, endpointHostPart, key, newDbiResourceId, rdsState, wake, type DbInstanceRecord, type Tag } from "./state.ts";
import { invalidParameterCombination, invalidParameterValue, rdsTagRules } from "./errors.ts";
import { ENGINES, INSTANCE_CLASSES, majorOf, resolveEngineVersion, STORAGE_LIMITS } from "./catalog.ts";
import { hashPassword, validateMasterPassword } from "./password.ts";
import { checkCreateCombination, manageMasterPassword } from "./managed-password.ts";
import { requireSubnetGroup } from "./subnet-groups.ts";
import { checkTags } from "../../core/tags.ts";
import { toDbInstance } from "./instance-view.ts";
import { creatingSeconds } from "./lifecycle.ts";
import { securityGroupVpc, SG_ID } from "../elbv2/ec2-lookup.ts";

export interface CreateDbInstanceInput {
  DBInstanceIdentifier?: string;
  DBInstanceClass?: string;
  Engine?: string;
  EngineVersion?: string;
  AllocatedStorage?: number;
  StorageType?: string;
  MasterUsername?: string;
  MasterUserPassword?: string;
  ManageMasterUserPassword?: boolean;
  MasterUserSecretKmsKeyId?: string;
  DBName?: string;
  Port?: number;
  MultiAZ?: boolean;
  AvailabilityZone?: string;
  DBSubnetGroupName?: string;
  VpcSecurityGroupIds?: string[];
  BackupRetentionPeriod?: number;
  PreferredBackupWindow?: string;
  PreferredMaintenanceWindow?: string;
  StorageEncrypted?: boolean;
  KmsKeyId?: string;
  PubliclyAccessible?: boolean;
  DeletionProtection?: boolean;
  AutoMinorVersionUpgrade?: boolean;
  Tags?: Tag[];
}

const IDENTIFIER = /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{0,62}$/;

export function validateIdentifier(id: string | undefined): string {
  if (!id || !IDENTIFIER.test(id) || id.endsWith("-")) {
    throw invalidParameterValue(
      "The parameter DBInstanceIdentifier is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.",
    );
  }
  return id.toLowerCase();
}

export function validateInstanceClass(instanceClass: string | undefined, engine: string, version: string, licenseModel: string) {
  if (!instanceClass || !INSTANCE_CLASSES[instanceClass]) {
    throw invalidParameterCombination(
      `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${instanceClass}, Engine=${engine}, EngineVersion=${version}, LicenseModel=${licenseModel}. For supported combinations of instance class and database engine version, see the documentation.`,
    );
  }
}

export function validateStorage(engine: string, storageType: string, allocated: number | undefined) {
  const limits = STORAGE_LIMITS[storageType];
  if (!limits) throw invalidParameterValue(`Invalid storage type: ${storageType}`);
  if (allocated === undefined || !Number.isInteger(allocated) || allocated < limits.min || allocated > limits.max) {
    throw invalidParameterValue(`Invalid storage size for engine name ${engine} and storage type ${storageType}: ${allocated ?? 0}`);
  }
}

function validateUsername(engine: string, username: string | undefined): string {
  const spec = ENGINES[engine];
  if (!username) throw invalidParameterValue("The parameter MasterUsername must be provided and must not be blank.");
  if (!/^[a-zA-Z][a-zA-Z0-9_]*$/.test(username) || username.length > spec.maxUsernameLength) {
    throw invalidParameterValue(
      `MasterUsername ${username} must begin with a letter, contain only letters, digits and underscores, and be at most ${spec.maxUsernameLength} characters.`,
    );
  }
  if (spec.reservedUsernames.includes(username.toLowerCase())) {
    throw invalidParameterValue(`MasterUsername ${username} cannot be used as it is a reserved word used by the engine`);
  }
  return username;
}

export function createDbInstance(input: CreateDbInstanceInput, ctx: RequestContext) {
  const s = rdsState(ctx.cloud);
  const id = validateIdentifier(input.DBInstanceIdentifier);
  const engine = input.Engine ?? "";
  const spec = ENGINES[engine];
  if (!spec) throw invalidParameterValue(`Invalid DB engine: ${engine}`);
  const version = resolveEngineVersion(engine, input.EngineVersion);
  if (!version) throw invalidParameterCombination(`Cannot find version ${input.EngineVersion} for ${engine}`);
  validateInstanceClass(input.DBInstanceClass, engine, version, spec.licenseModel);
  const storageType = input.StorageType ?? "gp2";
  validateStorage(engine, storageType, input.AllocatedStorage);
  const username = validateUsername(engine, input.MasterUsername);
  const managedPassword = checkCreateCombination(input);
  const password = managedPassword ? undefined : validateMasterPassword(input.MasterUserPassword, engine);
  const retention = input.BackupRetentionPeriod ?? 1;
  if (!Number.isInteger(retention) || retention < 0 || retention > 35)
    throw invalidParameterValue(`Invalid backup retention period: ${retention}. Must be between 0 and 35`);
  const multiAZ = input.MultiAZ ?? false;
  if (multiAZ && input.AvailabilityZone)
    throw invalidParameterCombination("Requesting a specific availability zone is not valid for Multi-AZ instances.");
  for (const sg of input.VpcSecurityGroupIds ?? []) if (!SG_ID.test(sg)) throw invalidParameterValue(`Invalid security group: ${sg}`);
  if (input.Port !== undefined && (!Number.isInteger(input.Port) || input.Port < 1150 || input.Port > 65535))
    throw invalidParameterValue(`Invalid port ${input.Port}. Must be between 1150 and 65535`);
  const tags = checkTags(input.Tags, rdsTagRules);
  if (s.instances[key(ctx.region, id)]) throw new AwsError("DBInstanceAlreadyExists", "DB instance already exists", 400);

  // Place the primary (and the standby) in AZs of the subnet group.
  const group = input.DBSubnetGroupName ? requireSubnetGroup(ctx, input.DBSubnetGroupName) : undefined;
  const zones = group ? [...new Set(group.subnets.map((sn) => sn.availabilityZone))] : ["a", "b", "c"].map((l) => `${ctx.region}${l}`);
  if (input.AvailabilityZone && !zones.includes(input.AvailabilityZone)) {
    throw new AwsError(
      "InvalidVPCNetworkStateFault",
      `No subnet in the DB subnet group covers Availability Zone ${input.AvailabilityZone}.`,
      400,
    );
  }
  for (const sg of input.VpcSecurityGroupIds ?? []) {
    const sgVpc = securityGroupVpc(ctx.cloud, ctx.region, sg);
    if (sgVpc === null) throw invalidParameterValue(`Invalid security group , groupId= ${sg}, groupName=.`);
    if (sgVpc && group && sgVpc !== group.vpcId)
      throw invalidParameterCombination("The DB instance and EC2 security group are in different VPCs.");
  }
  const primary = input.AvailabilityZone ?? zones[Math.floor(Math.random() * zones.length)];
  const standbyChoices = zones.filter((z) => z !== primary);
  const secondary = multiAZ ? standbyChoices[Math.floor(Math.random() * standbyChoices.length)] : undefined;

  const now = ctx.cloud.now();
  const major = majorOf(engine, version);
  const db: DbInstanceRecord = {
    id,
    region: ctx.region,
    arn: dbArn(ctx.region, ctx.accountId, id),
    dbiResourceId: newDbiResourceId(),
    engine,
    engineVersion: version,
    licenseModel: spec.licenseModel,
    instanceClass: input.DBInstanceClass!,
    allocatedStorage: input.AllocatedStorage!,
    storageType,
    masterUsername: username,
    masterPasswordHash: password !== undefined ? hashPassword(password) : "",
    dbName: input.DBName,
    port: input.Port ?? spec.port,
    multiAZ,
    availabilityZone: primary,
    secondaryAvailabilityZone: secondary,
    subnetGroupName: group?.name,
    vpcSecurityGroupIds: input.VpcSecurityGroupIds ?? [],
    backupRetentionPeriod: retention,
    preferredBackupWindow: input.PreferredBackupWindow ?? "03:27-03:57",
    preferredMaintenanceWindow: input.PreferredMaintenanceWindow ?? "sun:05:11-sun:05:41",
    storageEncrypted: input.StorageEncrypted ?? false,
    kmsKeyId: input.StorageEncrypted ? (input.KmsKeyId ?? `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${randomUUID()}`) : undefined,
    publiclyAccessible: input.PubliclyAccessible ?? false,
    deletionProtection: input.DeletionProtection ?? false,
    autoMinorVersionUpgrade: input.AutoMinorVersionUpgrade ?? true,
    parameterGroupName: spec.parameterGroupFamily(major),
    optionGroupName: spec.optionGroup(major),
    tags,
    status: "creating",
    phase: "creating",
    statusEndsAt: now + creatingSeconds(multiAZ) * 1000,
    pending: {},
    createdAt: now,
    endpointAddress: `${id}.${endpointHostPart(ctx.accountId, ctx.region)}.${ctx.region}.rds.amazonaws.com`,
    sim: { connections: 0, failovers: [] },
  };
  if (managedPassword) manageMasterPassword(ctx.cloud, db, input.MasterUserSecretKmsKeyId);
  s.instances[key(ctx.region, id)] = db;
  ctx.cloud.markDirty();
  wake(ctx.cloud);
  return { DBInstance: toDbInstance(db, ctx) };
}
