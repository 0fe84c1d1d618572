import { appUrl } from "../env.ts";
import { db } from "../db/client.ts";
import { logger } from "../log.ts";
import { postJson } from "./destination.ts";
import { type NotificationEvent, slackMessage } from "./events.ts";
import { open } from "./secret-box.ts";
import { SIGNATURE_HEADER, signature, TIMESTAMP_HEADER } from "./sign.ts";

/**
 * The delivery loop. The outbox is the notification_delivery table, so pending deliveries
 * survive restarts and any replica may send them. Each pass claims, per channel, the OLDEST
 * pending delivery (a lease, so two replicas never send the same one) when it is due: a
 * channel's events arrive in order, and while its receiver is down the later events wait
 * behind the one being retried. A 2xx delivers; anything else (an error status, a refused
 * connection, a timeout) is retried with exponential backoff: base x 2^(attempt-1), capped,
 * and given up after MAX_ATTEMPTS (the next event goes then).
 */
export interface Backoff {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}
export const DEFAULT_BACKOFF: Backoff = { baseMs: 5_000, maxMs: 15 * 60_000, maxAttempts: 15 };
const LEASE_MS = 60_000;

export function retryDelay(attempts: number, b: Backoff): number {
  return Math.min(b.maxMs, b.baseMs * 2 ** Math.max(0, attempts - 1));
}

interface Claimed {
  id: string;
  channelId: string;
  eventType: string;
  payload: unknown;
  attempts: number;
}

async function claimHeads(now: Date): Promise<Claimed[]> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  return db.$queryRaw<Claimed[]>`
    WITH heads AS (
      SELECT DISTINCT ON (d."channelId") d.id
      FROM notification_delivery d
      JOIN notification_channel c ON c.id = d."channelId" AND c."deletedAt" IS NULL AND c.enabled
      WHERE d.status = 'pending'
      ORDER BY d."channelId", d.seq
    )
    UPDATE notification_delivery d SET "claimedUntil" = ${leaseUntil}
    FROM heads h
    WHERE d.id = h.id AND d.status = 'pending' AND d."nextAttemptAt" <= ${now}
      AND (d."claimedUntil" IS NULL OR d."claimedUntil" < ${now})
    RETURNING d.id, d."channelId", d."eventType", d.payload, d.attempts`;
}

async function sendOne(d: Claimed, backoff: Backoff): Promise<boolean> {
  const channel = await db.notificationChannel.findUniqueOrThrow({ where: { id: d.channelId } });
  const event = d.payload as NotificationEvent;
  const attempt = d.attempts + 1;
  let result: Awaited<ReturnType<typeof postJson>>;
  try {
    const url = open(channel.urlEncrypted);
    if (channel.kind === "slack") {
      result = await postJson(url, JSON.stringify(slackMessage(event, appUrl)), { "user-agent": "Switchyard-Notifications/1" });
    } else {
      const body = JSON.stringify(event);
      const ts = Math.floor(Date.now() / 1000);
      result = await postJson(url, body, {
        "user-agent": "Switchyard-Webhooks/1",
        "x-switchyard-event": d.eventType,
        "x-switchyard-delivery": d.id,
        "x-switchyard-attempt": String(attempt),
        [TIMESTAMP_HEADER]: String(ts),
        [SIGNATURE_HEADER]: signature(open(channel.secretEncrypted ?? ""), ts, body),
      });
    }
  } catch (e) {
    result = { statusCode: null, error: (e as Error).message, durationMs: 0 };
  }
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const now = new Date();
  const giveUp = !ok && attempt >= backoff.maxAttempts;
  await db.$transaction([
    db.notificationAttempt.create({
      data: { deliveryId: d.id, attempt, at: now, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs },
    }),
    db.notificationDelivery.update({
      where: { id: d.id },
      data: {
        attempts: attempt,
        lastAttemptAt: now,
        lastStatusCode: result.statusCode,
        lastError: result.error,
        claimedUntil: null,
        ...(ok
          ? { status: "delivered", deliveredAt: now }
          : giveUp
            ? { status: "failed" }
            : { nextAttemptAt: new Date(now.getTime() + retryDelay(attempt, backoff)) }),
      },
    }),
  ]);
  return ok;
}

/** One pass: sends every channel's head delivery that is due; returns how many were attempted. */
export async function deliverDue(backoff: Backoff = DEFAULT_BACKOFF): Promise<number> {
  const claimed = await claimHeads(new Date());
  await Promise.all(claimed.map((d) => sendOne(d, backoff)));
  return claimed.length;
}

let loop: {
  timer: NodeJS.Timeout | null;
  running: boolean;
  again: boolean;
  stopped: boolean;
  backoff: Backoff;
  intervalMs: number;
} | null = null;

async function pass() {
  if (!loop || loop.running || loop.stopped) {
    if (loop) loop.again = true;
    return;
  }
  loop.running = true;
  try {
    // Keep going while there was something to send (the next event of a channel is due at once).
    while (loop && !loop.stopped && (await deliverDue(loop.backoff)) > 0) {}
  } catch (e) {
    logger.warn("notification delivery pass failed", { error: (e as Error).message });
  } finally {
    if (loop) {
      loop.running = false;
      if (loop.again && !loop.stopped) {
        loop.again = false;
        setImmediate(() => void pass());
      }
    }
  }
}

let alarmWatch: NodeJS.Timeout | null = null;

/**
 * Starts this process's delivery loop (once); it polls every `intervalMs` and runs at once when
 * an event is queued. `alarmWatchMs` (default a minute, 0 = off) also reads alarm states for
 * environments whose channels want them (alarm-watch.ts).
 */
export function startDeliveryLoop(opts: { intervalMs?: number; backoff?: Backoff; alarmWatchMs?: number } = {}) {
  if (opts.alarmWatchMs !== 0 && !alarmWatch) {
    let watching = false;
    alarmWatch = setInterval(async () => {
      if (watching) return;
      watching = true;
      try {
        await (await import("./alarm-watch.ts")).watchAlarmsOnce();
      } catch (e) {
        logger.warn("alarm watch failed", { error: (e as Error).message });
      } finally {
        watching = false;
      }
    }, opts.alarmWatchMs ?? 60_000);
    alarmWatch.unref();
  }
  if (loop && !loop.stopped) return;
  loop = {
    timer: null,
    running: false,
    again: false,
    stopped: false,
    backoff: opts.backoff ?? DEFAULT_BACKOFF,
    intervalMs: opts.intervalMs ?? 2_000,
  };
  loop.timer = setInterval(() => void pass(), loop.intervalMs);
  loop.timer.unref();
  void pass();
}

export async function stopDeliveryLoop() {
  if (alarmWatch) clearInterval(alarmWatch);
  alarmWatch = null;
  if (!loop) return;
  loop.stopped = true;
  if (loop.timer) clearInterval(loop.timer);
  while (loop.running) await new Promise((r) => setTimeout(r, 10));
  loop = null;
}

/** Wakes the loop (if this process runs one) right after an event was queued. */
export function kickDelivery() {
  if (loop && !loop.stopped) void pass();
}
