import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/admin/access";
import { db } from "../db/client.ts";
import { appUrl, env } from "../env.ts";
import { switchyardGuard } from "./guard.ts";
import { ssoDatabaseHooks, ssoPlugins } from "./sso.ts";

/**
 * Sessions and password sign-in (better-auth), and SSO through OpenID Connect when configured
 * (sso.ts). Public sign-up is off: users come from the first-admin setup, the bootstrap
 * variables, an admin's invitation (all of which call `auth.api.createUser` on the server) or
 * SSO. Roles are ours (viewer < deployer < admin); only Switchyard's verbs change them: the
 * admin plugin's HTTP endpoints are closed (guard.ts).
 */
const ac = createAccessControl(defaultStatements);
const roles = {
  viewer: ac.newRole({ user: [], session: [] }),
  deployer: ac.newRole({ user: [], session: [] }),
  admin: ac.newRole(adminAc.statements),
};

const testMode = env.SWITCHYARD_TEST_MODE === "1";

/** Where Switchyard's own pages are served from: auth's origin check and the REST API's CSRF check. */
export const trustedOrigins = [appUrl, `http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`];

export const auth = betterAuth({
  appName: "Switchyard",
  baseURL: appUrl,
  secret: env.BETTER_AUTH_SECRET ?? "switchyard-build-time-placeholder-secret-0000",
  database: prismaAdapter(db, { provider: "postgresql" }),
  account: { modelName: "authAccount" },
  emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, autoSignIn: true },
  // No cookie cache: a role change or revoked session must take effect on the next request.
  session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
  trustedOrigins,
  // better-auth's own limiter is per process and keyed on X-Forwarded-For; password attempts
  // are counted by Switchyard's limit instead (guard.ts, shared by replicas, unforgeable key).
  rateLimit: { enabled: !testMode, window: 60, max: 100, customRules: { "/sign-in/email": false } },
  telemetry: { enabled: false },
  databaseHooks: ssoDatabaseHooks,
  // The guard first: it closes the admin plugin's HTTP endpoints and counts password attempts.
  plugins: [switchyardGuard(), admin({ ac, roles, defaultRole: "viewer", adminRoles: ["admin"] }), ...ssoPlugins(), nextCookies()],
});

export type Session = typeof auth.$Infer.Session;
