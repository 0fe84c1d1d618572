import { db } from "../db/client.ts";
import { ServiceError } from "../errors.ts";

/**
 * The one limit on password attempts, in front of every way to sign in (better-auth's HTTP
 * handler, the sign-in form's server action, any server-side `auth.api.signInEmail`): the
 * guard plugin (server/auth/guard.ts) calls it around better-auth's password check.
 *
 * Two counters per attempt, in PostgreSQL so every replica counts the same attempts: one per
 * account (the email, whatever address it comes from) and one per client address (the
 * socket's peer, or what a trusted proxy saw: see client-address.ts). An attempt is counted
 * before the password is checked, so parallel guesses cannot slip past the limit; a
 * successful sign-in clears the account's counter and gives the address its attempt back.
 * While a counter is over its limit even the right password is refused.
 */
export const SIGN_IN_LIMITS = {
  /** Wrong passwords per account. */
  account: { max: 5, windowSeconds: 15 * 60 },
  /** Attempts per client address (password spraying across accounts, an office behind one NAT). */
  client: { max: 100, windowSeconds: 15 * 60 },
} as const;

type Rule = { max: number; windowSeconds: number };

const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
const clientKey = (address: string) => `client:${address}`;

/** Counts one attempt on `key`; returns the count in the current window and the seconds left in it. */
async function take(key: string, rule: Rule): Promise<{ attempts: number; retryAfterSeconds: number }> {
  const rows = await db.$queryRaw<Array<{ attempts: number; retry_after: number }>>`
    INSERT INTO sign_in_limit (key, "windowStart", attempts) VALUES (${key}, now() AT TIME ZONE 'UTC', 1)
    ON CONFLICT (key) DO UPDATE SET
      attempts = CASE WHEN sign_in_limit."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${rule.windowSeconds}) THEN 1 ELSE sign_in_limit.attempts + 1 END,
      "windowStart" = CASE WHEN sign_in_limit."windowStart" <= (now() AT TIME ZONE 'UTC') - make_interval(secs => ${rule.windowSeconds}) THEN now() AT TIME ZONE 'UTC' ELSE sign_in_limit."windowStart" END
    RETURNING attempts, CEIL(EXTRACT(EPOCH FROM ("windowStart" + make_interval(secs => ${rule.windowSeconds}) - (now() AT TIME ZONE 'UTC'))))::int AS retry_after`;
  return { attempts: Number(rows[0].attempts), retryAfterSeconds: Math.max(1, Number(rows[0].retry_after)) };
}

export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many attempts; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Call before checking a password. Throws RATE_LIMITED (with `retryAfterSeconds`) when the
 * account or the address is over its limit.
 */
export async function beginPasswordAttempt({ email, address }: { email: string; address: string }): Promise<void> {
  const [account, client] = await Promise.all([
    take(accountKey(email), SIGN_IN_LIMITS.account),
    take(clientKey(address), SIGN_IN_LIMITS.client),
  ]);
  // Old rows are of no use; forget them now and then rather than on every attempt.
  if (Math.random() < 0.02)
    await db.$executeRaw`DELETE FROM sign_in_limit WHERE "windowStart" < (now() AT TIME ZONE 'UTC') - interval '1 day'`;
  const over = [
    account.attempts > SIGN_IN_LIMITS.account.max ? account.retryAfterSeconds : 0,
    client.attempts > SIGN_IN_LIMITS.client.max ? client.retryAfterSeconds : 0,
  ];
  const wait = Math.max(...over);
  if (wait > 0) throw new SignInLimitedError(wait);
}

/** Call after the check: success clears the account's count and refunds the address's attempt. */
export async function endPasswordAttempt({
  email,
  address,
  succeeded,
}: {
  email: string;
  address: string;
  succeeded: boolean;
}): Promise<void> {
  if (!succeeded) return;
  await db.$transaction([
    db.$executeRaw`DELETE FROM sign_in_limit WHERE key = ${accountKey(email)}`,
    db.$executeRaw`UPDATE sign_in_limit SET attempts = GREATEST(attempts - 1, 0) WHERE key = ${clientKey(address)}`,
  ]);
}

export class SignInLimitedError extends ServiceError {
  constructor(public readonly retryAfterSeconds: number) {
    super("RATE_LIMITED", tooManyAttemptsMessage(retryAfterSeconds));
  }
}
