/**
 * The one loader of an environment: a live environment by name (or NOT_FOUND) with its
 * account and its current spec, parsed once here, so no caller casts stored JSON itself.
 */
import { db, type Prisma, type Tx } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { type EnvironmentSpec, withSpecDefaults } from "./spec.ts";

type Reader = typeof db | Tx;

/**
 * A stored spec version's JSON as a spec. Specs are immutable JSON written only after
 * `specSchema` accepted them; versions saved before a field existed get its default.
 */
export function storedSpec(json: Prisma.JsonValue): EnvironmentSpec {
  return withSpecDefaults(json as unknown as EnvironmentSpec);
}

/** The spec of an environment's version `version` (its current one, usually). */
export async function loadSpec(environmentId: string, version: number, client: Reader = db) {
  const row = await client.environmentSpecVersion.findUniqueOrThrow({ where: { environmentId_version: { environmentId, version } } });
  return { spec: storedSpec(row.spec), version: row };
}

/** A live (not deleted) environment's row by name, NOT_FOUND otherwise: for reads that need no spec (hot paths). */
export async function environmentRow(name: string, client: Reader = db) {
  const env = await client.environment.findUnique({ where: { activeName: name } });
  if (!env) throw new ServiceError("NOT_FOUND", `No environment named "${name}". Check the name on the environments page.`);
  return env;
}

/** A live environment by name with its account and current spec; NOT_FOUND otherwise. Pass `tx` inside a transaction. */
export async function requireEnvironment(name: string, client: Reader = db) {
  const row = await environmentRow(name, client);
  const account = await client.awsAccount.findUniqueOrThrow({ where: { id: row.accountId } });
  const env = { ...row, account };
  const { spec, version } = await loadSpec(env.id, env.currentVersion, client);
  return { env, spec, version };
}
