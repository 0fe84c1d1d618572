import { z } from "zod";
import { recordAudit } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { ServiceError, validationError } from "../errors.ts";
import { requireRole, type Actor } from "./actor.ts";
import { ROLES, isRole } from "./roles.ts";
import { hashToken, newToken } from "./secrets.ts";

export const createTokenInput = z.object({
  name: z.string().trim().min(1, "Give the token a name").max(64, "At most 64 characters"),
  role: z.enum(ROLES, { message: "Choose viewer, deployer or admin" }),
});

/** Creates an API token; the plain token is returned once and never stored. */
export async function createApiToken({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "admin");
  const parsed = createTokenInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const token = newToken("swy");
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiToken.create({
      data: { name: parsed.data.name, role: parsed.data.role, prefix: token.slice(0, 10), tokenHash: hashToken(token), createdById: actor.id },
    });
    await recordAudit(tx, actor, "api_token.create", { type: "api_token", id: created.id, label: created.name }, { after: { name: created.name, role: created.role, prefix: created.prefix } });
    return created;
  });
  return { token, id: row.id, name: row.name, role: row.role, prefix: row.prefix };
}

export async function revokeApiToken({ actor, input }: { actor: Actor; input: { id: string } }) {
  requireRole(actor, "admin");
  await db.$transaction(async (tx) => {
    const row = await tx.apiToken.findUnique({ where: { id: input.id } });
    if (!row) throw new ServiceError("NOT_FOUND", "No such API token.");
    if (row.revokedAt) return;
    await tx.apiToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, "api_token.revoke", { type: "api_token", id: row.id, label: row.name }, { before: { revoked: false }, after: { revoked: true } });
  });
}

export async function listApiTokens({ actor }: { actor: Actor }) {
  requireRole(actor, "admin");
  return db.apiToken.findMany({
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, role: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** The actor behind an `Authorization: Bearer <token>` header, or null. */
export async function actorFromApiToken(token: string): Promise<Actor | null> {
  const row = await db.apiToken.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!row || row.revokedAt || !isRole(row.role)) return null;
  // Touch at most once a minute: a hot CI loop should not write on every call.
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } });
  }
  return { kind: "token", id: row.id, label: `token:${row.name}`, role: row.role };
}

/** Stores a token chosen by the operator (SWITCHYARD_BOOTSTRAP_TOKEN); idempotent. */
export async function ensureBootstrapToken(token: string, createdById: string | null) {
  const tokenHash = hashToken(token);
  const existing = await db.apiToken.findUnique({ where: { tokenHash } });
  if (existing) return existing;
  return db.apiToken.create({ data: { name: "bootstrap", role: "admin", prefix: token.slice(0, 10), tokenHash, createdById } });
}
