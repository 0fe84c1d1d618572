import { apiRoute } from "@/server/api/http.ts";
import { approveRollout } from "@/server/operations/verbs.ts";

export const dynamic = "force-dynamic";

/** Approves a protected environment's rollout; the approver must be a deployer other than its starter. */
export const POST = apiRoute<{ name: string; id: string }>(async (_req, { actor, params }) =>
  Response.json(await approveRollout({ actor, input: params })),
);
