/**
 * What other services call directly (imported, not looked up by name): secrets that a service
 * manages for the caller, as RDS does for master passwords (ManageMasterUserPassword). They carry
 * OwningService, so the Secrets Manager API refuses to change or delete them.
 */
import { createHash } from "node:crypto";
import type { CloudApi } from "../../core/types.ts";
import { smState, type SecretRecord, type Tag } from "./state.ts";
import { newSecret } from "./secrets.ts";
import { addVersion } from "./versions.ts";

export interface ManagedSecretSpec {
  region: string;
  name: string;
  description: string;
  secretString: string;
  /** Tags the owning service sets (aws: keys allowed here, unlike through the API). */
  tags: Tag[];
  owningService: string;
  /** Absent: the account's aws/secretsmanager key. */
  kmsKeyId?: string;
}

/** The ARN of the account's AWS managed key aws/secretsmanager in a region (stable, like AWS's). */
export function defaultSecretsKmsKeyArn(accountId: string, region: string): string {
  const h = createHash("sha256").update(`${accountId}/${region}/aws/secretsmanager`).digest("hex");
  const uuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `arn:aws:kms:${region}:${accountId}:key/${uuid}`;
}

/** Create a managed secret with its first (AWSCURRENT) version; returns its ARN and KMS key. */
export function createManagedSecret(cloud: CloudApi, spec: ManagedSecretSpec): { arn: string; kmsKeyId: string } {
  const kmsKeyId = spec.kmsKeyId ?? defaultSecretsKmsKeyArn(cloud.accountId, spec.region);
  const secret = newSecret(cloud, spec.region, {
    name: spec.name,
    description: spec.description,
    kmsKeyId,
    tags: spec.tags,
    owningService: spec.owningService,
  });
  addVersion(secret, { SecretString: spec.secretString }, ["AWSCURRENT"], cloud.now());
  cloud.markDirty();
  return { arn: secret.arn, kmsKeyId };
}

export function getManagedSecret(cloud: CloudApi, arn: string): SecretRecord | undefined {
  return smState(cloud).secrets[arn];
}

/** A new AWSCURRENT version (the previous one becomes AWSPREVIOUS), e.g. a rotated password. */
export function putManagedSecretValue(cloud: CloudApi, arn: string, secretString: string): void {
  const secret = smState(cloud).secrets[arn];
  if (!secret) return;
  addVersion(secret, { SecretString: secretString }, ["AWSCURRENT"], cloud.now());
  cloud.markDirty();
}

/** The owning service deletes its secret at once (no recovery window). */
export function deleteManagedSecret(cloud: CloudApi, arn: string): void {
  if (smState(cloud).secrets[arn]) {
    delete smState(cloud).secrets[arn];
    cloud.markDirty();
  }
}
