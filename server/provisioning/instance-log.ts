/**
 * The instances' own log (EC2 GetConsoleOutput: cloud-init and the user data's output), for
 * two uses:
 *   - bootstrapFailure: does an instance's log say its user data failed? cloud-init then warns
 *     "Failed to run module scripts_user"; the lines before say which command and why.
 *   - instanceLog (read): the log of the live fleet's newest instance, for the environment page.
 */
import { GetConsoleOutputCommand } from "../aws/sdk.ts";
import { isNotFound } from "../aws/errors.ts";
import { ServiceError } from "../errors.ts";
import { defineRead, SLOTS, type Slot, type StepContext, type StepInput } from "./context.ts";
import { findFleet } from "./fleet.ts";

const FAILED = /Failed to run module scripts_user/;
/** The lines that say what went wrong: the tool's error and the reason. */
const WHY =
  /cannot reach|AccessDenied|Unable to locate credentials|ParameterNotFound|ResourceNotFoundException|command not found|No such file|Error:/;
/** "[   12.345678] cloud-init[1642]: " */
const PREFIX = /^\[\s*[\d.]+\]\s+cloud-init\[\d+\]:\s*/;

export async function consoleText(ctx: StepContext, instanceId: string): Promise<string | null> {
  try {
    const out = await ctx.aws.ec2.send(new GetConsoleOutputCommand({ InstanceId: instanceId, Latest: true }));
    return out.Output ? Buffer.from(out.Output, "base64").toString("utf8") : null;
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

/** Why a bootstrap failed, from its log, or null when the log shows no failure (yet). */
export function failureOf(text: string | null): string[] | null {
  if (!text || !FAILED.test(text)) return null;
  const lines = text.split("\n").map((l) => l.replace(PREFIX, "").trim());
  const why = lines.filter((l) => WHY.test(l) && !FAILED.test(l));
  return (why.length ? why : lines.filter((l) => FAILED.test(l))).slice(-3);
}

/** The first of these instances (at most two are read per call) whose user data failed. */
export async function bootstrapFailure(ctx: StepContext, instanceIds: string[]): Promise<{ instanceId: string; lines: string[] } | null> {
  for (const instanceId of instanceIds.slice(0, 2)) {
    const lines = failureOf(await consoleText(ctx, instanceId));
    if (lines) return { instanceId, lines };
  }
  return null;
}

export interface InstanceLog {
  instanceId: string | null;
  slot: Slot | null;
  lifecycleState: string | null;
  text: string | null;
  failed: boolean;
  /** Every instance of both fleets, so the page can offer another. */
  instances: Array<{ id: string; slot: Slot; lifecycleState: string }>;
}

/** One instance's console output: the given one (it must be in one of the fleets), else the live fleet's newest. */
export const instanceLog = defineRead(
  "read an instance's log",
  async (input: StepInput & { liveSlot: Slot; instanceId?: string }, ctx): Promise<InstanceLog> => {
    const groups = await Promise.all(SLOTS.map(async (slot) => ({ slot, group: await findFleet(ctx, slot) })));
    const instances = groups.flatMap(({ slot, group }) =>
      (group?.Instances ?? []).map((i) => ({ id: i.InstanceId ?? "", slot, lifecycleState: i.LifecycleState ?? "unknown" })),
    );
    if (input.instanceId && !instances.some((i) => i.id === input.instanceId)) {
      throw new ServiceError("NOT_FOUND", `${input.instanceId} is not an instance of ${input.spec.name}'s fleets.`);
    }
    const pick = input.instanceId
      ? instances.find((i) => i.id === input.instanceId)
      : ([...instances].reverse().find((i) => i.slot === input.liveSlot) ?? instances[instances.length - 1]);
    if (!pick) return { instanceId: null, slot: null, lifecycleState: null, text: null, failed: false, instances };
    const text = await consoleText(ctx, pick.id);
    return { instanceId: pick.id, slot: pick.slot, lifecycleState: pick.lifecycleState, text, failed: failureOf(text) !== null, instances };
  },
);
