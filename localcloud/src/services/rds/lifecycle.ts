/**
 * DB instance lifecycles (simulated seconds, close to what AWS takes):
 *   creating (6 min, Multi-AZ 8) -> backing-up (1 min, skipped when BackupRetentionPeriod=0) -> available
 *   modifying (class 4 min, storage 2, Multi-AZ conversion 5) -> available, changes applied at the end
 *   rebooting (1 min); with ForceFailover (1.5 min) the primary and standby AZs swap at the end
 *   deleting (2 min, +1 with a final snapshot) -> gone
 */
import type { CloudApi } from "../../core/types.ts";
import { dueAt, key, rdsState, setDueAt, type DbInstanceRecord, type PendingChange } from "./state.ts";
import { recordInstanceEvent } from "./events.ts";
import { releaseMasterSecret } from "./managed-password.ts";

export const creatingSeconds = (multiAZ: boolean) => (multiAZ ? 480 : 360);
export const BACKUP_SECONDS = 60;
export const REBOOT_SECONDS = 60;
export const FAILOVER_SECONDS = 90;
export const DELETING_SECONDS = 120;
export const FINAL_SNAPSHOT_SECONDS = 60;

export function modifyingSeconds(change: PendingChange): number {
  let seconds = 30;
  if (change.DBInstanceClass !== undefined) seconds = Math.max(seconds, 240);
  if (change.AllocatedStorage !== undefined || change.StorageType !== undefined) seconds = Math.max(seconds, 120);
  if (change.MultiAZ !== undefined) seconds = Math.max(seconds, 300);
  return seconds;
}

/** Enter a timed status. */
export function enterPhase(
  cloud: CloudApi,
  db: DbInstanceRecord,
  phase: NonNullable<DbInstanceRecord["phase"]>,
  status: string,
  seconds: number,
  from = cloud.now(),
) {
  db.phase = phase;
  db.status = status;
  db.statusEndsAt = from + seconds * 1000;
  setDueAt(cloud, 0);
}

function becomeAvailable(db: DbInstanceRecord, at: number) {
  db.status = "available";
  db.phase = undefined;
  db.statusEndsAt = undefined;
  db.sim.availableSince = at;
}

/** Apply a modification that finished (the end of "modifying"). */
function applyChange(cloud: CloudApi, db: DbInstanceRecord, change: PendingChange, at: number) {
  if (change.DBInstanceClass !== undefined) {
    db.instanceClass = change.DBInstanceClass;
    recordInstanceEvent(cloud, db, "classChangeFinished", at);
  }
  if (change.AllocatedStorage !== undefined || change.StorageType !== undefined) {
    if (change.AllocatedStorage !== undefined) db.allocatedStorage = change.AllocatedStorage;
    if (change.StorageType !== undefined) db.storageType = change.StorageType;
    recordInstanceEvent(cloud, db, "storageChangeFinished", at);
  }
  if (change.BackupRetentionPeriod !== undefined) db.backupRetentionPeriod = change.BackupRetentionPeriod;
  if (change.MultiAZ !== undefined && change.MultiAZ !== db.multiAZ) {
    db.multiAZ = change.MultiAZ;
    if (db.multiAZ) {
      const group = db.subnetGroupName ? rdsState(cloud).subnetGroups[key(db.region, db.subnetGroupName)] : undefined;
      const zones = group ? [...new Set(group.subnets.map((s) => s.availabilityZone))] : ["a", "b", "c"].map((l) => `${db.region}${l}`);
      db.secondaryAvailabilityZone = zones.find((z) => z !== db.availabilityZone);
      recordInstanceEvent(cloud, db, "multiAzActivationCompleted", at);
    } else db.secondaryAvailabilityZone = undefined;
  }
}

/** What happens when a timed status ends. Returns false when the instance is gone. */
function finishPhase(cloud: CloudApi, db: DbInstanceRecord): boolean {
  const at = db.statusEndsAt!;
  switch (db.phase) {
    case "creating":
      db.instanceCreateTime = at;
      recordInstanceEvent(cloud, db, "created", at);
      if (db.backupRetentionPeriod > 0) {
        recordInstanceEvent(cloud, db, "backupStarted", at);
        enterPhase(cloud, db, "backing-up", "backing-up", BACKUP_SECONDS, at);
      } else becomeAvailable(db, at);
      return true;
    case "backing-up":
      db.latestRestorableTime = at;
      recordInstanceEvent(cloud, db, "backupFinished", at);
      becomeAvailable(db, at);
      return true;
    case "modifying":
      applyChange(cloud, db, db.applying ?? {}, at);
      db.applying = undefined;
      becomeAvailable(db, at);
      return true;
    case "rebooting":
      recordInstanceEvent(cloud, db, "restarted", at);
      becomeAvailable(db, at);
      return true;
    case "failover": {
      const open = db.sim.failovers[db.sim.failovers.length - 1];
      if (open && open.completedAt === undefined) open.completedAt = at;
      [db.availabilityZone, db.secondaryAvailabilityZone] = [db.secondaryAvailabilityZone ?? db.availabilityZone, db.availabilityZone];
      recordInstanceEvent(cloud, db, "restarted", at);
      recordInstanceEvent(cloud, db, "failoverCompleted", at);
      becomeAvailable(db, at);
      return true;
    }
    case "deleting":
      recordInstanceEvent(cloud, db, "deleted", at);
      // RDS deletes the master user secret it owns together with the instance.
      releaseMasterSecret(cloud, db);
      delete rdsState(cloud).instances[key(db.region, db.id)];
      return false;
    default:
      db.statusEndsAt = undefined;
      return true;
  }
}

/** Advance every instance whose timed status has ended. Cheap when nothing is due. */
export function tickRds(cloud: CloudApi, now: number) {
  if (now < dueAt(cloud)) return;
  const s = rdsState(cloud);
  let next = Infinity;
  let dirty = false;
  for (const db of Object.values(s.instances)) {
    // A clock jump may cover several phases (creating, then backing-up): run them in order.
    while (db.statusEndsAt !== undefined && now >= db.statusEndsAt) {
      dirty = true;
      if (!finishPhase(cloud, db)) break;
    }
    if (db.statusEndsAt !== undefined && s.instances[key(db.region, db.id)]) next = Math.min(next, db.statusEndsAt);
  }
  setDueAt(cloud, next);
  if (dirty) cloud.markDirty();
}
