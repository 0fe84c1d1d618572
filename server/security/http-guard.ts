import { randomBytes, timingSafeEqual } from "node:crypto";
import http from "node:http";
import { checkRequestUrl } from "../api/malformed.ts";
import { ServiceError } from "../errors.ts";
import { setWorkflowDeliveryBase, workflowDeliveryBase } from "../env.ts";

/**
 * The Switchyard server's front door, below Next.js: the one place that sees every request
 * with its real peer address before any route runs (installed from instrumentation.ts).
 *
 * 1. Security headers on every response (pages, API, static files, errors): a CSP whose
 *    script-src is a fresh nonce per request (Next.js reads it from the request's
 *    Content-Security-Policy header and puts it on its own scripts), frame-ancestors 'none' and
 *    X-Frame-Options DENY (no clickjacking of rollback, teardown, approve), nosniff,
 *    Referrer-Policy and Permissions-Policy.
 * 2. The workflow engine's endpoints (/.well-known/workflow/...) answer only the engine: its
 *    queue delivers each step over HTTP to this server, so a request there must come from a
 *    loopback address AND carry this process's secret (basic auth in the delivery URL, set
 *    below). Anyone else gets a bare 404: no step run on demand, no error text echoed.
 * 3. A URL Next.js cannot take apart is a 400, not its 500: a path segment whose
 *    percent-encoding does not decode, a NUL anywhere in path or query (PostgreSQL refuses it
 *    wherever it would land).
 */

const WORKFLOW_USER = "switchyard-workflow";
const INSTALLED = Symbol.for("switchyard.httpGuard");

export const STATIC_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), hid=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};

/**
 * The policy for one response. 'strict-dynamic' lets the nonced bootstrap load Next's chunks;
 * 'self' is the fallback for browsers without CSP 3. Styles keep 'unsafe-inline' (React style
 * attributes, chart SVGs): they cannot run code. Development adds 'unsafe-eval' (React's
 * dev tooling needs it).
 */
export function contentSecurityPolicy(nonce: string, opts: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** True for any spelling of a path under /.well-known/workflow (percent-encoded, doubled slashes, dot segments, case). */
export function isWorkflowPath(rawUrl: string): boolean {
  let p = rawUrl;
  // An absolute-form request target ("POST http://host/path HTTP/1.1") is routed by its path too.
  if (/^[a-z][a-z0-9+.-]*:/i.test(p)) {
    try {
      p = new URL(p).pathname;
    } catch {
      /* keep it */
    }
  }
  p = p.split(/[?#]/)[0];
  for (let i = 0; i < 3; i++) {
    try {
      const decoded = decodeURIComponent(p);
      if (decoded === p) break;
      p = decoded;
    } catch {
      break;
    }
  }
  p = `/${p}`
    .replace(/\\/g, "/")
    .replace(/\/{2,}/g, "/")
    .toLowerCase();
  try {
    p = new URL(`http://localhost${p}`).pathname; // resolves dot segments
  } catch {
    /* keep it */
  }
  return p.startsWith("/.well-known/workflow");
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return v4.startsWith("127.") || address === "::1";
}

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why a request target cannot be served (bad percent-encoding, a NUL), or null. */
export function malformedUrl(target: string): ServiceError | null {
  try {
    checkRequestUrl(new URL(target, "http://localhost").toString());
    return null;
  } catch (e) {
    if (e instanceof ServiceError) return e;
    return new ServiceError("VALIDATION_FAILED", "The URL cannot be parsed.", { _path: ["The URL cannot be parsed."] });
  }
}

export interface HttpGuardOptions {
  /** The port this server listens on (PORT): where the workflow queue delivers steps. */
  port: number;
  dev?: boolean;
}

/**
 * Installs the guard on every http.Server of this process (the one `next start` runs), and
 * points the Postgres workflow world's deliveries at 127.0.0.1 with a fresh secret. Idempotent.
 */
export function installHttpGuard(opts: HttpGuardOptions): void {
  const g = globalThis as { [INSTALLED]?: boolean };
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;

  const secret = randomBytes(32).toString("base64url");
  const expected = `Basic ${Buffer.from(`${WORKFLOW_USER}:${secret}`).toString("base64")}`;
  // @workflow/world-postgres reads this on every delivery (its own PORT default would be
  // http://localhost:PORT without credentials). Node sends the URL's user:password as basic auth.
  const base = workflowDeliveryBase(opts.port);
  base.username = WORKFLOW_USER;
  base.password = secret;
  setWorkflowDeliveryBase(base);

  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function guardedEmit(this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request" || event === "checkContinue") {
      const [req, res] = args as [http.IncomingMessage, http.ServerResponse];
      if (isWorkflowPath(req.url ?? "/") && !(isLoopback(req.socket.remoteAddress) && sameSecret(req.headers.authorization, expected))) {
        res.writeHead(404, {
          ...STATIC_SECURITY_HEADERS,
          "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
          "Content-Length": "0",
        });
        res.end();
        req.resume();
        return true;
      }
      const malformed = malformedUrl(req.url ?? "/");
      if (malformed) {
        const body = JSON.stringify({ error: { code: "VALIDATION_FAILED", message: malformed.message, fields: malformed.fields } });
        res.writeHead(400, {
          ...STATIC_SECURITY_HEADERS,
          "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
          "Content-Type": "application/json",
          "Content-Length": String(Buffer.byteLength(body)),
        });
        res.end(body);
        req.resume();
        return true;
      }
      const nonce = randomBytes(16).toString("base64");
      const csp = contentSecurityPolicy(nonce, { dev: opts.dev });
      // Next.js takes the nonce for its scripts from the request's policy; a client's own is replaced.
      req.headers["content-security-policy"] = csp;
      delete req.headers["content-security-policy-report-only"];
      res.setHeader("Content-Security-Policy", csp);
      for (const [name, value] of Object.entries(STATIC_SECURITY_HEADERS)) res.setHeader(name, value);
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof http.Server.prototype.emit;
}
