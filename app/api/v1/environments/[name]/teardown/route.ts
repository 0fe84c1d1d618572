import { apiRoute } from "@/server/api/http.ts";
import { startTeardown } from "@/server/operations/verbs.ts";

export const dynamic = "force-dynamic";

export const POST = apiRoute<{ name: string }>(async (_req, { actor, params }) => Response.json(await startTeardown({ actor, input: params }), { status: 202 }));
