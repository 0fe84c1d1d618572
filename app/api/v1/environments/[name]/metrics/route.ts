import { apiRoute } from "@/server/api/http.ts";
import { environmentMetrics } from "@/server/dashboards/metrics.ts";

export const dynamic = "force-dynamic";

/**
 * The environment's dashboard data (`?range=1h|3h|24h|7d`, default 1h): every series, alarm
 * states and the topology. Fetched from CloudWatch at most once per 10-second window and
 * shared by every viewer; AWS failures come back per panel, never as a 500.
 */
export const GET = apiRoute<{ name: string }>(async (req, { actor, params }) => {
  const range = new URL(req.url).searchParams.get("range") ?? undefined;
  const data = await environmentMetrics({ actor, input: { name: params.name, range } });
  return Response.json(data, { headers: { "cache-control": "private, no-store", "x-refresh-window": String(data.window) } });
});
