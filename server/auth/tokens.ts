import { z } from "zod";
import { recordAudit } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { ServiceError, validationError } from "../errors.ts";
import { personOf, requireRole, type Actor } from "./actor.ts";
import { ROLES, isRole, roleAtLeast, type Role } from "./roles.ts";
import { hashToken, newToken } from "./secrets.ts";

export const createTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(64, "At most 64 characters"),
  role: z.enum(ROLES, { message: "Choose viewer, deployer or admin" }),
  /** Days until it stops working, or "never". */
  expiresIn: z.enum(["7", "30", "90", "365", "never"], { message: "Choose 7, 30, 90 or 365 days, or never" }).default("90"),
});

const DAY_MS = 24 * 3600 * 1000;

/** Creates an API token; the plain token is returned once and never stored. */
export async function createApiToken({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "admin");
  const parsed = createTokenInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const token = newToken("swy");
  const expiresAt = parsed.data.expiresIn === "never" ? null : new Date(Date.now() + Number(parsed.data.expiresIn) * DAY_MS);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      // The creator is the person the token acts for; a token made by a token acts for that token's creator.
      data: {
        name: parsed.data.name,
        role: parsed.data.role,
        prefix: token.slice(0, 10),
        tokenHash: hashToken(token),
        createdById: personOf(actor),
        expiresAt,
      },
    });
    await recordAudit(
      tx,
      actor,
      "api_token.create",
      { type: "api_token", id: created.id, label: created.name },
      { after: { name: created.name, role: created.role, prefix: created.prefix, expiresAt: created.expiresAt } },
    );
    return created;
  });
  return { token, id: row.id, name: row.name, role: row.role, prefix: row.prefix, expiresAt: row.expiresAt };
}

export async function revokeApiToken({ actor, input }: { actor: Actor; input: { id: string } }) {
  requireRole(actor, "admin");
  await db.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id: input.id } });
    if (!row) throw new ServiceError("NOT_FOUND", "No such API token.");
    if (row.revokedAt) return;
    await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await recordAudit(
      tx,
      actor,
      "api_token.revoke",
      { type: "api_token", id: row.id, label: row.name },
      { before: { revoked: false }, after: { revoked: true } },
    );
  });
}

export async function listApiTokens({ actor }: { actor: Actor }) {
  requireRole(actor, "admin");
  const rows = await db.apiToken.findMany({
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      role: true,
      prefix: true,
      createdAt: true,
      createdById: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
    },
  });
  const creators = await db.user.findMany({
    where: { id: { in: rows.flatMap((r) => (r.createdById ? [r.createdById] : [])) } },
    select: { id: true, email: true },
  });
  const emailOf = new Map(creators.map((u) => [u.id, u.email]));
  return rows.map((r) => ({
    ...r,
    createdBy: r.createdById ? (emailOf.get(r.createdById) ?? null) : null,
    expired: r.expiresAt !== null && r.expiresAt <= new Date(),
  }));
}

/**
 * The actor behind an `Authorization: Bearer <token>` header, or null for an unknown or
 * revoked token. An expired token is refused with a message saying so. A token acts for its
 * creator (four eyes counts them as one person) and never above the creator's current role; a
 * banned creator's tokens act for no one. A token with no user behind it (made by automation
 * before any user existed) keeps its own role.
 */
export async function actorFromApiToken(token: string): Promise<Actor | null> {
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt || !isRole(row.role)) return null;
  if (row.expiresAt && row.expiresAt <= new Date()) {
    throw new ServiceError(
      "UNAUTHENTICATED",
      `This API token (${row.prefix}…) expired on ${row.expiresAt.toISOString()}. Ask an admin for a new one (Admin > API tokens).`,
    );
  }
  let role: Role = row.role;
  const creator = row.createdById
    ? await db.user.findUnique({ where: { id: row.createdById }, select: { id: true, role: true, banned: true } })
    : null;
  if (creator) {
    if (creator.banned || !isRole(creator.role)) return null;
    if (!roleAtLeast(creator.role, role)) role = creator.role;
  }
  // Touch at most once a minute: a hot CI loop should not write on every call.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { kind: "token", id: row.id, label: `token:${row.name}`, role, userId: creator?.id ?? null };
}

/** Stores a token chosen by the operator (SWITCHYARD_BOOTSTRAP_TOKEN); idempotent. */
export async function ensureBootstrapToken(token: string, createdById: string | null) {
  const tokenHash = hashToken(token);
  const existing = await db.apiToken.findUnique({ where: { tokenHash } });
  if (existing) return existing;
  return db.apiToken.create({ data: { name: "bootstrap", role: "admin", prefix: token.slice(0, 10), tokenHash, createdById } });
}
