/**
 * rollbackReadiness: how ready the previous (warm) fleet is to take all of today's traffic back.
 *
 *   warm      its instances in service, healthy targets, on the launch template version the
 *             group runs (fleet.ts's health read), and the minimum it is held at (hold-fleet.ts)
 *   needed    the instances today's traffic needs: the live fleet's desired capacity (its target
 *             tracking sized it for this traffic), and with a requests-per-target policy at least
 *             requests-per-minute / target
 *   rate      the live fleet's requests per second over the last complete minutes with data
 *   cost      what the warm instances cost per hour (server/costs/prices.ts)
 *
 * A rollback onto a warm fleet that is big enough is one listener change (~1 s). One that is
 * too small is scaled up first (the rollback says so on its timeline); an empty one is refilled.
 */
import { EC2_HOURLY } from "../costs/prices.ts";
import { defineRead, type Slot, type StepInput } from "./context.ts";
import { findFleet, fleetHealth } from "./fleet.ts";
import { HELD_MIN_TAG } from "./hold-fleet.ts";
import { fleetMetrics, type FleetMetricsInput } from "./metrics.ts";

export interface RollbackReadiness {
  warmSlot: Slot;
  liveSlot: Slot;
  /** Healthy in-service instances of the warm fleet on its version. */
  warmInstances: number;
  warmDesired: number;
  /** The minimum the warm fleet is held at, or null when it is not held. */
  heldAt: number | null;
  needed: number;
  requestsPerSecond: number | null;
  /** "instant": one listener change; "scale-up": the warm fleet is scaled up first; "refill": it is empty. */
  mode: "instant" | "scale-up" | "refill";
  enough: boolean;
  instanceType: string | null;
  costPerHour: number | null;
  summary: string;
}

/** Pure: the verdict from what was read. Exported for unit tests. */
export function judgeReadiness(r: {
  warmInstances: number;
  liveDesired: number;
  requestsPerSecond: number | null;
  scaling: { metric: string; target: number } | null;
}): { needed: number; enough: boolean; mode: RollbackReadiness["mode"]; summary: string } {
  const byRequests =
    r.scaling?.metric === "requests_per_target" && r.requestsPerSecond !== null && r.scaling.target > 0
      ? Math.ceil((r.requestsPerSecond * 60) / r.scaling.target)
      : 0;
  const needed = Math.max(1, r.liveDesired, byRequests);
  const enough = r.warmInstances >= needed;
  const rate = r.requestsPerSecond === null ? "today's traffic" : `${Math.round(r.requestsPerSecond * 10) / 10} req/s`;
  const warm = `${r.warmInstances} warm instance${r.warmInstances === 1 ? "" : "s"}`;
  if (r.warmInstances === 0)
    return {
      needed,
      enough,
      mode: "refill",
      summary: `rollback refills the previous fleet first (${needed} for ${rate}): minutes, not seconds`,
    };
  if (enough) return { needed, enough, mode: "instant", summary: `rollback in ~1 s: ${warm} for ${rate} (enough)` };
  return {
    needed,
    enough,
    mode: "scale-up",
    summary: `rollback scales up first: ${warm} for ${rate} (${needed} needed), then shifts`,
  };
}

export const rollbackReadiness = defineRead(
  "read the rollback readiness",
  async (input: StepInput & { warmSlot: Slot; stack: FleetMetricsInput["stack"] }): Promise<RollbackReadiness> => {
    const liveSlot: Slot = input.warmSlot === "blue" ? "green" : "blue";
    const [warm, live, metrics] = await Promise.all([
      fleetHealth({ ...input, slot: input.warmSlot }),
      fleetHealth({ ...input, slot: liveSlot }),
      fleetMetrics({ ...input, slots: [liveSlot] }).catch(() => null),
    ]);
    // The newest minutes are partial or not yet published: the rate is the mean of the last
    // three minutes that have a datapoint.
    const minutes = (metrics?.slots[liveSlot] ?? []).filter((m) => m.requests > 0).slice(-3);
    const requestsPerSecond = minutes.length ? minutes.reduce((n, m) => n + m.requests, 0) / minutes.length / 60 : null;
    const verdict = judgeReadiness({
      warmInstances: warm.otherVersions.length ? 0 : warm.onVersionHealthy,
      liveDesired: live.desired,
      requestsPerSecond,
      scaling: input.spec.scaling,
    });
    const instanceType = input.spec.instanceType ?? null;
    const hourly = instanceType ? EC2_HOURLY[instanceType] : undefined;
    return {
      warmSlot: input.warmSlot,
      liveSlot,
      warmInstances: warm.otherVersions.length ? 0 : warm.onVersionHealthy,
      warmDesired: warm.desired,
      heldAt: (await heldAtOf({ ...input, slot: input.warmSlot })).heldAt,
      ...verdict,
      requestsPerSecond: requestsPerSecond === null ? null : Math.round(requestsPerSecond * 10) / 10,
      instanceType,
      costPerHour: hourly === undefined ? null : Math.round(hourly * warm.desired * 10_000) / 10_000,
    };
  },
);

const heldAtOf = defineRead("read the fleet's hold", async (input: StepInput & { slot: Slot }, ctx) => {
  const group = await findFleet(ctx, input.slot);
  return { heldAt: group?.Tags?.some((t) => t.Key === HELD_MIN_TAG) ? (group.MinSize ?? null) : null };
});
