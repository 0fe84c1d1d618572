/**
 * Helpers for the security tests: real users through better-auth, requests to its HTTP
 * handler as a browser would send them (with the client address stamp the server puts on
 * every request), and session cookies for calling REST route handlers.
 */
import { auth } from "../auth/auth.ts";
import type { Actor } from "../auth/actor.ts";
import type { Role } from "../auth/roles.ts";
import { appUrl } from "../env.ts";
import { stampClientAddress } from "./client-address.ts";

export async function createUser(email: string, role: Role, password = "correct-horse-battery") {
  const { user } = await auth.api.createUser({ body: { email, password, name: email.split("@")[0], role } });
  return {
    id: user.id,
    email: user.email,
    password,
    actor: { kind: "user", id: user.id, label: user.email, role } satisfies Actor as Actor,
  };
}

export interface AuthRequestOptions {
  method?: string;
  body?: unknown;
  /** The socket's peer as the server would stamp it. */
  address?: string;
  headers?: Record<string, string>;
  cookie?: string;
}

/** A request through better-auth's HTTP handler (what /api/auth/[...all] serves). */
export async function authRequest(path: string, opts: AuthRequestOptions = {}): Promise<Response> {
  const headers = new Headers({ origin: appUrl, ...(opts.headers ?? {}) });
  if (opts.body !== undefined) headers.set("content-type", "application/json");
  if (opts.cookie) headers.set("cookie", opts.cookie);
  if (opts.address) stampClientAddress(headers, opts.address);
  return auth.handler(
    new Request(`${appUrl}/api/auth${path}`, {
      method: opts.method ?? (opts.body === undefined ? "GET" : "POST"),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    }),
  );
}

/** `name=value; name2=value2` from a response's Set-Cookie headers. */
export function cookieFrom(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .filter((c) => !c.endsWith("="))
    .join("; ");
}

/** Signs in over HTTP and returns the session cookie. */
export async function sessionCookie(email: string, password: string, address = "192.0.2.200"): Promise<string> {
  const res = await authRequest("/sign-in/email", { body: { email, password }, address });
  if (res.status !== 200) throw new Error(`sign-in of ${email} failed: HTTP ${res.status} ${await res.text()}`);
  return cookieFrom(res);
}
