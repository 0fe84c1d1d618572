import { apiRoute } from "@/server/api/http.ts";
import { checkDrift } from "@/server/operations/drift.ts";

export const dynamic = "force-dynamic";

/** Drift: the real AWS state against the current spec. */
export const GET = apiRoute<{ name: string }>(async (_req, { actor, params }) => Response.json(await checkDrift({ actor, input: params })));
