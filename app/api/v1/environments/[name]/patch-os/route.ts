import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { patchOs } from "@/server/operations/patch-os.ts";

export const dynamic = "force-dynamic";

/** Rolls the newest Amazon Linux 2023 image out (same app version, normal rollout): 202 with the operation. */
export const POST = apiRoute<{ name: string }>(async (req, { actor, params }) => {
  const body = await jsonBody(req);
  const strategy = typeof body.strategy === "string" ? body.strategy : undefined;
  return Response.json(await patchOs({ actor, input: { name: params.name, strategy } }), { status: 202 });
});
