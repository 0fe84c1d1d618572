import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { createChannel, listChannels } from "@/server/notifications/channels.ts";

export const dynamic = "force-dynamic";

/** The environment's notification channels with their delivery log (any role). */
export const GET = apiRoute<{ name: string }>(async (_req, { actor, params }) =>
  Response.json({ channels: await listChannels({ actor, input: { environment: params.name } }) }),
);

/** `{ kind: "webhook" | "slack", name, url, events? }` (admin, audited); a webhook's signing secret is in this answer only. */
export const POST = apiRoute<{ name: string }>(async (req, { actor, params }) =>
  Response.json(await createChannel({ actor, input: { environment: params.name, body: await jsonBody(req) } }), { status: 201 }),
);
