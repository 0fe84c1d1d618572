"use server";

import { authorisedAction } from "@/server/auth/authorised.ts";
import {
  createChannel,
  deleteChannel,
  listChannels,
  sendTestEvent,
  updateChannel,
  type ChannelWithLog,
} from "@/server/notifications/channels.ts";
import type { ActionResult } from "@/server/result.ts";

/** The notification panel's actions: thin, the verbs check the role (admin for changes) and audit. */
export async function listChannelsAction(name: string): Promise<ActionResult<ChannelWithLog[]>> {
  return authorisedAction("viewer", async (actor) => listChannels({ actor, input: { environment: name } }));
}

export async function createChannelAction(
  name: string,
  values: { kind: string; name: string; url: string; events: string[] },
): Promise<ActionResult<{ signingSecret: string | null }>> {
  return authorisedAction(
    "viewer",
    async (actor) => ({
      signingSecret: (await createChannel({ actor, input: { environment: name, body: values } })).signingSecret,
    }),
    { values: { ...values, url: "" }, message: "Channel added" },
  );
}

export async function updateChannelAction(
  name: string,
  id: string,
  body: { enabled?: boolean; rotateSecret?: true },
): Promise<ActionResult<{ signingSecret: string | null }>> {
  return authorisedAction("viewer", async (actor) => ({
    signingSecret: (await updateChannel({ actor, input: { environment: name, id, body } })).signingSecret,
  }));
}

export async function deleteChannelAction(name: string, id: string): Promise<ActionResult<{ deleted: boolean }>> {
  return authorisedAction("viewer", async (actor) => deleteChannel({ actor, input: { environment: name, id } }), {
    message: "Channel deleted",
  });
}

export async function testChannelAction(name: string, id: string): Promise<ActionResult<{ queued: boolean }>> {
  return authorisedAction("viewer", async (actor) => sendTestEvent({ actor, input: { environment: name, id } }), {
    message: "Test event queued",
  });
}
