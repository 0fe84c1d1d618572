/**
 * AWS is eventually consistent: right after a create, calls naming the new resource may answer
 * NotFound for a few seconds ("Eventual consistency" in the EC2 API reference). Switchyard
 * retries exactly those calls, with backoff and a bound, instead of failing the step: a call
 * that names something created moments ago goes through `afterCreate`.
 */
import { isNotFound } from "./errors.ts";

export interface RetryOptions {
  /** Wall-clock bound for the whole retry (default 60 s: AWS documents seconds). */
  timeoutMs?: number;
  /** First delay; doubles up to 5 s. */
  firstDelayMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `call`; while it answers NotFound and the bound allows, waits and tries again. */
export async function afterCreate<T>(call: () => Promise<T>, { timeoutMs = 60_000, firstDelayMs = 200 }: RetryOptions = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let delay = firstDelayMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!isNotFound(err) || Date.now() + delay > deadline) throw err;
      await sleep(delay);
      delay = Math.min(delay * 2, 5_000);
    }
  }
}

/** Waits until `read` returns a value (not undefined) or the bound passes; NotFound counts as "not yet". */
export async function visibleAfterCreate<T>(read: () => Promise<T | undefined>, what: string, opts: RetryOptions = {}): Promise<T> {
  const found = await afterCreate(async () => {
    const v = await read();
    if (v === undefined) throw Object.assign(new Error(`${what} is not visible yet`), { name: "NotVisibleYet.NotFound" });
    return v;
  }, opts);
  return found;
}
