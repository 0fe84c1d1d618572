import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { environmentResource } from "@/server/api/resources.ts";
import { createEnvironment } from "@/server/environments/create.ts";
import { listEnvironments } from "@/server/environments/queries.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async (req, { actor }) => {
  const url = new URL(req.url);
  const limit = url.searchParams.get("limit");
  const result = await listEnvironments({
    actor,
    input: {
      q: url.searchParams.get("q") ?? undefined,
      cursor: url.searchParams.get("cursor") ?? undefined,
      limit: limit ? Number(limit) || undefined : undefined,
    },
  });
  return Response.json(result);
});

export const POST = apiRoute(async (req, { actor }) => {
  const { environment, spec } = await createEnvironment({ actor, input: await jsonBody(req) });
  return Response.json(environmentResource(environment, spec), {
    status: 201,
    headers: { location: `/api/v1/environments/${environment.name}` },
  });
});
