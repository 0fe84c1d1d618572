import { z } from "zod";
import { recordAudit, recordAuditAlone } from "../audit/record.ts";
import { db } from "../db/client.ts";
import { ServiceError, validationError } from "../errors.ts";
import { requireRole, systemActor, type Actor } from "./actor.ts";
import { auth } from "./auth.ts";
import { ROLES, type Role } from "./roles.ts";
import { changeUserRole } from "./role-change.ts";
import { hashToken, newToken } from "./secrets.ts";

export const passwordSchema = z.string().min(12, "At least 12 characters").max(128, "At most 128 characters");
export const emailSchema = z.string().trim().toLowerCase().email("Enter a valid email address");

export const firstAdminInput = z.object({
  name: z.string().trim().min(1, "Enter your name").max(80),
  email: emailSchema,
  password: passwordSchema,
});

export async function userCount() {
  return db.user.count();
}

/** Creates a user with a password through better-auth (hashes it; our code never sees the hash). */
async function createUserWithRole(input: { name: string; email: string; password: string; role: Role }) {
  const existing = await db.user.findUnique({ where: { email: input.email } });
  if (existing)
    throw new ServiceError("CONFLICT", "A user with this email already exists.", { email: ["A user with this email already exists"] });
  const res = await auth.api.createUser({ body: { email: input.email, password: input.password, name: input.name, role: input.role } });
  return res.user;
}

/** The first visit: creates the first admin. Refused once any user exists. */
export async function createFirstAdmin({ input }: { input: unknown }) {
  const parsed = firstAdminInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  if ((await userCount()) > 0) throw new ServiceError("PRECONDITION_FAILED", "Switchyard already has an admin: sign in instead.");
  const user = await createUserWithRole({ ...parsed.data, role: "admin" });
  await recordAuditAlone(
    { ...systemActor, label: "setup" },
    "user.create_first_admin",
    { type: "user", id: user.id, label: user.email },
    { after: { email: user.email, role: "admin" } },
  );
  return user;
}

export async function listUsers({ actor }: { actor: Actor }) {
  requireRole(actor, "admin");
  return db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, email: true, role: true, createdAt: true, banned: true },
  });
}

export const setRoleInput = z.object({ userId: z.string().min(1), role: z.enum(ROLES) });

export async function setUserRole({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "admin");
  const parsed = setRoleInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  // The last-admin rule under a lock, the user's sessions ended, their tokens brought down, audited.
  await db.$transaction((tx) => changeUserRole(tx, actor, parsed.data.userId, parsed.data.role));
}

// ---- invitations ----

export const inviteInput = z.object({ email: emailSchema, role: z.enum(ROLES, { message: "Choose viewer, deployer or admin" }) });
const INVITE_TTL_MS = 7 * 24 * 3600 * 1000;

/** Returns the invite link's token once; only its hash is stored. */
export async function inviteUser({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "admin");
  const parsed = inviteInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  if (await db.user.findUnique({ where: { email: parsed.data.email } })) {
    throw new ServiceError("CONFLICT", "This person already has an account.", { email: ["This person already has an account"] });
  }
  const token = newToken("inv");
  const invite = await db.$transaction(async (tx) => {
    const created = await tx.invite.create({
      data: {
        email: parsed.data.email,
        role: parsed.data.role,
        tokenHash: hashToken(token),
        expiresAt: new Date(Date.now() + INVITE_TTL_MS),
        createdById: actor.id ?? "system",
      },
    });
    await recordAudit(
      tx,
      actor,
      "user.invite",
      { type: "invite", id: created.id, label: created.email },
      { after: { email: created.email, role: created.role } },
    );
    return created;
  });
  return { token, invite };
}

export async function listInvites({ actor }: { actor: Actor }) {
  requireRole(actor, "admin");
  return db.invite.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
  });
}

export async function revokeInvite({ actor, input }: { actor: Actor; input: { id: string } }) {
  requireRole(actor, "admin");
  await db.$transaction(async (tx) => {
    const invite = await tx.invite.findUnique({ where: { id: input.id } });
    if (!invite) throw new ServiceError("NOT_FOUND", "No such invitation.");
    await tx.invite.update({ where: { id: invite.id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, "user.invite_revoke", { type: "invite", id: invite.id, label: invite.email });
  });
}

/** The invitation behind a link, if it can still be used. */
export async function findOpenInvite(token: string) {
  const invite = await db.invite.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!invite || invite.acceptedAt || invite.revokedAt || invite.expiresAt < new Date()) return null;
  return invite;
}

export const acceptInviteInput = z.object({
  token: z.string().min(1),
  name: z.string().trim().min(1, "Enter your name").max(80),
  password: passwordSchema,
});

export async function acceptInvite({ input }: { input: unknown }) {
  const parsed = acceptInviteInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const invite = await findOpenInvite(parsed.data.token);
  if (!invite) throw new ServiceError("NOT_FOUND", "This invitation is invalid, used or expired. Ask an admin for a new one.");
  const role = invite.role as Role;
  const user = await createUserWithRole({ name: parsed.data.name, email: invite.email, password: parsed.data.password, role });
  await db.$transaction(async (tx) => {
    await tx.invite.update({ where: { id: invite.id }, data: { acceptedAt: new Date() } });
    await recordAudit(
      tx,
      { kind: "user", id: user.id, label: user.email, role },
      "user.accept_invite",
      { type: "user", id: user.id, label: user.email },
      { after: { email: user.email, role } },
    );
  });
  return { email: invite.email };
}
