import { db, type Tx } from "../db/client.ts";
import { ServiceError, validationError } from "../errors.ts";
import { NEW_NAME_MAX, specSchema, type EnvironmentSpec } from "./spec.ts";

/** Parses a spec and checks what needs the database: the account exists, the name is free. */
export async function validateSpec(
  input: unknown,
  opts: { tx?: Tx; existingId?: string } = {},
): Promise<{ spec: EnvironmentSpec; accountId: string }> {
  const parsed = specSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const spec = parsed.data;
  if (!opts.existingId && spec.name.length > NEW_NAME_MAX) {
    const message = `At most ${NEW_NAME_MAX} characters (AWS names get Switchyard's "sy-" prefix; target group names are limited to 32)`;
    throw new ServiceError("VALIDATION_FAILED", `name: ${message}`, { name: [message] });
  }
  const client = opts.tx ?? db;
  const account = await client.awsAccount.findUnique({ where: { name: spec.account } });
  if (!account)
    throw new ServiceError("VALIDATION_FAILED", `account: no AWS account named "${spec.account}"`, {
      account: [`No AWS account named "${spec.account}"`],
    });
  const taken = await client.environment.findUnique({ where: { activeName: spec.name } });
  if (taken && taken.id !== opts.existingId) {
    throw new ServiceError("CONFLICT", `name: an environment named "${spec.name}" already exists`, {
      name: [`An environment named "${spec.name}" already exists`],
    });
  }
  return { spec, accountId: account.id };
}
