import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { forgetAdopted, isAdopted } from "@/server/adopt/forget.ts";
import { startTeardown } from "@/server/operations/verbs.ts";

export const dynamic = "force-dynamic";

/**
 * Starts a teardown: 202. Optional body `{ "skipFinalSnapshot": true }` deletes the database
 * without a final snapshot (recorded in the audit log). 412 while the environment is protected.
 */
export const POST = apiRoute<{ name: string }>(async (req, { actor, params }) => {
  const body = await jsonBody(req);
  // An adopted stack is only forgotten: nothing Switchyard did not create is deleted (200, done at once).
  if (await isAdopted(params.name)) return Response.json(await forgetAdopted({ actor, input: { name: params.name } }));
  return Response.json(await startTeardown({ actor, input: { name: params.name, skipFinalSnapshot: body.skipFinalSnapshot } }), {
    status: 202,
  });
});
