/** The clock's side of CloudFront: deployments and invalidations finishing. */
import type { CloudApi } from "../../core/types.ts";
import { cfState } from "./state.ts";

export function tick(cloud: CloudApi, now: number): void {
  const state = cfState(cloud);
  if (state.nextDueAt === null || now < state.nextDueAt) return;
  let next: number | null = null;
  const later = (at: number) => {
    if (next === null || at < next) next = at;
  };
  for (const d of Object.values(state.distributions)) {
    if (d.status !== "InProgress" || d.deployAt === undefined) continue;
    if (d.deployAt <= now) {
      d.status = "Deployed";
      delete d.deployAt;
    } else later(d.deployAt);
  }
  for (const list of Object.values(state.invalidations)) {
    for (const inv of list) {
      if (inv.status !== "InProgress" || inv.completeAt === undefined) continue;
      if (inv.completeAt <= now) {
        inv.status = "Completed";
        delete inv.completeAt;
      } else later(inv.completeAt);
    }
  }
  state.nextDueAt = next;
  cloud.markDirty();
}
