import { apiRoute } from "@/server/api/http.ts";
import { startProvision } from "@/server/operations/verbs.ts";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ name: string }>(async (_req, { actor, params }) =>
  Response.json(await startProvision({ actor, input: params }), { status: 202 }),
);
