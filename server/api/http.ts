import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor.ts";
import { auth, trustedOrigins } from "../auth/auth.ts";
import { isRole } from "../auth/roles.ts";
import { actorFromApiToken } from "../auth/tokens.ts";
import { httpStatusOf, ServiceError } from "../errors.ts";
import { logger } from "../log.ts";
import { checkedParams, checkJsonObject, checkRequestUrl } from "./malformed.ts";
import { checkSessionRequest } from "../security/csrf.ts";

/** JSON error body of the REST API: `{ error: { code, message, fields?, requestId } }`. */
export function errorResponse(code: string, message: string, status: number, fields?: Record<string, string[]>, requestId?: string) {
  return Response.json({ error: { code, message, ...(fields ? { fields } : {}), ...(requestId ? { requestId } : {}) } }, { status });
}

/** The caller: a Bearer API token, or (for the browser) the session cookie. */
export async function actorOf(req: Request): Promise<Actor | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    return m ? actorFromApiToken(m[1]) : null;
  }
  const session = await auth.api.getSession({ headers: req.headers });
  if (!session) return null;
  return { kind: "user", id: session.user.id, label: session.user.email, role: isRole(session.user.role) ? session.user.role : "viewer" };
}

/** Reads a JSON object body; a malformed one (not JSON, not an object, a NUL inside) is the caller's mistake (400), not ours. */
export async function jsonBody(req: Request): Promise<Record<string, unknown>> {
  const text = await req.text();
  if (!text.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ServiceError("VALIDATION_FAILED", "The request body is not valid JSON.");
  }
  return checkJsonObject(value);
}

type Handler<C> = (req: Request, ctx: { actor: Actor; params: C }) => Promise<Response>;

/** Wraps a REST handler: authenticates, maps ServiceErrors to statuses, hides the unexpected. */
export function apiRoute<C = Record<string, string>>(handler: Handler<C>) {
  return async (req: Request, ctx: { params: Promise<C> }): Promise<Response> => {
    const requestId = randomUUID();
    try {
      const actor = await actorOf(req);
      if (!actor)
        return errorResponse(
          "UNAUTHENTICATED",
          "Send `Authorization: Bearer <API token>` (create tokens under Admin > API tokens).",
          401,
          undefined,
          requestId,
        );
      // Cookie-authenticated writes only from Switchyard's own pages, as JSON (server/security/csrf.ts).
      const csrf = actor.kind === "user" ? checkSessionRequest(req, trustedOrigins) : null;
      if (csrf) return errorResponse(csrf.code, csrf.message, csrf.status, undefined, requestId);
      checkRequestUrl(req.url);
      const res = await handler(req, { actor, params: await checkedParams(ctx.params) });
      res.headers.set("x-request-id", requestId);
      return res;
    } catch (e) {
      if (e instanceof ServiceError) return errorResponse(e.code, e.message, httpStatusOf[e.code], e.fields, requestId);
      logger.error("api request failed", { requestId, method: req.method, url: req.url, error: e instanceof Error ? e.stack : String(e) });
      return errorResponse("INTERNAL", `Something went wrong (request ${requestId}).`, 500, undefined, requestId);
    }
  };
}
