import type { Tx } from "../db/client.ts";
import type { EnvironmentSpec } from "./spec.ts";

/**
 * Appends the next spec version of an environment and makes it current (history stays
 * append-only), inside the caller's transaction; `environment` carries any other column that
 * changes with it (account, region). The caller writes the audit event.
 */
export async function saveSpecVersion(
  tx: Tx,
  env: { id: string; currentVersion: number },
  spec: EnvironmentSpec,
  meta: { createdBy: string; note?: string; restoredFrom?: number },
  environment: { accountId?: string; region?: string } = {},
) {
  const version = env.currentVersion + 1;
  await tx.environmentSpecVersion.create({ data: { environmentId: env.id, version, spec: spec as object, ...meta } });
  const updated = await tx.environment.update({ where: { id: env.id }, data: { currentVersion: version, ...environment } });
  return { version, updated };
}
