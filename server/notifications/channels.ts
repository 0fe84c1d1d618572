/**
 * Notification channels of an environment: create, update (enable, events, name, new signing
 * secret), delete, send a test event. Admin only: a channel sends the environment's events
 * (versions, reasons, alarm names) to a URL outside Switchyard and holds a secret, like an AWS
 * account's endpoint. Reading channels and their delivery log needs any role (no secret is
 * ever returned after creation). Every change writes an audit event without the secret or
 * the full URL.
 */
import { z } from "zod";
import { recordAudit, recordAuditAlone } from "../audit/record.ts";
import { requireRole, type Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";
import { ServiceError, validationError } from "../errors.ts";
import { destinationProblem, displayUrl } from "./destination.ts";
import { emitEvent } from "./emit.ts";
import { EVENT_TYPES } from "./events.ts";
import { seal } from "./secret-box.ts";
import { newSigningSecret } from "./sign.ts";
import { environmentRow } from "../environments/load.ts";

const events = z.array(z.enum(EVENT_TYPES, { message: `one of ${EVENT_TYPES.join(", ")}` })).max(EVENT_TYPES.length);

export const createChannelInput = z.object({
  kind: z.enum(["webhook", "slack"], { message: 'kind must be "webhook" or "slack"' }),
  name: z.string().trim().min(1, "Name the channel").max(60),
  url: z.string().trim().min(1, "Enter the URL").max(2000),
  events: events.default([]),
});

export const updateChannelInput = z.object({
  name: z.string().trim().min(1, "Name the channel").max(60).optional(),
  enabled: z.boolean({ message: "enabled must be true or false" }).optional(),
  events: events.optional(),
  rotateSecret: z.literal(true, { message: "rotateSecret must be true" }).optional(),
});

async function environmentNamed(name: string) {
  const { id } = await environmentRow(name);
  return { id, name };
}

async function channelOf(envId: string, id: string) {
  const ch = await db.notificationChannel.findFirst({ where: { id, environmentId: envId, deletedAt: null } });
  if (!ch) throw new ServiceError("NOT_FOUND", "No such notification channel on this environment (deleted?).");
  return ch;
}

export function channelView(c: {
  id: string;
  kind: string;
  name: string;
  urlDisplay: string;
  events: string[];
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
}) {
  return {
    id: c.id,
    kind: c.kind,
    name: c.name,
    url: c.urlDisplay,
    events: c.events,
    enabled: c.enabled,
    createdBy: c.createdBy,
    createdAt: c.createdAt.toISOString(),
  };
}

/** Creates a channel; a webhook's signing secret is in the answer, this once only. */
export async function createChannel({ actor, input }: { actor: Actor; input: { environment: string; body: unknown } }) {
  requireRole(actor, "admin");
  const parsed = createChannelInput.safeParse(input.body ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { kind, name, url, events: types } = parsed.data;
  const problem = await destinationProblem(url);
  if (problem) throw new ServiceError("VALIDATION_FAILED", `url: ${problem}`, { url: [problem] });
  const env = await environmentNamed(input.environment);
  const signingSecret = kind === "webhook" ? newSigningSecret() : null;
  const channel = await db.$transaction(async (tx) => {
    const c = await tx.notificationChannel.create({
      data: {
        environmentId: env.id,
        kind,
        name,
        urlEncrypted: seal(url),
        urlDisplay: displayUrl(url, kind),
        secretEncrypted: signingSecret ? seal(signingSecret) : null,
        events: types,
        createdBy: actor.label,
      },
    });
    await recordAudit(
      tx,
      actor,
      "notification_channel.create",
      { type: "environment", id: env.id, label: env.name },
      { after: channelView(c) },
    );
    return c;
  });
  return { channel: channelView(channel), signingSecret };
}

export async function updateChannel({ actor, input }: { actor: Actor; input: { environment: string; id: string; body: unknown } }) {
  requireRole(actor, "admin");
  const parsed = updateChannelInput.safeParse(input.body ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues);
  const env = await environmentNamed(input.environment);
  const before = await channelOf(env.id, input.id);
  const { rotateSecret, ...changes } = parsed.data;
  if (rotateSecret && before.kind !== "webhook") throw new ServiceError("PRECONDITION_FAILED", "Only webhooks have a signing secret.");
  const signingSecret = rotateSecret ? newSigningSecret() : null;
  const after = await db.$transaction(async (tx) => {
    const c = await tx.notificationChannel.update({
      where: { id: before.id },
      data: { ...changes, ...(signingSecret ? { secretEncrypted: seal(signingSecret) } : {}) },
    });
    await recordAudit(
      tx,
      actor,
      "notification_channel.update",
      { type: "environment", id: env.id, label: env.name },
      { before: channelView(before), after: { ...channelView(c), ...(signingSecret ? { signingSecretRotated: true } : {}) } },
    );
    return c;
  });
  return { channel: channelView(after), signingSecret };
}

/** Deletes a channel; its undelivered events are dropped (the log keeps what was sent). */
export async function deleteChannel({ actor, input }: { actor: Actor; input: { environment: string; id: string } }) {
  requireRole(actor, "admin");
  const env = await environmentNamed(input.environment);
  const before = await channelOf(env.id, input.id);
  await db.$transaction(async (tx) => {
    await tx.notificationChannel.update({ where: { id: before.id }, data: { deletedAt: new Date(), enabled: false } });
    await tx.notificationDelivery.updateMany({ where: { channelId: before.id, status: "pending" }, data: { status: "cancelled" } });
    await recordAudit(
      tx,
      actor,
      "notification_channel.delete",
      { type: "environment", id: env.id, label: env.name },
      { before: channelView(before) },
    );
  });
  return { deleted: true };
}

/** Queues a "test" event for one channel (audited: it sends data out). */
export async function sendTestEvent({ actor, input }: { actor: Actor; input: { environment: string; id: string } }) {
  requireRole(actor, "admin");
  const env = await environmentNamed(input.environment);
  const ch = await channelOf(env.id, input.id);
  if (!ch.enabled) throw new ServiceError("PRECONDITION_FAILED", "The channel is disabled: enable it first.");
  const key = `test:${ch.id}:${Date.now()}`;
  await recordAuditAlone(
    actor,
    "notification_channel.test",
    { type: "environment", id: env.id, label: env.name },
    { after: { id: ch.id, name: ch.name } },
  );
  await emitEvent({ environmentId: env.id, channelId: ch.id, type: "test", key, summary: `Test event sent by ${actor.label}` });
  return { queued: true, eventId: key };
}

export type ChannelWithLog = Awaited<ReturnType<typeof listChannels>>[number];

/** An environment's channels and each one's recent deliveries with their attempts (the delivery log). */
export async function listChannels({ actor, input }: { actor: Actor; input: { environment: string; deliveries?: number } }) {
  requireRole(actor, "viewer");
  const env = await environmentNamed(input.environment);
  const channels = await db.notificationChannel.findMany({
    where: { environmentId: env.id, deletedAt: null },
    orderBy: { createdAt: "asc" },
    include: {
      deliveries: {
        orderBy: { seq: "desc" },
        take: input.deliveries ?? 20,
        include: { attemptLog: { orderBy: { attempt: "desc" }, take: 5 } },
      },
    },
  });
  return channels.map((c) => ({
    ...channelView(c),
    deliveries: c.deliveries.map((d) => ({
      id: d.id,
      eventType: d.eventType,
      eventId: d.eventKey,
      status: d.status,
      attempts: d.attempts,
      createdAt: d.createdAt.toISOString(),
      nextAttemptAt: d.status === "pending" ? d.nextAttemptAt.toISOString() : null,
      deliveredAt: d.deliveredAt?.toISOString() ?? null,
      lastStatusCode: d.lastStatusCode,
      lastError: d.lastError,
      attemptLog: d.attemptLog.map((a) => ({
        attempt: a.attempt,
        at: a.at.toISOString(),
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
      })),
    })),
  }));
}
