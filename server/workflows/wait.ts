import { sleep } from "workflow";
import { poll, type PollAction, type PollDetail, type PollInput } from "./steps.ts";

/**
 * A bounded wait inside a workflow: polls `action` every POLL until it is done, at most
 * `minutes`. Past the bound it throws with what did not become ready and what AWS said last,
 * so a run never polls forever (the workflow's catch puts that on the timeline).
 */
export const POLL = "4s";
const POLL_SECONDS = 4;

export async function waitUntil<A extends PollAction>(
  deploymentId: string,
  key: string,
  action: A,
  input: PollInput<A>,
  { minutes, what }: { minutes: number; what: string },
): Promise<PollDetail<A>> {
  const polls = Math.ceil((minutes * 60) / POLL_SECONDS);
  let last: unknown = null;
  for (let i = 0; i < polls; i++) {
    const out = await poll(deploymentId, key, action, input);
    if (out.done) return out.detail as PollDetail<A>;
    last = out.detail;
    await sleep(POLL);
  }
  const said = (last as { summary?: unknown } | null)?.summary ?? JSON.stringify(last);
  throw new Error(`${what} did not become ready within ${minutes} minutes; AWS last said: ${String(said)}`);
}
