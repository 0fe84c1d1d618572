/** GetSecretValue, PutSecretValue and ListSecretVersionIds. */
import type { RequestContext } from "../../core/types.ts";
import { accessDay, invalidParameter, notFound, requireNotDeleted, requireNotManaged, requireSecret, smPages } from "./state.ts";
import { addVersion, binaryOf, checkStages, hasValue, selectVersion, type SecretValueInput } from "./versions.ts";
import { pageOf } from "../../core/paging.ts";

export function getSecretValue(input: { SecretId?: string; VersionId?: string; VersionStage?: string }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  requireNotDeleted(secret);
  const version = selectVersion(secret, input.VersionId, input.VersionStage);
  if (!version) {
    const what = input.VersionId !== undefined ? `VersionId: ${input.VersionId}` : `staging label: ${input.VersionStage ?? "AWSCURRENT"}`;
    throw notFound(`Secrets Manager can't find the specified secret value for ${what}`);
  }
  const day = accessDay(ctx.cloud.now());
  if (secret.lastAccessedAt !== day) {
    secret.lastAccessedAt = day;
    ctx.cloud.markDirty();
  }
  return {
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.id,
    SecretString: version.secretString,
    SecretBinary: binaryOf(version),
    VersionStages: [...version.stages],
    CreatedDate: new Date(version.createdAt),
  };
}

export function putSecretValue(input: SecretValueInput & { SecretId?: string; VersionStages?: string[] }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  requireNotDeleted(secret);
  requireNotManaged(secret);
  if (!hasValue(input)) throw invalidParameter("You must provide either SecretString or SecretBinary.");
  const stages = checkStages(input.VersionStages);
  const { version } = addVersion(secret, input, stages, ctx.cloud.now());
  ctx.cloud.markDirty();
  return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: [...version.stages] };
}

export function listSecretVersionIds(
  input: { SecretId?: string; MaxResults?: number; NextToken?: string; IncludeDeprecated?: boolean },
  ctx: RequestContext,
) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  // Versions without a staging label are "deprecated": listed only on request.
  const versions = secret.versions.filter((v) => input.IncludeDeprecated || v.stages.length > 0).reverse();
  const { items: page, next: NextToken } = pageOf(versions, input.NextToken, input.MaxResults, smPages("ListSecretVersionIds", 100));
  return {
    Versions: page.map((v) => ({
      VersionId: v.id,
      VersionStages: [...v.stages],
      CreatedDate: new Date(v.createdAt),
      LastAccessedDate: secret.lastAccessedAt !== undefined ? new Date(secret.lastAccessedAt) : undefined,
    })),
    NextToken,
    ARN: secret.arn,
    Name: secret.name,
  };
}
