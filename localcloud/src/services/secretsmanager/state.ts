/**
 * Secrets Manager state: plain JSON persisted by the store, secrets keyed by ARN. Names are
 * unique per region (a secret scheduled for deletion keeps its name until it is gone). Times are
 * simulated ms. Secret values are kept as given: this is a local emulator, there is no KMS.
 */
import { randomBytes } from "node:crypto";
import type { PageRules } from "../../core/paging.ts";
import type { TagRules } from "../../core/tags.ts";
import { AwsError, type CloudApi } from "../../core/types.ts";

export interface Tag {
  Key: string;
  Value: string;
}

export interface VersionRecord {
  id: string;
  secretString?: string;
  /** Base64, so the state stays JSON. */
  secretBinary?: string;
  stages: string[];
  createdAt: number;
}

export interface SecretRecord {
  arn: string;
  name: string;
  region: string;
  description?: string;
  /** As the caller gave it; absent means the account's aws/secretsmanager key (not shown, as AWS does). */
  kmsKeyId?: string;
  tags: Tag[];
  /** Oldest first. */
  versions: VersionRecord[];
  createdAt: number;
  lastChangedAt: number;
  lastAccessedAt?: number;
  /** When DeleteSecret was called (DescribeSecret's DeletedDate) and when the secret goes for good. */
  deletedAt?: number;
  deletionAt?: number;
  /** Set for secrets another service manages (RDS master passwords): "rds". */
  owningService?: string;
  resourcePolicy?: string;
}

export interface SecretsManagerState {
  secrets: Record<string, SecretRecord>;
}

export function initialSecretsState(): SecretsManagerState {
  return { secrets: {} };
}

export function smState(cloud: CloudApi): SecretsManagerState {
  const s = cloud.state<SecretsManagerState>("secretsmanager");
  s.secrets ??= {};
  return s;
}

export const invalidParameter = (message: string) => new AwsError("InvalidParameterException", message);
/** Secrets Manager's page limits: MaxResults 1-`max` (max when not given), InvalidNextTokenException for a token not ours. */
export function smPages(operation: string, max: number): PageRules {
  return {
    scope: operation,
    min: 1,
    max,
    fallback: max,
    badSize: () => invalidParameter(`MaxResults must be between 1 and ${max}.`),
    badToken: () => new AwsError("InvalidNextTokenException", "The NextToken value is invalid."),
  };
}

/** Secret tags: InvalidParameterException for a bad tag or more than 50. */
export const smTagRules: TagRules = {
  invalid: (message) => invalidParameter(message),
  tooMany: (max) => invalidParameter(`A secret can have at most ${max} tags.`),
};

export const invalidRequest = (message: string) => new AwsError("InvalidRequestException", message);
export const resourceExists = (message: string) => new AwsError("ResourceExistsException", message);
export const notFound = (message = "Secrets Manager can't find the specified secret.") =>
  new AwsError("ResourceNotFoundException", message);

const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 random characters>, as AWS builds it. */
export function secretArn(region: string, accountId: string, name: string): string {
  const suffix = [...randomBytes(6)].map((b) => SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length]).join("");
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

const NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

export function validateName(name: string | undefined): string {
  if (!name || !NAME.test(name)) {
    throw invalidParameter("Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
  }
  return name;
}

/**
 * The secret a SecretId names in the caller's region: its name, its full ARN, or its ARN without
 * the random suffix (a partial ARN). Secrets scheduled for deletion are found too: the callers
 * decide whether the operation is allowed on them.
 */
export function findSecret(cloud: CloudApi, region: string, secretId: string | undefined): SecretRecord | undefined {
  if (!secretId) return undefined;
  const all = Object.values(smState(cloud).secrets).filter((s) => s.region === region);
  if (secretId.startsWith("arn:")) {
    return all.find((s) => s.arn === secretId) ?? all.find((s) => s.arn.slice(0, -7) === secretId);
  }
  return all.find((s) => s.name === secretId);
}

export function requireSecret(cloud: CloudApi, region: string, secretId: string | undefined): SecretRecord {
  if (!secretId) throw invalidParameter("You must specify a SecretId.");
  const secret = findSecret(cloud, region, secretId);
  if (!secret) throw notFound();
  return secret;
}

/** AWS refuses to read or change a secret that is scheduled for deletion until it is restored. */
export function requireNotDeleted(secret: SecretRecord, action = "perform this operation on"): void {
  if (secret.deletedAt !== undefined) {
    throw invalidRequest(`You can't ${action} the secret because it was marked for deletion.`);
  }
}

/** Secrets another service manages can be read, not changed or deleted directly. */
export function requireNotManaged(secret: SecretRecord): void {
  if (secret.owningService) {
    throw invalidRequest(
      `You can't modify or delete the secret ${secret.name} because it's managed by ${secret.owningService}. Use ${secret.owningService}'s API instead.`,
    );
  }
}

/** Map of version id -> staging labels, leaving out versions without labels (as VersionIdsToStages does). */
export function versionsToStages(secret: SecretRecord): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  for (const v of secret.versions) if (v.stages.length) out[v.id] = [...v.stages];
  return Object.keys(out).length ? out : undefined;
}

/** AWS reports LastAccessedDate as the day (midnight UTC) of the last read. */
export function accessDay(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}
