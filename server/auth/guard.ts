import type { BetterAuthPlugin } from "better-auth";
import { APIError, createAuthMiddleware, getSessionFromCtx, isAPIError } from "better-auth/api";
import { clientAddressOf } from "../security/client-address.ts";
import { beginPasswordAttempt, endPasswordAttempt, SignInLimitedError } from "../security/sign-in-limit.ts";

/**
 * Switchyard's rules inside better-auth, so they hold however an endpoint is reached (its HTTP
 * handler under /api/auth, or `auth.api.*` from a server action):
 *
 * - every password check is counted by the one sign-in limit (server/security/sign-in-limit.ts),
 *   keyed on the account and the client address;
 * - the admin plugin's endpoints are not reachable over HTTP: set-role, create-user,
 *   impersonate-user, ban, remove-user, set-user-password and the rest would bypass the
 *   last-admin rule and the audit log. Admin work goes through Switchyard's verbs
 *   (server/auth/users.ts), which may still call `auth.api.createUser` on the server.
 */

/** Endpoints that check a password, and how to find whose. */
const PASSWORD_CHECKS: Record<string, (ctx: { body?: unknown }) => Promise<string | null> | string | null> = {
  "/sign-in/email": (ctx) => emailOf(ctx.body),
  "/change-password": async (ctx) => (await getSessionFromCtx(ctx as never))?.user.email ?? null,
};

function emailOf(body: unknown): string | null {
  const email = body && typeof body === "object" ? (body as { email?: unknown }).email : undefined;
  return typeof email === "string" ? email.trim().toLowerCase() : null;
}

/** The path below /api/auth, decoded and collapsed, so "/api/auth//ADMIN/%73et-role" is seen as "/admin/set-role". */
export function authPathOf(url: string): string {
  let path = new URL(url).pathname;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(path); i++) {
    try {
      path = decodeURIComponent(path);
    } catch {
      break;
    }
  }
  path = path.replace(/[\\/]+/g, "/").toLowerCase();
  return path.startsWith("/api/auth/") ? path.slice("/api/auth".length) : path;
}

export function switchyardGuard(): BetterAuthPlugin {
  return {
    id: "switchyard-guard",
    // HTTP only: server-side auth.api calls never pass through here.
    onRequest: async (request) => {
      const path = authPathOf(request.url);
      if (path === "/admin" || path.startsWith("/admin/")) {
        return {
          response: Response.json(
            { code: "NOT_FOUND", message: "Not found. Manage users under Admin > Users; every change is checked and audited there." },
            { status: 404 },
          ),
        };
      }
    },
    hooks: {
      before: [
        {
          matcher: (ctx) => Boolean(ctx.path && ctx.path in PASSWORD_CHECKS),
          handler: createAuthMiddleware(async (ctx) => {
            const email = await PASSWORD_CHECKS[ctx.path](ctx);
            if (!email) return;
            const address = clientAddressOf(ctx.headers);
            try {
              await beginPasswordAttempt({ email, address });
            } catch (e) {
              if (!(e instanceof SignInLimitedError)) throw e;
              throw new APIError(
                "TOO_MANY_REQUESTS",
                { code: "TOO_MANY_ATTEMPTS", message: e.message },
                { "Retry-After": String(e.retryAfterSeconds) },
              );
            }
          }),
        },
      ],
      after: [
        {
          matcher: (ctx) => Boolean(ctx.path && ctx.path in PASSWORD_CHECKS),
          handler: createAuthMiddleware(async (ctx) => {
            // The before hook counted this attempt (or refused it, and then this does not run).
            const email = await PASSWORD_CHECKS[ctx.path](ctx);
            if (!email) return;
            await endPasswordAttempt({ email, address: clientAddressOf(ctx.headers), succeeded: !isAPIError(ctx.context.returned) });
          }),
        },
      ],
    },
  };
}
