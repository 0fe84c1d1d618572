import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { scalingPanel, updateScaling } from "@/server/operations/scaling.ts";

export const dynamic = "force-dynamic";

/** Both fleets' instances, scaling activities with causes, capacity and target-tracking target (viewer). */
export const GET = apiRoute<{ name: string }>(async (_req, { actor, params }) =>
  Response.json(await scalingPanel({ actor, input: params })),
);

/**
 * Edits the LIVE fleet: `{ min, desired, max, target? }` (deployer, audited). 400 with field
 * errors when min <= desired <= max or the spec's bounds are broken; 409 while an operation runs.
 */
export const PATCH = apiRoute<{ name: string }>(async (req, { actor, params }) =>
  Response.json(await updateScaling({ actor, input: { name: params.name, values: await jsonBody(req) } })),
);
