import { randomUUID } from "node:crypto";
import { ensureLocalAccount } from "../server/accounts/accounts.ts";
import type { Actor } from "../server/auth/actor.ts";
import type { Role } from "../server/auth/roles.ts";
import { defaultSpec, type EnvironmentSpec } from "../server/environments/spec.ts";

export function actor(role: Role, label = `${role}@example.com`): Actor {
  return { kind: "user", id: randomUUID(), label, role };
}

export const admin = actor("admin");
export const deployer = actor("deployer");
export const viewer = actor("viewer");

export async function localAccount() {
  return ensureLocalAccount("http://127.0.0.1:4566");
}

/** A valid spec named `name`, with overrides merged at the top level (and into `app`). */
export function spec(
  name: string,
  overrides: Partial<Omit<EnvironmentSpec, "app">> & { app?: Partial<EnvironmentSpec["app"]> } = {},
): EnvironmentSpec {
  const base = defaultSpec("local", "us-east-1");
  return { ...base, name, ...overrides, app: { ...base.app, ...overrides.app } };
}
