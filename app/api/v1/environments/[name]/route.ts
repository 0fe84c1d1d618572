import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { environmentResource } from "@/server/api/resources.ts";
import { getEnvironment } from "@/server/environments/queries.ts";
import { deleteEnvironment } from "@/server/environments/remove.ts";
import { updateEnvironment } from "@/server/environments/update.ts";

export const dynamic = "force-dynamic";

type Params = { name: string };

export const GET = apiRoute<Params>(async (_req, { actor, params }) => {
  const { environment, spec } = await getEnvironment({ actor, input: { name: params.name } });
  return Response.json(environmentResource(environment, spec));
});

/** A JSON merge patch of the spec; stores a new spec version when something changed. */
export const PATCH = apiRoute<Params>(async (req, { actor, params }) => {
  const { environment, spec, changed } = await updateEnvironment({
    actor,
    input: { name: params.name, spec: await jsonBody(req), merge: true },
  });
  return Response.json({ ...environmentResource(environment, spec), changed });
});

export const DELETE = apiRoute<Params>(async (_req, { actor, params }) => {
  const env = await deleteEnvironment({ actor, input: { name: params.name } });
  return Response.json({ id: env.id, name: env.name, status: env.status, deletedAt: env.deletedAt?.toISOString() });
});
