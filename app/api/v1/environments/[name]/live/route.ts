import { apiRoute } from "@/server/api/http.ts";
import { livePanel } from "@/server/operations/live.ts";

export const dynamic = "force-dynamic";

/** The environment page's live panel: state, running operation with steps, history, traffic split. */
export const GET = apiRoute<{ name: string }>(async (_req, { actor, params }) => Response.json(await livePanel({ actor, input: params })));
