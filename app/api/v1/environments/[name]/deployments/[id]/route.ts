import { apiRoute } from "@/server/api/http.ts";
import { getOperation } from "@/server/operations/queries.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ name: string; id: string }>(async (_req, { actor, params }) =>
  Response.json(await getOperation({ actor, input: params })),
);
