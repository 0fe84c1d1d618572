/** CreateSecret, DescribeSecret, UpdateSecret, DeleteSecret (recovery window), RestoreSecret. */
import type { CloudApi, RequestContext } from "../../core/types.ts";
import {
  invalidParameter,
  invalidRequest,
  requireNotDeleted,
  requireNotManaged,
  requireSecret,
  resourceExists,
  secretArn,
  smState,
  validateName,
  smTagRules,
  versionsToStages,
  type SecretRecord,
  type Tag,
} from "./state.ts";
import { addVersion, hasValue, type SecretValueInput } from "./versions.ts";
import { checkTags } from "../../core/tags.ts";
import { wakeSecrets } from "./lifecycle.ts";

interface CreateInput extends SecretValueInput {
  Name?: string;
  Description?: string;
  KmsKeyId?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
  AddReplicaRegions?: unknown[];
}

function checkDescription(description: string | undefined): void {
  if (description !== undefined && description.length > 2048)
    throw invalidParameter("The description can't be longer than 2048 characters.");
}

function checkKmsKeyId(kmsKeyId: string | undefined): void {
  if (kmsKeyId !== undefined && (kmsKeyId.length < 1 || kmsKeyId.length > 2048)) throw invalidParameter("Invalid KmsKeyId.");
}

/** The record every creation path shares (the API and other services' managed secrets). */
export function newSecret(
  cloud: CloudApi,
  region: string,
  fields: { name: string; description?: string; kmsKeyId?: string; tags: Tag[]; owningService?: string },
): SecretRecord {
  const now = cloud.now();
  const secret: SecretRecord = {
    arn: secretArn(region, cloud.accountId, fields.name),
    name: fields.name,
    region,
    description: fields.description,
    kmsKeyId: fields.kmsKeyId,
    tags: fields.tags,
    versions: [],
    createdAt: now,
    lastChangedAt: now,
    owningService: fields.owningService,
  };
  smState(cloud).secrets[secret.arn] = secret;
  return secret;
}

export function createSecret(input: CreateInput, ctx: RequestContext) {
  const name = validateName(input.Name);
  checkDescription(input.Description);
  checkKmsKeyId(input.KmsKeyId);
  if (input.AddReplicaRegions?.length) throw invalidRequest("Replicating secrets to other Regions is not supported by the local cloud.");
  const tags = checkTags(input.Tags, smTagRules);
  const existing = Object.values(smState(ctx.cloud).secrets).find((s) => s.region === ctx.region && s.name === name);
  if (existing) {
    if (existing.deletedAt !== undefined)
      throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
    // A retried create (same token, same value) answers as the first one did.
    const retried = input.ClientRequestToken !== undefined && existing.versions.find((v) => v.id === input.ClientRequestToken);
    if (retried) {
      addVersion(existing, input, ["AWSCURRENT"], ctx.cloud.now());
      return { ARN: existing.arn, Name: existing.name, VersionId: retried.id };
    }
    throw resourceExists(`The operation failed because the secret ${name} already exists.`);
  }
  const secret = newSecret(ctx.cloud, ctx.region, { name, description: input.Description, kmsKeyId: input.KmsKeyId, tags });
  let versionId: string | undefined;
  try {
    if (hasValue(input)) versionId = addVersion(secret, input, ["AWSCURRENT"], ctx.cloud.now()).version.id;
  } catch (err) {
    delete smState(ctx.cloud).secrets[secret.arn];
    throw err;
  }
  ctx.cloud.markDirty();
  return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
}

/** The fields DescribeSecret and ListSecrets share (ListSecrets calls the stage map SecretVersionsToStages). */
export function secretView(s: SecretRecord) {
  return {
    ARN: s.arn,
    Name: s.name,
    Description: s.description,
    KmsKeyId: s.kmsKeyId,
    LastChangedDate: new Date(s.lastChangedAt),
    LastAccessedDate: s.lastAccessedAt !== undefined ? new Date(s.lastAccessedAt) : undefined,
    DeletedDate: s.deletedAt !== undefined ? new Date(s.deletedAt) : undefined,
    Tags: s.tags.length ? s.tags : undefined,
    OwningService: s.owningService,
    CreatedDate: new Date(s.createdAt),
  };
}

export function describeSecret(input: { SecretId?: string }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  return { ...secretView(secret), VersionIdsToStages: versionsToStages(secret) };
}

export function updateSecret(
  input: SecretValueInput & { SecretId?: string; Description?: string; KmsKeyId?: string },
  ctx: RequestContext,
) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  requireNotDeleted(secret);
  requireNotManaged(secret);
  checkDescription(input.Description);
  checkKmsKeyId(input.KmsKeyId);
  let versionId: string | undefined;
  if (hasValue(input)) versionId = addVersion(secret, input, ["AWSCURRENT"], ctx.cloud.now()).version.id;
  if (input.Description !== undefined) secret.description = input.Description;
  if (input.KmsKeyId !== undefined) secret.kmsKeyId = input.KmsKeyId;
  secret.lastChangedAt = ctx.cloud.now();
  ctx.cloud.markDirty();
  return { ARN: secret.arn, Name: secret.name, VersionId: versionId };
}

const DAY_MS = 86_400_000;

export function deleteSecret(
  input: { SecretId?: string; RecoveryWindowInDays?: number; ForceDeleteWithoutRecovery?: boolean },
  ctx: RequestContext,
) {
  const force = input.ForceDeleteWithoutRecovery ?? false;
  if (force && input.RecoveryWindowInDays !== undefined) {
    throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  const days = input.RecoveryWindowInDays ?? 30;
  if (!force && (!Number.isInteger(days) || days < 7 || days > 30)) {
    throw invalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
  }
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  requireNotManaged(secret);
  const now = ctx.cloud.now();
  if (force) {
    delete smState(ctx.cloud).secrets[secret.arn];
    ctx.cloud.markDirty();
    return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(now) };
  }
  if (secret.deletedAt !== undefined)
    throw invalidRequest("You can't perform this operation on the secret because it was already scheduled for deletion.");
  secret.deletedAt = now;
  secret.deletionAt = now + days * DAY_MS;
  wakeSecrets(ctx.cloud);
  ctx.cloud.markDirty();
  return { ARN: secret.arn, Name: secret.name, DeletionDate: new Date(secret.deletionAt) };
}

export function restoreSecret(input: { SecretId?: string }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  secret.deletedAt = undefined;
  secret.deletionAt = undefined;
  ctx.cloud.markDirty();
  return { ARN: secret.arn, Name: secret.name };
}
