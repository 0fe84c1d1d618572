import { apiRoute } from "@/server/api/http.ts";
import { environmentsOverview } from "@/server/dashboards/overview.ts";

export const dynamic = "force-dynamic";

/** `?names=a,b,c`: status, live version, traffic split, health and a request sparkline per environment, batched per account and region. */
export const GET = apiRoute(async (req, { actor }) => {
  const names = (new URL(req.url).searchParams.get("names") ?? "").split(",");
  return Response.json(await environmentsOverview({ actor, input: { names } }), { headers: { "cache-control": "private, no-store" } });
});
