import { randomBytes } from "node:crypto";
import http from "node:http";
import type { IncomingHttpHeaders } from "node:http";
import { resolveClientAddress, type Cidr } from "./ip.ts";

/**
 * The client address of a request, as the rate limiter and the audit trail need it.
 *
 * Next.js hands route handlers and server actions only headers, and it fills
 * X-Forwarded-For from the socket only when the client sent none (`??=`), so a client can
 * write any address there. Switchyard therefore reads the socket itself: when the server
 * process starts (instrumentation.ts) every incoming request is stamped, before Next.js
 * sees it, with the address resolved from the socket's peer and the configured trusted
 * proxies. The stamp carries a per-process secret, so a header a client sends under the
 * same name is worthless (and it is removed anyway).
 */
export const CLIENT_ADDRESS_HEADER = "x-switchyard-client";

interface StampState {
  secret: string;
  installed: boolean;
}

// On globalThis: instrumentation and the route bundles are separate module instances in one process.
const key = Symbol.for("switchyard.clientAddressStamp");
function state(): StampState {
  const g = globalThis as unknown as Record<symbol, StampState | undefined>;
  return (g[key] ??= { secret: randomBytes(16).toString("hex"), installed: false });
}

/** Writes the stamp (also used by tests, which have no socket). */
export function stampClientAddress(headers: Headers | IncomingHttpHeaders, address: string): void {
  const value = `${state().secret} ${address}`;
  if (headers instanceof Headers) headers.set(CLIENT_ADDRESS_HEADER, value);
  else headers[CLIENT_ADDRESS_HEADER] = value;
}

/** The stamped address, or "unknown" (no stamp, or a forged one). */
export function clientAddressOf(headers: Headers | Pick<Headers, "get"> | null | undefined): string {
  const value = headers?.get(CLIENT_ADDRESS_HEADER);
  if (!value) return "unknown";
  const space = value.indexOf(" ");
  if (space < 0 || value.slice(0, space) !== state().secret) return "unknown";
  return value.slice(space + 1) || "unknown";
}

/** Stamps every request this process's HTTP servers receive; idempotent. */
export function installClientAddressStamp(trusted: readonly Cidr[]): void {
  const s = state();
  if (s.installed) return;
  s.installed = true;
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      for (const name of Object.keys(req.headers)) if (name.startsWith(CLIENT_ADDRESS_HEADER)) delete req.headers[name];
      stampClientAddress(req.headers, resolveClientAddress(req.socket?.remoteAddress, req.headers["x-forwarded-for"], trusted));
    }
    return (emit as (this: http.Server, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
  } as typeof emit;
}
