import { apiRoute } from "@/server/api/http.ts";
import { listSpecVersions } from "@/server/environments/queries.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute<{ name: string }>(async (_req, { actor, params }) => {
  return Response.json({ versions: await listSpecVersions({ actor, input: { name: params.name } }) });
});
