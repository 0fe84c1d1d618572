import { apiRoute } from "@/server/api/http.ts";
import { cancelOperation } from "@/server/operations/verbs.ts";

export const dynamic = "force-dynamic";

/** Cancels a running rollout: it rolls back. */
export const POST = apiRoute<{ name: string; id: string }>(async (_req, { actor, params }) =>
  Response.json(await cancelOperation({ actor, input: params })),
);
