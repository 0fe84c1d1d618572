"use server";

import { requireRole } from "@/server/auth/actor.ts";
import { currentActor } from "@/server/auth/session.ts";
import {
  createChannel,
  deleteChannel,
  listChannels,
  sendTestEvent,
  updateChannel,
  type ChannelWithLog,
} from "@/server/notifications/channels.ts";
import { runAction, type ActionResult } from "@/server/result.ts";

/** The notification panel's actions: thin, the verbs check the role (admin for changes) and audit. */
const actor = async () => requireRole(await currentActor(), "viewer");

export async function listChannelsAction(name: string): Promise<ActionResult<ChannelWithLog[]>> {
  return runAction(async () => listChannels({ actor: await actor(), input: { environment: name } }));
}

export async function createChannelAction(
  name: string,
  values: { kind: string; name: string; url: string; events: string[] },
): Promise<ActionResult<{ signingSecret: string | null }>> {
  return runAction(
    async () => ({
      signingSecret: (await createChannel({ actor: await actor(), input: { environment: name, body: values } })).signingSecret,
    }),
    { values: { ...values, url: "" }, message: "Channel added" },
  );
}

export async function updateChannelAction(
  name: string,
  id: string,
  body: { enabled?: boolean; rotateSecret?: true },
): Promise<ActionResult<{ signingSecret: string | null }>> {
  return runAction(async () => ({
    signingSecret: (await updateChannel({ actor: await actor(), input: { environment: name, id, body } })).signingSecret,
  }));
}

export async function deleteChannelAction(name: string, id: string): Promise<ActionResult<{ deleted: boolean }>> {
  return runAction(async () => deleteChannel({ actor: await actor(), input: { environment: name, id } }), { message: "Channel deleted" });
}

export async function testChannelAction(name: string, id: string): Promise<ActionResult<{ queued: boolean }>> {
  return runAction(async () => sendTestEvent({ actor: await actor(), input: { environment: name, id } }), { message: "Test event queued" });
}
