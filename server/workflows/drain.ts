import { sleep } from "workflow";
import type { DrainDetail, Slot, StepInput } from "../provisioning/index.ts";
import { check } from "./steps.ts";

/**
 * Clean draining: waits (durably) until the listener change made at `since` (the service's
 * clock) has been in force longer than the slot's target group deregistration delay, so the
 * fleet behind it can be scaled down without failing a request still on its way. The wait is
 * bounded by the delay itself (at most 3600 s on AWS): each round sleeps what is left, 0.5-5 s.
 */
export async function waitDrained(input: StepInput & { slot: Slot; since: string }): Promise<DrainDetail> {
  for (;;) {
    const out = await check("drainStatus", input);
    if (out.done) return out.detail;
    await sleep(Math.min(5_000, Math.max(500, out.detail.remainingMs)));
  }
}
