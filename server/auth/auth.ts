import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import { admin } from "better-auth/plugins";
import { createAccessControl } from "better-auth/plugins/access";
import { adminAc, defaultStatements } from "better-auth/plugins/admin/access";
import { db } from "../db/client.ts";
import { appUrl, env } from "../env.ts";

/**
 * Sessions and password sign-in (better-auth). Public sign-up is off: users come from the
 * first-admin setup, the bootstrap variables, or an admin's invitation, all of which call
 * `auth.api.createUser` on the server. Roles are ours (viewer < deployer < admin) and only
 * admins can set them.
 */
const ac = createAccessControl(defaultStatements);
const roles = {
  viewer: ac.newRole({ user: [], session: [] }),
  deployer: ac.newRole({ user: [], session: [] }),
  admin: ac.newRole(adminAc.statements),
};

const testMode = env.SWITCHYARD_TEST_MODE === "1";

export const auth = betterAuth({
  appName: "Switchyard",
  baseURL: appUrl,
  secret: env.BETTER_AUTH_SECRET ?? "switchyard-build-time-placeholder-secret-0000",
  database: prismaAdapter(db, { provider: "postgresql" }),
  account: { modelName: "authAccount" },
  emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 12, autoSignIn: true },
  // No cookie cache: a role change or revoked session must take effect on the next request.
  session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
  trustedOrigins: [appUrl, `http://localhost:${env.PORT}`, `http://127.0.0.1:${env.PORT}`],
  rateLimit: { enabled: !testMode, window: 60, max: 100, customRules: { "/sign-in/email": { window: 60, max: 10 } } },
  telemetry: { enabled: false },
  plugins: [admin({ ac, roles, defaultRole: "viewer", adminRoles: ["admin"] }), nextCookies()],
});

export type Session = typeof auth.$Infer.Session;
