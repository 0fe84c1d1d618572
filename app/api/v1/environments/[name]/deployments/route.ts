import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { listOperations } from "@/server/operations/queries.ts";
import { startRollout } from "@/server/operations/verbs.ts";

export const dynamic = "force-dynamic";

type Params = { name: string };

export const GET = apiRoute<Params>(async (_req, { actor, params }) =>
  Response.json({ deployments: await listOperations({ actor, input: { name: params.name } }) }),
);

/** Starts a rollout `{ version, strategy? }`: 202 with the deployment; 409 while another operation runs. */
export const POST = apiRoute<Params>(async (req, { actor, params }) => {
  const body = (await jsonBody(req)) as { version?: unknown; strategy?: unknown };
  const deployment = await startRollout({
    actor,
    input: { name: params.name, version: body.version as string, strategy: body.strategy as string | undefined },
  });
  return Response.json(deployment, {
    status: 202,
    headers: { location: `/api/v1/environments/${params.name}/deployments/${deployment.id}` },
  });
});
