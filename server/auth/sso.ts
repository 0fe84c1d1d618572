import type { BetterAuthOptions } from "better-auth";
import { APIError } from "better-auth/api";
import { genericOAuth } from "better-auth/plugins/generic-oauth";
import { recordAuditAlone } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { env } from "../env.ts";
import { logger } from "../log.ts";
import { ServiceError } from "../errors.ts";
import type { Actor } from "./actor.ts";
import { changeUserRole } from "./role-change.ts";
import { roleAtLeast, type Role } from "./roles.ts";

/**
 * Sign-in through an OpenID Connect provider (SWITCHYARD_OIDC_*), next to passwords, on
 * better-auth's generic OAuth plugin: discovery, authorization code with PKCE, ID tokens
 * verified against the provider's keys and bound to a nonce.
 *
 * The role comes from a claim (SWITCHYARD_OIDC_ROLE_CLAIM, e.g. `groups`) mapped by
 * SWITCHYARD_OIDC_ROLE_MAP and is applied at every sign-in, so a change of groups at the
 * provider takes effect at the next sign-in (through the same verb as an admin's change:
 * last-admin rule, sessions ended, tokens brought down, audit). Someone whose claims map to
 * no role is refused unless SWITCHYARD_OIDC_DEFAULT_ROLE gives one.
 *
 * Register `<SWITCHYARD_URL>/api/auth/callback/oidc` as the redirect URI at the provider.
 */
export const SSO_PROVIDER_ID = "oidc";

export const ssoProvider = env.SWITCHYARD_OIDC_ISSUER ? { id: SSO_PROVIDER_ID, name: env.SWITCHYARD_OIDC_NAME } : null;

const ssoActor: Actor = { kind: "system", id: null, label: "sso", role: "admin" };

/** The claim at a dotted path ("groups", "realm_access.roles"), as a list of strings. */
function claimValues(profile: Record<string, unknown>, claimPath: string): string[] {
  let value: unknown = profile;
  for (const part of claimPath.split("."))
    value = value && typeof value === "object" ? (value as Record<string, unknown>)[part] : undefined;
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** The highest role any of the claim's values maps to, else the default ("none": no access). */
export function roleFromClaims(
  profile: Record<string, unknown>,
  config: { claim: string; map: ReadonlyArray<{ value: string; role: Role }>; defaultRole: Role | "none" } = {
    claim: env.SWITCHYARD_OIDC_ROLE_CLAIM,
    map: env.SWITCHYARD_OIDC_ROLE_MAP,
    defaultRole: env.SWITCHYARD_OIDC_DEFAULT_ROLE,
  },
): Role | "none" {
  const values = new Set(claimValues(profile, config.claim));
  let best: Role | null = null;
  for (const m of config.map) if (values.has(m.value) && (!best || !roleAtLeast(best, m.role))) best = m.role;
  return best ?? config.defaultRole;
}

// The role a provider's claims gave, between reading the profile and creating the session of
// the same callback request (one process, a few milliseconds apart).
const pending = new Map<string, { role: Role | "none"; at: number }>();
const PENDING_MS = 60_000;

function remember(email: string, role: Role | "none") {
  const now = Date.now();
  for (const [k, v] of pending) if (now - v.at > PENDING_MS) pending.delete(k);
  pending.set(email, { role, at: now });
}

function pendingRole(email: string, consume: boolean): Role | "none" | null {
  const p = pending.get(email);
  if (!p || Date.now() - p.at > PENDING_MS) return null;
  if (consume) pending.delete(email);
  return p.role;
}

function noRole(): APIError {
  return new APIError("FORBIDDEN", {
    code: "no_switchyard_role",
    message: "Your identity provider account has no Switchyard role. Ask an admin to add you to a group that maps to one.",
  });
}

/** The generic OAuth plugin with our provider, or nothing when SSO is not configured. */
export function ssoPlugins() {
  if (!env.SWITCHYARD_OIDC_ISSUER || !env.SWITCHYARD_OIDC_CLIENT_ID || !env.SWITCHYARD_OIDC_CLIENT_SECRET) return [];
  const issuer = env.SWITCHYARD_OIDC_ISSUER.replace(/\/+$/, "");
  return [
    genericOAuth({
      config: [
        {
          providerId: SSO_PROVIDER_ID,
          name: env.SWITCHYARD_OIDC_NAME,
          discoveryUrl: `${issuer}/.well-known/openid-configuration`,
          requireIdTokenVerification: true,
          clientId: env.SWITCHYARD_OIDC_CLIENT_ID,
          clientSecret: env.SWITCHYARD_OIDC_CLIENT_SECRET,
          scopes: env.SWITCHYARD_OIDC_SCOPES.split(/[\s,]+/).filter(Boolean),
          mapProfileToUser: (profile) => {
            const email = typeof profile.email === "string" ? profile.email.trim().toLowerCase() : "";
            if (email) remember(email, roleFromClaims(profile as Record<string, unknown>));
            return typeof profile.name === "string" && profile.name ? { name: profile.name } : { name: email };
          },
        },
      ],
    }),
  ];
}

/**
 * Applies the provider's role: a new user is created with it (or not at all), an existing
 * user's role follows it before the session is made.
 */
export const ssoDatabaseHooks: NonNullable<BetterAuthOptions["databaseHooks"]> = {
  user: {
    create: {
      before: async (user) => {
        const role = pendingRole(String(user.email ?? "").toLowerCase(), false);
        if (role === null) return;
        if (role === "none") throw noRole();
        return { data: { ...user, role } };
      },
      after: async (user) => {
        const role = (user as { role?: string }).role;
        if (pendingRole(user.email.toLowerCase(), false) === null) return;
        await recordAuditAlone(
          ssoActor,
          "user.create_sso",
          { type: "user", id: user.id, label: user.email },
          { after: { email: user.email, role } },
        );
      },
    },
  },
  session: {
    create: {
      before: async (session) => {
        if (pending.size === 0) return; // not an SSO sign-in
        const user = await db.user.findUnique({ where: { id: session.userId }, select: { id: true, email: true, role: true } });
        if (!user) return;
        const role = pendingRole(user.email, true);
        if (role === null) return;
        if (role === "none") throw noRole();
        if (role === user.role) return;
        try {
          await db.$transaction((tx) => changeUserRole(tx, ssoActor, user.id, role));
        } catch (e) {
          // The last admin keeps the role; everything else is unexpected.
          if (!(e instanceof ServiceError && e.code === "PRECONDITION_FAILED")) throw e;
          logger.warn("sso: kept the last admin's role", { user: user.email, claimRole: role });
        }
      },
    },
  },
};
