import { apiRoute } from "@/server/api/http.ts";
import { sendTestEvent } from "@/server/notifications/channels.ts";

export const dynamic = "force-dynamic";

/** Queues a "test" event for this channel (admin, audited); the delivery log shows the answer. */
export const POST = apiRoute<{ name: string; id: string }>(async (_req, { actor, params }) =>
  Response.json(await sendTestEvent({ actor, input: { environment: params.name, id: params.id } }), { status: 202 }),
);
