/** Secret tags (TagResource / UntagResource) and resource policies, with AWS's limits. */
import type { RequestContext } from "../../core/types.ts";
import { invalidParameter, requireSecret, type Tag } from "./state.ts";
import { AwsError } from "../../core/types.ts";

const MAX_TAGS = 50;

/** User tags: at most 50, keys 1-128 and values up to 256 characters, no "aws:" prefix (reserved for AWS). */
export function validateTags(tags: Array<{ Key?: string; Value?: string }> | undefined): Tag[] {
  const out: Tag[] = [];
  for (const t of tags ?? []) {
    const key = t.Key ?? "";
    if (key.length < 1 || key.length > 128) throw invalidParameter("A tag key must be between 1 and 128 characters long.");
    if ((t.Value ?? "").length > 256) throw invalidParameter("A tag value can't be longer than 256 characters.");
    if (key.toLowerCase().startsWith("aws:")) throw invalidParameter(`Invalid tag key ${key}: the aws: prefix is reserved for AWS use.`);
    out.push({ Key: key, Value: t.Value ?? "" });
  }
  return out;
}

/** Same key: the new value wins; the total may not exceed 50. */
export function mergeTags(current: Tag[], added: Tag[]): Tag[] {
  const merged = [...current];
  for (const t of added) {
    const i = merged.findIndex((m) => m.Key === t.Key);
    if (i >= 0) merged[i] = t;
    else merged.push(t);
  }
  if (merged.length > MAX_TAGS) throw invalidParameter(`A secret can have at most ${MAX_TAGS} tags.`);
  return merged;
}

export function tagResource(input: { SecretId?: string; Tags?: Array<{ Key?: string; Value?: string }> }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  secret.tags = mergeTags(secret.tags, validateTags(input.Tags));
  ctx.cloud.markDirty();
  return {};
}

export function untagResource(input: { SecretId?: string; TagKeys?: string[] }, ctx: RequestContext) {
  const secret = requireSecret(ctx.cloud, ctx.region, input.SecretId);
  const keys = new Set(input.TagKeys ?? []);
  secret.tags = secret.tags.filter((t) => !keys.has(t.Key));
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
