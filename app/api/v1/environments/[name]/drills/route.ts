import { apiRoute, jsonBody } from "@/server/api/http.ts";
import { runDrill } from "@/server/operations/drills.ts";

export const dynamic = "force-dynamic";

/** `{ kind: "terminate-instance" | "failover-database" | "failover-cache" }` (deployer, audited). 412 when the database is not Multi-AZ, or there is no cache replica. */
export const POST = apiRoute<{ name: string }>(async (req, { actor, params }) =>
  Response.json(await runDrill({ actor, input: { name: params.name, body: await jsonBody(req) } }), { status: 202 }),
);
