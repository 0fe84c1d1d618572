import { requireRole, type Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";
import { diffSpecs } from "./diff.ts";
import type { EnvironmentSpec } from "./spec.ts";
import { requireEnvironment, storedSpec } from "./load.ts";

export interface EnvironmentSummary {
  id: string;
  name: string;
  status: string;
  region: string;
  account: string;
  version: number;
  appVersion: string;
  instanceType: string;
  capacity: { min: number; desired: number; max: number };
  protected: boolean;
  updatedAt: Date;
}

/** Environments for the list page and the API: one query, no per-row lookups. */
export async function listEnvironments({ actor, input = {} }: { actor: Actor; input?: { q?: string; limit?: number; cursor?: string } }) {
  requireRole(actor, "viewer");
  const limit = Math.min(Math.max(input.limit ?? 100, 1), 500);
  const q = input.q?.trim();
  const rows = await db.$queryRaw<
    Array<Omit<EnvironmentSummary, "appVersion" | "instanceType" | "capacity" | "protected"> & { spec: EnvironmentSpec }>
  >`
    SELECT e.id, e.name, e.status, e.region, a.name AS account, e."currentVersion" AS version, v.spec, e."updatedAt"
    FROM environment e
    JOIN aws_account a ON a.id = e."accountId"
    JOIN environment_spec_version v ON v."environmentId" = e.id AND v.version = e."currentVersion"
    WHERE e."deletedAt" IS NULL
      AND (${q ?? null}::text IS NULL OR e.name ILIKE '%' || ${q ?? ""} || '%')
      AND (${input.cursor ?? null}::text IS NULL OR e.name > ${input.cursor ?? ""})
    ORDER BY e.name
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit).map(
    (r): EnvironmentSummary => ({
      id: r.id,
      name: r.name,
      status: r.status,
      region: r.region,
      account: r.account,
      version: r.version,
      appVersion: r.spec.app.version,
      instanceType: r.spec.instanceType,
      capacity: r.spec.capacity,
      protected: r.spec.protected,
      updatedAt: r.updatedAt,
    }),
  );
  return { environments: page, nextCursor: rows.length > limit ? page[page.length - 1].name : null };
}

export async function countEnvironments({ actor }: { actor: Actor }) {
  requireRole(actor, "viewer");
  return db.environment.count({ where: { deletedAt: null } });
}

/** One environment with its current spec. */
export async function getEnvironment({ actor, input }: { actor: Actor; input: { name: string } }) {
  requireRole(actor, "viewer");
  const { env, spec, version } = await requireEnvironment(input.name);
  return { environment: env, spec, version };
}

/** The version history, newest first, each with its diff against the version before it. */
export async function listSpecVersions({ actor, input }: { actor: Actor; input: { name: string } }) {
  requireRole(actor, "viewer");
  const { env } = await requireEnvironment(input.name);
  const versions = await db.environmentSpecVersion.findMany({ where: { environmentId: env.id }, orderBy: { version: "asc" } });
  return versions
    .map((v, i) => ({
      version: v.version,
      createdAt: v.createdAt,
      createdBy: v.createdBy,
      note: v.note,
      restoredFrom: v.restoredFrom,
      spec: storedSpec(v.spec),
      changes: i === 0 ? [] : diffSpecs(versions[i - 1].spec, v.spec),
    }))
    .reverse();
}
