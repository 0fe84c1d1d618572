/** Master passwords: validated, then only a salted scrypt hash is kept (never returned, never logged). */
import { randomBytes, scryptSync } from "node:crypto";
import { invalidParameterValue } from "./errors.ts";

export function validateMasterPassword(password: string | undefined, engine: string): string {
  if (!password) throw invalidParameterValue("The parameter MasterUserPassword must be provided and must not be blank.");
  const max = engine === "mysql" ? 41 : 128;
  if (password.length < 8 || password.length > max) {
    throw invalidParameterValue(
      `The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters or longer than ${max}.`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(password) || /[/@"]/.test(password)) {
    throw invalidParameterValue(
      "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.",
    );
  }
  return password;
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  // Low cost: this is a simulator; the point is that the plain text is never kept.
  return `scrypt$${salt.toString("hex")}$${scryptSync(password, salt, 32, { N: 1024 }).toString("hex")}`;
}
