/**
 * Keeping the previous fleet warm, and draining before a fleet goes.
 *
 *   holdFleetCapacity(slot)   before the first shift of a rollout: the live (soon old) fleet's
 *                             MinSize is raised to its desired capacity at that moment, and the
 *                             minimum it had is recorded in a group tag (switchyard:held-min).
 *   releaseFleetHold(slot)    after the window, on the next rollout, or when the fleet is live
 *                             again (a rollback): MinSize back to the recorded value, tag removed.
 *   drainStatus(slot, since)  has the listener change made at `since` been in force longer than
 *                             the target group's deregistration delay? Only then may the fleet
 *                             behind it be scaled down.
 *
 * Why MinSize, not SuspendProcesses: at 0% of the traffic the fleet's target-tracking policy
 * scales it in to its minimum. Suspending AlarmNotification would stop scale-out as well (a
 * rollback sends it the whole traffic again), and suspending Terminate also stops Auto Scaling
 * from replacing unhealthy instances (ReplaceUnhealthy terminates first), so a warm fleet could
 * quietly rot. A raised minimum stops exactly the scale-in below the capacity it had, keeps
 * scale-out and health replacement working, and is visible in DescribeAutoScalingGroups and
 * the GroupMinSize metric. The tag keeps the original minimum in AWS itself, so a retried or
 * resumed step restores the right value, never the held one.
 */
import {
  CreateOrUpdateGroupTagsCommand,
  DeleteGroupTagsCommand,
  DescribeTargetGroupAttributesCommand,
  UpdateAutoScalingGroupCommand,
} from "../aws/sdk.ts";
import { freshServerNow } from "../aws/clients.ts";
import { defineRead, defineStep, type Poll, type Slot, type StepContext, type StepInput } from "./context.ts";
import { findFleet } from "./fleet.ts";
import { findTargetGroup } from "./load-balancer.ts";

export const HELD_MIN_TAG = "switchyard:held-min";

export interface FleetHold {
  slot: Slot;
  /** The minimum the fleet is held at (its capacity when the shift began), or null when not held. */
  heldAt: number | null;
  /** The minimum it had before, restored on release. */
  originalMin: number;
  desired: number;
  summary: string;
}

function groupName(ctx: StepContext, slot: Slot) {
  return ctx.names.asg(slot);
}

async function requireFleet(ctx: StepContext, slot: Slot) {
  const group = await findFleet(ctx, slot);
  if (!group) throw new Error(`Auto Scaling group ${groupName(ctx, slot)} does not exist: provision the environment first`);
  return group;
}

export const holdFleetCapacity = defineStep(
  "hold the previous fleet's capacity",
  async (input: StepInput & { slot: Slot }, ctx): Promise<FleetHold> => {
    const name = groupName(ctx, input.slot);
    const group = await requireFleet(ctx, input.slot);
    const min = group.MinSize ?? 0;
    const desired = group.DesiredCapacity ?? 0;
    const tag = group.Tags?.find((t) => t.Key === HELD_MIN_TAG);
    const arn = group.AutoScalingGroupARN ?? name;
    if (tag) {
      // Already held (a retried step, or a resumed run): keep what was recorded first.
      ctx.touch("autoscaling:group", arn, "found");
      const originalMin = Number(tag.Value);
      return { slot: input.slot, heldAt: min, originalMin, desired, summary: `${name} held at ${min} (minimum ${originalMin} before)` };
    }
    // Record the original first: a retry after the raise must still know what to restore.
    await ctx.aws.autoscaling.send(
      new CreateOrUpdateGroupTagsCommand({
        Tags: [{ ResourceId: name, ResourceType: "auto-scaling-group", Key: HELD_MIN_TAG, Value: String(min), PropagateAtLaunch: false }],
      }),
    );
    if (desired > min) await ctx.aws.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: desired }));
    ctx.touch("autoscaling:group", arn, "updated");
    return {
      slot: input.slot,
      heldAt: Math.max(desired, min),
      originalMin: min,
      desired,
      summary: `${name} held at ${Math.max(desired, min)} instance(s) (its capacity when the shift began; minimum ${min} restored afterwards)`,
    };
  },
);

export const releaseFleetHold = defineStep(
  "restore the fleet's minimum",
  async (input: StepInput & { slot: Slot }, ctx): Promise<{ released: boolean; min: number | null; summary: string }> => {
    const name = groupName(ctx, input.slot);
    const group = await findFleet(ctx, input.slot);
    const tag = group?.Tags?.find((t) => t.Key === HELD_MIN_TAG);
    if (!group || !tag) return { released: false, min: group?.MinSize ?? null, summary: `${name} was not held` };
    const recorded = Number(tag.Value);
    // Never above what the group now wants (a fleet already scaled to zero stays at zero).
    const min = Math.min(Number.isFinite(recorded) ? recorded : 0, group.DesiredCapacity ?? 0);
    if (min !== group.MinSize)
      await ctx.aws.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: min }));
    await ctx.aws.autoscaling.send(
      new DeleteGroupTagsCommand({ Tags: [{ ResourceId: name, ResourceType: "auto-scaling-group", Key: HELD_MIN_TAG }] }),
    );
    ctx.touch("autoscaling:group", group.AutoScalingGroupARN ?? name, "updated");
    return { released: true, min, summary: `${name} minimum back to ${min}` };
  },
);

/** The target group's deregistration delay in seconds (AWS's default, 300, when unreadable). */
export async function deregistrationDelayOf(ctx: StepContext, slot: Slot): Promise<number> {
  const tg = await findTargetGroup(ctx, slot);
  if (!tg?.TargetGroupArn) return 0;
  const attrs = await ctx.aws.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn }));
  const value = Number(attrs.Attributes?.find((a) => a.Key === "deregistration_delay.timeout_seconds")?.Value ?? 300);
  return Number.isFinite(value) ? value : 300;
}

export interface DrainDetail {
  delaySeconds: number;
  inForceSeconds: number;
  /** Service-clock milliseconds still to wait (0 when done). */
  remainingMs: number;
  summary: string;
}

/**
 * Done once the listener change made at `since` (the service's clock, ISO) has been in force
 * longer than the slot's deregistration delay: requests that reached the fleet before the change
 * have finished (or been cut by AWS itself), so scaling it down fails none.
 */
export const drainStatus = defineRead(
  "wait for the deregistration delay",
  async (input: StepInput & { slot: Slot; since: string }, ctx): Promise<Poll<DrainDetail>> => {
    const [delaySeconds, now] = await Promise.all([deregistrationDelayOf(ctx, input.slot), freshServerNow(ctx.aws)]);
    const inForceMs = now - Date.parse(input.since);
    const remainingMs = Math.max(0, delaySeconds * 1000 + 1000 - inForceMs);
    const inForceSeconds = Math.round(inForceMs / 100) / 10;
    return {
      done: remainingMs === 0,
      detail: {
        delaySeconds,
        inForceSeconds,
        remainingMs,
        summary: `listener change in force ${inForceSeconds} s; deregistration delay ${delaySeconds} s`,
      },
    };
  },
);
