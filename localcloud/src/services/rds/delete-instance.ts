/** DeleteDBInstance: a final snapshot or SkipFinalSnapshot is required; deleting -> gone. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { rdsState } from "./state.ts";
import { invalidDbInstanceState, invalidParameterCombination, invalidParameterValue } from "./errors.ts";
import { requireDbInstance, toDbInstance } from "./instance-view.ts";
import { DELETING_SECONDS, enterPhase, FINAL_SNAPSHOT_SECONDS } from "./lifecycle.ts";
import { recordInstanceEvent } from "./events.ts";

export function deleteDbInstance(
  input: { DBInstanceIdentifier?: string; SkipFinalSnapshot?: boolean; FinalDBSnapshotIdentifier?: string },
  ctx: RequestContext,
) {
  const db = requireDbInstance(ctx, input.DBInstanceIdentifier);
  if (db.status === "deleting") throw invalidDbInstanceState(`Instance ${db.id} is already being deleted.`);
  if (db.deletionProtection)
    throw invalidParameterCombination("Cannot delete protected DB Instance, please disable deletion protection and try again.");
  const skip = input.SkipFinalSnapshot ?? false;
  if (skip && input.FinalDBSnapshotIdentifier)
    throw invalidParameterCombination("Cannot specify FinalDBSnapshotIdentifier when SkipFinalSnapshot is true");
  if (!skip && !input.FinalDBSnapshotIdentifier)
    throw invalidParameterCombination("FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
  if (input.FinalDBSnapshotIdentifier) {
    const snap = input.FinalDBSnapshotIdentifier.toLowerCase();
    if (!/^[a-z](?!.*--)[a-z0-9-]{0,254}$/.test(snap) || snap.endsWith("-")) {
      throw invalidParameterValue("The parameter FinalDBSnapshotIdentifier is not a valid identifier.");
    }
    const taken = Object.values(rdsState(ctx.cloud).instances).some(
      (other) => other.region === db.region && other.finalSnapshotId === snap,
    );
    if (taken)
      throw new AwsError(
        "DBSnapshotAlreadyExists",
        `Cannot create the snapshot because a snapshot with the identifier ${snap} already exists.`,
        400,
      );
    db.finalSnapshotId = snap;
    recordInstanceEvent(ctx.cloud, db, "finalSnapshot");
  }
  db.applying = undefined;
  enterPhase(ctx.cloud, db, "deleting", "deleting", DELETING_SECONDS + (input.FinalDBSnapshotIdentifier ? FINAL_SNAPSHOT_SECONDS : 0));
  ctx.cloud.markDirty();
  return { DBInstance: toDbInstance(db, ctx) };
}
