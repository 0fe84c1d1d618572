/** RebootDBInstance, with ForceFailover for Multi-AZ instances (the standby becomes the primary). */
import type { RequestContext } from "../../core/types.ts";
import { invalidDbInstanceState, invalidParameterCombination } from "./errors.ts";
import { requireDbInstance, toDbInstance } from "./instance-view.ts";
import { enterPhase, FAILOVER_SECONDS, REBOOT_SECONDS } from "./lifecycle.ts";
import { recordInstanceEvent } from "./events.ts";

export function rebootDbInstance(input: { DBInstanceIdentifier?: string; ForceFailover?: boolean }, ctx: RequestContext) {
  const db = requireDbInstance(ctx, input.DBInstanceIdentifier);
  if (db.status !== "available") throw invalidDbInstanceState(`DB instance ${db.id} is not in available state.`);
  const now = ctx.cloud.now();
  db.sim.lastRebootAt = now;
  if (input.ForceFailover) {
    if (!db.multiAZ || !db.secondaryAvailabilityZone) {
      throw invalidParameterCombination(
        "Cannot reboot a DB instance with force failover because the instance is not configured for Multi-AZ.",
      );
    }
    db.sim.failovers.push({ startedAt: now, fromAz: db.availabilityZone, toAz: db.secondaryAvailabilityZone });
    recordInstanceEvent(ctx.cloud, db, "failoverStarted");
    enterPhase(ctx.cloud, db, "failover", "rebooting", FAILOVER_SECONDS);
  } else {
    recordInstanceEvent(ctx.cloud, db, "shutdown");
    enterPhase(ctx.cloud, db, "rebooting", "rebooting", REBOOT_SECONDS);
  }
  ctx.cloud.markDirty();
  return { DBInstance: toDbInstance(db, ctx) };
}
