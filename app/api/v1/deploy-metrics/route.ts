import { apiRoute } from "@/server/api/http.ts";
import { readDeployMetrics } from "@/server/deploy-metrics/read.ts";

export const dynamic = "force-dynamic";

/** `?days=7|30|90&environment=<name>`: deploy frequency, lead time, change failure rate, time to restore, game days (any role). */
export const GET = apiRoute(async (req, { actor }) => {
  const q = new URL(req.url).searchParams;
  return Response.json(
    await readDeployMetrics({ actor, input: { days: q.get("days") ?? undefined, environment: q.get("environment") ?? undefined } }),
  );
});
