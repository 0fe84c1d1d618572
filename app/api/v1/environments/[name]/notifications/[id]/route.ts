import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { deleteChannel, updateChannel } from "@/server/notifications/channels.ts";

export const dynamic = "force-dynamic";

/** `{ name?, enabled?, events?, rotateSecret?: true }` (admin, audited); a rotated secret is in this answer only. */
export const PATCH = apiRoute<{ name: string; id: string }>(async (req, { actor, params }) =>
  Response.json(await updateChannel({ actor, input: { environment: params.name, id: params.id, body: await jsonBody(req) } })),
);

export const DELETE = apiRoute<{ name: string; id: string }>(async (_req, { actor, params }) =>
  Response.json(await deleteChannel({ actor, input: { environment: params.name, id: params.id } })),
);
