import type { EnvironmentSpec } from "../environments/spec.ts";

/** The REST API's environment representation. */
export function environmentResource(
  env: { id: string; name: string; status: string; currentVersion: number; createdAt: Date; updatedAt: Date },
  spec: EnvironmentSpec,
) {
  return {
    id: env.id,
    name: env.name,
    status: env.status,
    specVersion: env.currentVersion,
    createdAt: env.createdAt.toISOString(),
    updatedAt: env.updatedAt.toISOString(),
    spec,
  };
}
