/** Secret tags (TagResource / UntagResource) and resource policies, with AWS's limits. */
import type { RequestContext } from "../../core/types.ts";
import { checkTags, mergeTags, withoutKeys } from "../../core/tags.ts";
import { requireSecret, smTagRules } from "./state.ts";
import { AwsError } from "../../core/types.ts";

export function tagResource(input: { SecretId?: string; Tags?: Array<{ Key?: string; Value?: string }> }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  secret.tags = mergeTags(secret.tags, checkTags(input.Tags, smTagRules), smTagRules);
  ctx.cloud.markDirty();
  return {};
}

export function untagResource(input: { SecretId?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  secret.tags = withoutKeys(secret.tags, input.TagKeys);
  ctx.cloud.markDirty();
  return {};
}

/** No policy is shown until one is put (GetResourcePolicy then omits ResourcePolicy). */
export function getResourcePolicy(input: { SecretId?: string }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  return { ARN: secret.arn, Name: secret.name, ResourcePolicy: secret.resourcePolicy };
}

/** The policy must be a JSON object; it is kept, not enforced (no IAM evaluation here). */
export function putResourcePolicy(input: { SecretId?: string; ResourcePolicy?: string }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  let parsed: unknown;
  try {
    parsed = JSON.parse(input.ResourcePolicy ?? "");
  } catch {
    parsed = undefined;
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new AwsError("MalformedPolicyDocumentException", "This resource policy contains an unsupported or malformed JSON document.");
  }
  secret.resourcePolicy = input.ResourcePolicy;
  ctx.cloud.markDirty();
  return { ARN: secret.arn, Name: secret.name };
}

export function deleteResourcePolicy(input: { SecretId?: string }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  secret.resourcePolicy = undefined;
  ctx.cloud.markDirty();
  return { ARN: secret.arn, Name: secret.name };
}
