/**
 * ModifyDBInstance. Class, storage and Multi-AZ changes are either applied now (status
 * "modifying", then available) or kept in PendingModifiedValues for the maintenance window.
 * Settings that AWS applies without downtime are applied at once either way.
 */
import type { RequestContext } from "../../core/types.ts";
import type { PendingChange } from "./state.ts";
import { invalidDbInstanceState, invalidParameterCombination, invalidParameterValue } from "./errors.ts";
import { requireDbInstance, toDbInstance } from "./instance-view.ts";
import { validateInstanceClass, validateStorage } from "./create-instance.ts";
import { hashPassword, validateMasterPassword } from "./password.ts";
import { manageMasterPassword, planPasswordChange, releaseMasterSecret, rotateMasterPassword } from "./managed-password.ts";
import { enterPhase, modifyingSeconds } from "./lifecycle.ts";
import { recordInstanceEvent } from "./events.ts";
import { SG_ID } from "../elbv2/ec2-lookup.ts";

interface ModifyInput {
  DBInstanceIdentifier?: string;
  ApplyImmediately?: boolean;
  DBInstanceClass?: string;
  AllocatedStorage?: number;
  StorageType?: string;
  MultiAZ?: boolean;
  BackupRetentionPeriod?: number;
  MasterUserPassword?: string;
  ManageMasterUserPassword?: boolean;
  MasterUserSecretKmsKeyId?: string;
  RotateMasterUserPassword?: boolean;
  VpcSecurityGroupIds?: string[];
  DeletionProtection?: boolean;
  PubliclyAccessible?: boolean;
  AutoMinorVersionUpgrade?: boolean;
  PreferredBackupWindow?: string;
  PreferredMaintenanceWindow?: string;
  NewDBInstanceIdentifier?: string;
}

export function modifyDbInstance(input: ModifyInput, ctx: RequestContext) {
  const db = requireDbInstance(ctx, input.DBInstanceIdentifier);
  if (db.status !== "available") throw invalidDbInstanceState("Database instance is not in available state.");
  if (input.NewDBInstanceIdentifier)
    throw invalidParameterValue("Renaming a DB instance (NewDBInstanceIdentifier) is not supported by the local cloud.");

  // Changes that need the instance to be modified (downtime or a storage operation).
  const change: PendingChange = {};
  if (input.DBInstanceClass !== undefined && input.DBInstanceClass !== db.instanceClass) {
    validateInstanceClass(input.DBInstanceClass, db.engine, db.engineVersion, db.licenseModel);
    change.DBInstanceClass = input.DBInstanceClass;
  }
  if (input.AllocatedStorage !== undefined || input.StorageType !== undefined) {
    const storageType = input.StorageType ?? db.storageType;
    const allocated = input.AllocatedStorage ?? db.allocatedStorage;
    validateStorage(db.engine, storageType, allocated);
    if (allocated < db.allocatedStorage) throw invalidParameterValue("Invalid storage size: allocated storage cannot be reduced.");
    if (allocated !== db.allocatedStorage) change.AllocatedStorage = allocated;
    if (storageType !== db.storageType) change.StorageType = storageType;
  }
  if (input.MultiAZ !== undefined && input.MultiAZ !== db.multiAZ) change.MultiAZ = input.MultiAZ;
  if (input.BackupRetentionPeriod !== undefined) {
    const r = input.BackupRetentionPeriod;
    if (!Number.isInteger(r) || r < 0 || r > 35)
      throw invalidParameterValue(`Invalid backup retention period: ${r}. Must be between 0 and 35`);
  }
  for (const sg of input.VpcSecurityGroupIds ?? []) if (!SG_ID.test(sg)) throw invalidParameterValue(`Invalid security group: ${sg}`);
  const passwordChange = planPasswordChange(db, input);
  const password = input.MasterUserPassword !== undefined ? validateMasterPassword(input.MasterUserPassword, db.engine) : undefined;

  const immediateFields = [
    input.BackupRetentionPeriod,
    passwordChange,
    input.VpcSecurityGroupIds,
    input.DeletionProtection,
    input.PubliclyAccessible,
    input.AutoMinorVersionUpgrade,
    input.PreferredBackupWindow,
    input.PreferredMaintenanceWindow,
  ];
  if (Object.keys(change).length === 0 && immediateFields.every((v) => v === undefined)) {
    throw invalidParameterCombination("No modifications were requested");
  }

  // Applied at once, whatever ApplyImmediately says (AWS applies these without an outage).
  if (input.BackupRetentionPeriod !== undefined) db.backupRetentionPeriod = input.BackupRetentionPeriod;
  // Password settings apply at once too (a rotation requires ApplyImmediately, checked above).
  if (passwordChange === "release") releaseMasterSecret(ctx.cloud, db);
  if (password !== undefined) db.masterPasswordHash = hashPassword(password);
  if (passwordChange === "manage") manageMasterPassword(ctx.cloud, db, input.MasterUserSecretKmsKeyId);
  if (passwordChange === "rotate") rotateMasterPassword(ctx, db);
  if (input.VpcSecurityGroupIds !== undefined) db.vpcSecurityGroupIds = input.VpcSecurityGroupIds;
  if (input.DeletionProtection !== undefined) db.deletionProtection = input.DeletionProtection;
  if (input.PubliclyAccessible !== undefined) db.publiclyAccessible = input.PubliclyAccessible;
  if (input.AutoMinorVersionUpgrade !== undefined) db.autoMinorVersionUpgrade = input.AutoMinorVersionUpgrade;
  if (input.PreferredBackupWindow !== undefined) db.preferredBackupWindow = input.PreferredBackupWindow;
  if (input.PreferredMaintenanceWindow !== undefined) db.preferredMaintenanceWindow = input.PreferredMaintenanceWindow;

  if (input.ApplyImmediately) {
    // ApplyImmediately also applies whatever was waiting for the maintenance window.
    const applying = { ...db.pending, ...change };
    db.pending = {};
    if (Object.keys(applying).length > 0) {
      db.applying = applying;
      if (applying.DBInstanceClass !== undefined) recordInstanceEvent(ctx.cloud, db, "classChangeStarted");
      if (applying.AllocatedStorage !== undefined || applying.StorageType !== undefined)
        recordInstanceEvent(ctx.cloud, db, "storageChangeStarted");
      if (applying.MultiAZ === true) recordInstanceEvent(ctx.cloud, db, "multiAzActivationStarted");
      enterPhase(ctx.cloud, db, "modifying", "modifying", modifyingSeconds(applying));
    }
  } else {
    db.pending = { ...db.pending, ...change };
  }
  ctx.cloud.markDirty();
  return { DBInstance: toDbInstance(db, ctx) };
}
