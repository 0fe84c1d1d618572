import { z } from "zod";
import { requireRole, systemActor, type Actor } from "../auth/actor.ts";
import { recordAudit } from "../audit/record.ts";
import { REGIONS } from "../catalog/aws.ts";
import { db } from "../db/client.ts";
import { env } from "../env.ts";
import { ServiceError, validationError } from "../errors.ts";
import { endpointUrlProblem } from "../security/endpoint-url.ts";

/**
 * An AWS account is where environments live: real AWS through a role Switchyard assumes
 * (credentials from the default provider chain, never stored), or an endpoint URL such as
 * the local cloud's.
 */
export const accountInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(2, "At least 2 characters")
      .max(40, "At most 40 characters")
      .regex(/^[a-z0-9][a-z0-9-]*$/, "Lowercase letters, digits and hyphens"),
    defaultRegion: z.string().refine((r) => r in REGIONS, { message: "Unknown region" }),
    mode: z.enum(["role", "endpoint"], { message: "Choose how Switchyard reaches the account" }),
    roleArn: z.string().trim().optional().default(""),
    externalId: z.string().trim().max(1224).optional().default(""),
    endpointUrl: z.string().trim().optional().default(""),
  })
  .superRefine((a, ctx) => {
    if (a.mode === "role" && !/^arn:aws(-[a-z]+)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(a.roleArn)) {
      ctx.addIssue({
        code: "custom",
        path: ["roleArn"],
        message: "A role ARN looks like arn:aws:iam::123456789012:role/SwitchyardDeployer",
      });
    }
    if (a.mode === "endpoint") {
      let ok = false;
      try {
        ok = ["http:", "https:"].includes(new URL(a.endpointUrl).protocol);
      } catch {
        ok = false;
      }
      if (!ok) ctx.addIssue({ code: "custom", path: ["endpointUrl"], message: "An http(s) URL, e.g. http://127.0.0.1:4566" });
    }
  });

/**
 * The endpoint URL may not point at link-local, metadata, loopback or private addresses (the
 * server would send requests there for whoever saves it), except the configured local cloud.
 */
async function checkEndpoint(a: z.infer<typeof accountInput>) {
  if (a.mode !== "endpoint") return;
  const local = await db.awsAccount.findFirst({ where: { isLocal: true }, select: { endpointUrl: true } });
  const problem = await endpointUrlProblem(a.endpointUrl, { port: env.LOCALCLOUD_PORT, localAccountUrl: local?.endpointUrl });
  if (problem) throw new ServiceError("VALIDATION_FAILED", `endpointUrl: ${problem}`, { endpointUrl: [problem] });
}

function toRow(a: z.infer<typeof accountInput>) {
  return {
    name: a.name,
    defaultRegion: a.defaultRegion,
    roleArn: a.mode === "role" ? a.roleArn : null,
    externalId: a.mode === "role" && a.externalId ? a.externalId : null,
    endpointUrl: a.mode === "endpoint" ? a.endpointUrl : null,
  };
}

export async function listAccounts({ actor }: { actor: Actor }) {
  requireRole(actor, "viewer");
  const rows = await db.awsAccount.findMany({
    orderBy: { name: "asc" },
    include: { _count: { select: { environments: { where: { deletedAt: null } } } } },
  });
  return rows.map(({ _count, ...a }) => ({ ...a, environmentCount: _count.environments }));
}

export async function createAccount({ actor, input }: { actor: Actor; input: unknown }) {
  requireRole(actor, "admin");
  const parsed = accountInput.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  await checkEndpoint(parsed.data);
  return db.$transaction(async (tx) => {
    if (await tx.awsAccount.findUnique({ where: { name: parsed.data.name } })) {
      throw new ServiceError("CONFLICT", "name: an account with this name exists", { name: ["An account with this name already exists"] });
    }
    const row = await tx.awsAccount.create({ data: toRow(parsed.data) });
    await recordAudit(tx, actor, "account.create", { type: "account", id: row.id, label: row.name }, { after: toRow(parsed.data) });
    return row;
  });
}

/** Updates an account; its name is fixed because environment specs refer to it. */
export async function updateAccount({ actor, input }: { actor: Actor; input: { id: string; data: unknown } }) {
  requireRole(actor, "admin");
  const parsed = accountInput.safeParse(input.data);
  if (!parsed.success) throw validationError(parsed.error.issues);
  await checkEndpoint(parsed.data);
  return db.$transaction(async (tx) => {
    const before = await tx.awsAccount.findUnique({ where: { id: input.id } });
    if (!before) throw new ServiceError("NOT_FOUND", "No such account.");
    if (parsed.data.name !== before.name)
      throw new ServiceError("VALIDATION_FAILED", "name: cannot change", {
        name: ["Environment specs refer to the account by name: it cannot change"],
      });
    const row = await tx.awsAccount.update({ where: { id: before.id }, data: toRow(parsed.data) });
    const after = toRow(parsed.data);
    const b = Object.fromEntries(Object.keys(after).map((k) => [k, before[k as keyof typeof after]]));
    await recordAudit(tx, actor, "account.update", { type: "account", id: row.id, label: row.name }, { before: b, after });
    return row;
  });
}

export async function deleteAccount({ actor, input }: { actor: Actor; input: { id: string } }) {
  requireRole(actor, "admin");
  await db.$transaction(async (tx) => {
    const row = await tx.awsAccount.findUnique({ where: { id: input.id }, include: { _count: { select: { environments: true } } } });
    if (!row) throw new ServiceError("NOT_FOUND", "No such account.");
    if (row._count.environments > 0)
      throw new ServiceError(
        "PRECONDITION_FAILED",
        `${row.name} still has environments (including deleted ones kept for history); it cannot be removed.`,
      );
    await tx.awsAccount.delete({ where: { id: row.id } });
    await recordAudit(tx, actor, "account.delete", { type: "account", id: row.id, label: row.name }, { before: { name: row.name } });
  });
}

/** The "local" account pointing at the local cloud, created on first start. */
export async function ensureLocalAccount(endpointUrl: string) {
  const existing = await db.awsAccount.findUnique({ where: { name: "local" } });
  if (existing) return existing;
  return db.$transaction(async (tx) => {
    const row = await tx.awsAccount.create({ data: { name: "local", defaultRegion: "us-east-1", endpointUrl, isLocal: true } });
    await recordAudit(
      tx,
      systemActor,
      "account.create",
      { type: "account", id: row.id, label: row.name },
      { after: { name: "local", endpointUrl } },
    );
    return row;
  });
}
