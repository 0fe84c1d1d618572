/** The DBInstance shape AWS returns, built from a record. */
import type { RequestContext } from "../../core/types.ts";
import { key, rdsHostedZoneId, rdsState, type DbInstanceRecord, type PendingChange } from "./state.ts";
import { dbInstanceNotFound } from "./errors.ts";
import { toDbSubnetGroup } from "./subnet-groups.ts";
import { masterUserSecretView } from "./managed-password.ts";

/** Statuses in which AWS shows an endpoint (it exists from the end of "creating"). */
const NO_ENDPOINT = new Set(["creating"]);

function pendingView(db: DbInstanceRecord): PendingChange {
  // While a change is being applied (modifying), AWS still lists it as pending.
  return { ...db.pending, ...(db.applying ?? {}) };
}

export function toDbInstance(db: DbInstanceRecord, ctx: RequestContext) {
  // AWS places the instance during "creating": no AZ is shown before that.
  const placed = db.instanceCreateTime !== undefined;
  const group = db.subnetGroupName ? rdsState(ctx.cloud).subnetGroups[key(db.region, db.subnetGroupName)] : undefined;
  return {
    DBInstanceIdentifier: db.id,
    DBInstanceClass: db.instanceClass,
    Engine: db.engine,
    DBInstanceStatus: db.status,
    MasterUsername: db.masterUsername,
    DBName: db.dbName,
    Endpoint:
      NO_ENDPOINT.has(db.status) || !db.endpointAddress
        ? undefined
        : { Address: db.endpointAddress, Port: db.port, HostedZoneId: rdsHostedZoneId(db.region) },
    AllocatedStorage: db.allocatedStorage,
    InstanceCreateTime: db.instanceCreateTime !== undefined ? new Date(db.instanceCreateTime) : undefined,
    PreferredBackupWindow: db.preferredBackupWindow,
    BackupRetentionPeriod: db.backupRetentionPeriod,
    DBSecurityGroups: [],
    VpcSecurityGroups: db.vpcSecurityGroupIds.map((id) => ({ VpcSecurityGroupId: id, Status: "active" })),
    DBParameterGroups: [{ DBParameterGroupName: db.parameterGroupName, ParameterApplyStatus: "in-sync" }],
    AvailabilityZone: placed ? db.availabilityZone : undefined,
    DBSubnetGroup: group ? toDbSubnetGroup(group) : undefined,
    PreferredMaintenanceWindow: db.preferredMaintenanceWindow,
    PendingModifiedValues: pendingView(db),
    LatestRestorableTime: db.latestRestorableTime !== undefined ? new Date(db.latestRestorableTime) : undefined,
    MultiAZ: db.multiAZ,
    EngineVersion: db.engineVersion,
    AutoMinorVersionUpgrade: db.autoMinorVersionUpgrade,
    ReadReplicaDBInstanceIdentifiers: [],
    LicenseModel: db.licenseModel,
    OptionGroupMemberships: [{ OptionGroupName: db.optionGroupName, Status: "in-sync" }],
    SecondaryAvailabilityZone: placed && db.multiAZ ? db.secondaryAvailabilityZone : undefined,
    PubliclyAccessible: db.publiclyAccessible,
    StorageType: db.storageType,
    DbInstancePort: 0,
    StorageEncrypted: db.storageEncrypted,
    KmsKeyId: db.kmsKeyId,
    DbiResourceId: db.dbiResourceId,
    CACertificateIdentifier: "rds-ca-rsa2048-g1",
    DomainMemberships: [],
    CopyTagsToSnapshot: false,
    MonitoringInterval: 0,
    DBInstanceArn: db.arn,
    IAMDatabaseAuthenticationEnabled: false,
    PerformanceInsightsEnabled: false,
    DeletionProtection: db.deletionProtection,
    AssociatedRoles: [],
    TagList: db.tags,
    CustomerOwnedIpEnabled: false,
    BackupTarget: "region",
    NetworkType: "IPV4",
    StorageThroughput: db.storageType === "gp3" ? 125 : undefined,
    MasterUserSecret: masterUserSecretView(db),
  };
}

/** A DB instance of the caller's region, or DBInstanceNotFound. */
export function requireDbInstance(ctx: RequestContext, id: string | undefined): DbInstanceRecord {
  const db = id ? rdsState(ctx.cloud).instances[key(ctx.region, id)] : undefined;
  if (!db) throw dbInstanceNotFound(id ?? "");
  return db;
}
