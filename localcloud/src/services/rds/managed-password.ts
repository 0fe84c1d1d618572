/**
 * ManageMasterUserPassword: RDS keeps the master password in a Secrets Manager secret it owns
 * (name rds!db-<uuid>, JSON {"username","password"}, tagged as AWS tags it), shows it as
 * MasterUserSecret, rotates it on request and deletes it with the instance. The secret is made
 * through the Secrets Manager module's own API (imported), so both services share one state.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { CloudApi, RequestContext } from "../../core/types.ts";
import { createManagedSecret, deleteManagedSecret, putManagedSecretValue } from "../secretsmanager/index.ts";
import type { DbInstanceRecord } from "./state.ts";
import { invalidParameterCombination } from "./errors.ts";
import { hashPassword } from "./password.ts";

/** Letters, digits and the punctuation RDS accepts in master passwords (no / @ " ' or space). */
const PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&()*+,-.:;<=>?[]^_{|}~";

function generatePassword(length = 28): string {
  return [...randomBytes(length)].map((b) => PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length]).join("");
}

function secretValue(db: DbInstanceRecord, password: string): string {
  return JSON.stringify({ username: db.masterUsername, password });
}

export interface ManagedPasswordInput {
  MasterUserPassword?: string;
  ManageMasterUserPassword?: boolean;
  MasterUserSecretKmsKeyId?: string;
}

/** CreateDBInstance: a password and ManageMasterUserPassword exclude each other; a secret key needs the latter. */
export function checkCreateCombination(input: ManagedPasswordInput): boolean {
  const managed = input.ManageMasterUserPassword === true;
  if (managed && input.MasterUserPassword !== undefined) {
    throw invalidParameterCombination("You can't specify MasterUserPassword and ManageMasterUserPassword at the same time.");
  }
  if (!managed && input.MasterUserSecretKmsKeyId !== undefined) {
    throw invalidParameterCombination("You can specify MasterUserSecretKmsKeyId only when ManageMasterUserPassword is true.");
  }
  return managed;
}

/** Generate the password, keep its hash on the instance and the plain text in the owned secret. */
export function manageMasterPassword(cloud: CloudApi, db: DbInstanceRecord, kmsKeyId: string | undefined): void {
  const password = generatePassword();
  const { arn, kmsKeyId: key } = createManagedSecret(cloud, {
    region: db.region,
    name: `rds!db-${randomUUID()}`,
    description: `Secret associated with primary RDS DB instance: ${db.arn}`,
    secretString: secretValue(db, password),
    tags: [
      { Key: "aws:rds:primaryDBInstanceArn", Value: db.arn },
      { Key: "aws:secretsmanager:owningService", Value: "rds" },
    ],
    owningService: "rds",
    kmsKeyId,
  });
  db.masterPasswordHash = hashPassword(password);
  db.masterUserSecret = { secretArn: arn, kmsKeyId: key };
}

/** Stop managing: the secret goes at once (the caller sets the new password's hash). */
export function releaseMasterSecret(cloud: CloudApi, db: DbInstanceRecord): void {
  if (!db.masterUserSecret) return;
  deleteManagedSecret(cloud, db.masterUserSecret.secretArn);
  db.masterUserSecret = undefined;
}

export function masterUserSecretView(db: DbInstanceRecord) {
  return db.masterUserSecret
    ? { SecretArn: db.masterUserSecret.secretArn, SecretStatus: "active", KmsKeyId: db.masterUserSecret.kmsKeyId }
    : undefined;
}

interface ModifyPasswordInput extends ManagedPasswordInput {
  RotateMasterUserPassword?: boolean;
  ApplyImmediately?: boolean;
}

/**
 * ModifyDBInstance's password settings, validated before anything changes. Returns the change to
 * apply (undefined when none was asked for): "manage" (create the secret), "release" (delete it, use
 * MasterUserPassword), "rotate" (new password in the secret), "password" (a plain new password).
 */
export function planPasswordChange(
  db: DbInstanceRecord,
  input: ModifyPasswordInput,
): "manage" | "release" | "rotate" | "password" | undefined {
  const managed = db.masterUserSecret !== undefined;
  const want = input.ManageMasterUserPassword;
  if (input.RotateMasterUserPassword) {
    if (!managed && want !== true)
      throw invalidParameterCombination(
        "You can rotate the master user password only when it is managed in Secrets Manager (ManageMasterUserPassword).",
      );
    if (!input.ApplyImmediately)
      throw invalidParameterCombination("You must specify ApplyImmediately when rotating the master user password.");
    if (want === false || input.MasterUserPassword !== undefined)
      throw invalidParameterCombination(
        "RotateMasterUserPassword can't be combined with MasterUserPassword or turning ManageMasterUserPassword off.",
      );
  }
  // The key is chosen when management is turned on; AWS does not change it afterwards.
  if (input.MasterUserSecretKmsKeyId !== undefined && (managed || want !== true)) {
    throw invalidParameterCombination(
      "You can specify MasterUserSecretKmsKeyId only when turning on ManageMasterUserPassword; the KMS key of an existing master user secret can't be changed.",
    );
  }
  if (want === true) {
    if (input.MasterUserPassword !== undefined)
      throw invalidParameterCombination("You can't specify MasterUserPassword and ManageMasterUserPassword at the same time.");
    return managed ? (input.RotateMasterUserPassword ? "rotate" : undefined) : "manage";
  }
  if (want === false) {
    if (!managed) return input.MasterUserPassword !== undefined ? "password" : undefined;
    if (input.MasterUserPassword === undefined)
      throw invalidParameterCombination("You must specify MasterUserPassword when you turn off ManageMasterUserPassword.");
    return "release";
  }
  if (managed && input.MasterUserPassword !== undefined) {
    throw invalidParameterCombination(
      "You can't specify MasterUserPassword for a DB instance whose master user password is managed in Secrets Manager. Turn off ManageMasterUserPassword first.",
    );
  }
  if (input.RotateMasterUserPassword) return "rotate";
  return input.MasterUserPassword !== undefined ? "password" : undefined;
}

/** A new password in the owned secret (AWSCURRENT; the old one becomes AWSPREVIOUS). */
export function rotateMasterPassword(ctx: RequestContext, db: DbInstanceRecord): void {
  if (!db.masterUserSecret) return;
  const password = generatePassword();
  putManagedSecretValue(ctx.cloud, db.masterUserSecret.secretArn, secretValue(db, password));
  db.masterPasswordHash = hashPassword(password);
}
