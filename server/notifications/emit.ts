import { db } from "../db/client.ts";
import { logger } from "../log.ts";
import { kickDelivery } from "./deliver.ts";
import type { EventType, NotificationEvent } from "./events.ts";

export interface EmitInput {
  environmentId: string;
  type: EventType;
  /** Unique per event: an event emitted again (a retried workflow step) is delivered once. */
  key: string;
  summary: string;
  deployment?: NotificationEvent["deployment"];
  data?: Record<string, unknown>;
  occurredAt?: Date;
  /** Only this channel (a test event). */
  channelId?: string;
}

/**
 * The one way events enter the notification outbox: one delivery row per subscribed channel
 * of the environment, in the same order for every channel, then the delivery loop is woken.
 * A channel gets only events that happen after it was created. Never throws: a notification
 * problem must not fail a rollout step.
 */
export async function emitEvent(input: EmitInput): Promise<number> {
  try {
    const occurredAt = input.occurredAt ?? new Date();
    const channels = await db.notificationChannel.findMany({
      where: { environmentId: input.environmentId, deletedAt: null, enabled: true, ...(input.channelId ? { id: input.channelId } : {}) },
      select: { id: true, events: true, createdAt: true },
    });
    const targets = channels.filter(
      (c) => input.channelId || ((c.events.length === 0 || c.events.includes(input.type)) && c.createdAt <= occurredAt),
    );
    if (!targets.length) return 0;
    const env = await db.environment.findUniqueOrThrow({ where: { id: input.environmentId }, select: { id: true, name: true } });
    const event: NotificationEvent = {
      id: input.key,
      type: input.type,
      occurredAt: occurredAt.toISOString(),
      environment: env,
      ...(input.deployment ? { deployment: input.deployment } : {}),
      summary: input.summary,
      ...(input.data ? { data: input.data } : {}),
    };
    const created = await db.notificationDelivery.createMany({
      data: targets.map((c) => ({ channelId: c.id, eventKey: input.key, eventType: input.type, payload: event as object })),
      skipDuplicates: true,
    });
    if (created.count) kickDelivery();
    return created.count;
  } catch (e) {
    logger.warn("notification not queued", { type: input.type, key: input.key, error: (e as Error).message });
    return 0;
  }
}
