/**
 * Cross-site request forgery on the REST API. Scripts authenticate with a Bearer token, which
 * a browser never attaches by itself, so they are not affected. The session cookie is
 * attached to any request the browser makes, including one a foreign page triggers with a
 * form or `fetch(..., { mode: "no-cors" })`. So a call authenticated by the session cookie
 * that changes something must (1) come from one of Switchyard's own origins, by its
 * `Origin` header or, without one, `Sec-Fetch-Site: same-origin`, and (2) send JSON with
 * `Content-Type: application/json`, which a page cannot send cross-site without a CORS
 * preflight that Switchyard never grants.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface CsrfRefusal {
  status: 403 | 415;
  code: "FORBIDDEN" | "UNSUPPORTED_MEDIA_TYPE";
  message: string;
}

export function originOf(value: string): string | null {
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

/** Null when a session-cookie request may go on; otherwise why not. */
export function checkSessionRequest(req: Request, allowedOrigins: readonly string[]): CsrfRefusal | null {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return null;
  const origin = req.headers.get("origin");
  const site = req.headers.get("sec-fetch-site");
  const allowed = new Set(allowedOrigins.map((o) => originOf(o)).filter((o): o is string => o !== null));
  const sameOrigin = origin !== null ? allowed.has(originOf(origin) ?? "") : site === "same-origin";
  if (!sameOrigin) {
    return {
      status: 403,
      code: "FORBIDDEN",
      message:
        "A signed-in browser may change things through the API only from Switchyard's own pages. Scripts and CI: send an API token (Authorization: Bearer ...).",
    };
  }
  const type = (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    return { status: 415, code: "UNSUPPORTED_MEDIA_TYPE", message: "Send the request body as JSON with Content-Type: application/json." };
  }
  return null;
}
