import { recordAudit } from "../audit/record.ts";
import type { Tx } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import type { Actor } from "./actor.ts";
import { ROLES, roleAtLeast, type Role } from "./roles.ts";

/**
 * Serialises every change to who is an admin (one PostgreSQL advisory lock, held until the
 * transaction ends), so two admins demoting each other at the same moment cannot both pass
 * the "at least one admin" check.
 */
export async function lockAdmins(tx: Tx): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(7316001)`;
}

/**
 * Sets a user's role inside the caller's transaction: keeps at least one admin, ends the
 * user's sessions (the role takes effect at once), brings the user's API tokens down to the
 * new role (a token never acts above its creator), and audits each change.
 */
export async function changeUserRole(tx: Tx, actor: Actor, userId: string, role: Role): Promise<void> {
  await lockAdmins(tx);
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) throw new ServiceError("NOT_FOUND", "No such user.");
  if (user.role === role) return;
  if (user.role === "admin" && role !== "admin" && (await tx.user.count({ where: { role: "admin" } })) <= 1) {
    throw new ServiceError("PRECONDITION_FAILED", "Switchyard needs at least one admin.");
  }
  await tx.user.update({ where: { id: user.id }, data: { role } });
  await tx.session.deleteMany({ where: { userId: user.id } });
  await recordAudit(
    tx,
    actor,
    "user.set_role",
    { type: "user", id: user.id, label: user.email },
    { before: { role: user.role }, after: { role } },
  );

  const above = ROLES.filter((r) => !roleAtLeast(role, r));
  const tokens = await tx.apiToken.findMany({ where: { createdById: user.id, revokedAt: null, role: { in: above } } });
  for (const t of tokens) {
    await tx.apiToken.update({ where: { id: t.id }, data: { role } });
    await recordAudit(
      tx,
      actor,
      "api_token.downgrade",
      { type: "api_token", id: t.id, label: t.name },
      { before: { role: t.role }, after: { role } },
    );
  }
}
