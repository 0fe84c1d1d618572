/** Secrets scheduled for deletion are removed for good when their recovery window ends. */
import type { CloudApi } from "../../core/types.ts";
import { smState } from "./state.ts";

/** Earliest deletion due, per cloud (not persisted: recomputed after a restart or a wake). */
const nextDue = new WeakMap<CloudApi, number>();

export function wakeSecrets(cloud: CloudApi): void {
  nextDue.set(cloud, 0);
}

export function tickSecrets(cloud: CloudApi, now: number): void {
  if (now < (nextDue.get(cloud) ?? 0)) return;
  const secrets = smState(cloud).secrets;
  let next = Infinity;
  for (const [arn, s] of Object.entries(secrets)) {
    if (s.deletionAt === undefined) continue;
    if (s.deletionAt <= now) {
      delete secrets[arn];
      cloud.markDirty();
    } else next = Math.min(next, s.deletionAt);
  }
  nextDue.set(cloud, next);
}
