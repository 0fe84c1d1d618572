import { apiRoute } from "@/server/api/http.ts";
import { readInstanceLog } from "@/server/environments/instance-log.ts";

export const dynamic = "force-dynamic";

/** The console output of the live fleet's newest instance, or `?instance=i-...`'s (deployer). */
export const GET = apiRoute<{ name: string }>(async (req, { actor, params }) => {
  const instanceId = new URL(req.url).searchParams.get("instance") ?? undefined;
  return Response.json(await readInstanceLog({ actor, input: { name: params.name, instanceId } }));
});
