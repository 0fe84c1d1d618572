/**
 * Secret versions and staging labels: a new version takes AWSCURRENT (by default) and the
 * version that had it becomes AWSPREVIOUS, as PutSecretValue does on AWS. A ClientRequestToken
 * is the new version's id, which makes retries idempotent.
 */
import { randomUUID } from "node:crypto";
import { invalidParameter, resourceExists, type SecretRecord, type VersionRecord } from "./state.ts";

export interface SecretValueInput {
  ClientRequestToken?: string;
  SecretString?: string;
  SecretBinary?: Uint8Array;
}

const MAX_VALUE_BYTES = 65_536;
/** AWS keeps about 100 versions; the oldest versions without a staging label go first. */
const MAX_VERSIONS = 100;

export function hasValue(input: SecretValueInput): boolean {
  return input.SecretString !== undefined || input.SecretBinary !== undefined;
}

function checkValue(input: SecretValueInput): void {
  if (input.SecretString !== undefined && input.SecretBinary !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  const size = input.SecretString !== undefined ? Buffer.byteLength(input.SecretString, "utf8") : (input.SecretBinary?.length ?? 0);
  if (size > MAX_VALUE_BYTES) throw invalidParameter(`The secret value is larger than the maximum of ${MAX_VALUE_BYTES} bytes.`);
}

function checkToken(token: string | undefined): string {
  if (token === undefined) return randomUUID();
  if (token.length < 32 || token.length > 64) {
    throw invalidParameter("ClientRequestToken must be between 32 and 64 characters long.");
  }
  return token;
}

function sameValue(v: VersionRecord, input: SecretValueInput): boolean {
  const binary = input.SecretBinary !== undefined ? Buffer.from(input.SecretBinary).toString("base64") : undefined;
  return v.secretString === input.SecretString && v.secretBinary === binary;
}

/** Move `label` to `target`, taking it off whichever version has it. */
function moveLabel(secret: SecretRecord, label: string, target: VersionRecord): void {
  for (const v of secret.versions) if (v !== target) v.stages = v.stages.filter((s) => s !== label);
  if (!target.stages.includes(label)) target.stages.push(label);
}

export function checkStages(stages: string[] | undefined): string[] {
  const list = stages ?? ["AWSCURRENT"];
  if (list.length < 1 || list.length > 20) throw invalidParameter("VersionStages must list between 1 and 20 staging labels.");
  for (const s of list) if (!s || s.length > 256) throw invalidParameter("A staging label must be between 1 and 256 characters long.");
  return [...new Set(list)];
}

/**
 * Add a version (or find the one a retried token already created). Returns the version and
 * whether it is new. A token reused with another value is refused, as AWS does.
 */
export function addVersion(
  secret: SecretRecord,
  input: SecretValueInput,
  stages: string[],
  now: number,
): { version: VersionRecord; created: boolean } {
  checkValue(input);
  const id = checkToken(input.ClientRequestToken);
  const existing = secret.versions.find((v) => v.id === id);
  if (existing) {
    if (!sameValue(existing, input)) throw resourceExists("You can't modify an existing version, you can only create a new version.");
    return { version: existing, created: false };
  }
  const version: VersionRecord = {
    id,
    secretString: input.SecretString,
    secretBinary: input.SecretBinary !== undefined ? Buffer.from(input.SecretBinary).toString("base64") : undefined,
    stages: [],
    createdAt: now,
  };
  secret.versions.push(version);
  if (stages.includes("AWSCURRENT")) {
    const previous = secret.versions.find((v) => v !== version && v.stages.includes("AWSCURRENT"));
    if (previous) moveLabel(secret, "AWSPREVIOUS", previous);
  }
  for (const label of stages) moveLabel(secret, label, version);
  prune(secret);
  secret.lastChangedAt = now;
  return { version, created: true };
}

function prune(secret: SecretRecord): void {
  while (secret.versions.length > MAX_VERSIONS) {
    const i = secret.versions.findIndex((v) => v.stages.length === 0);
    if (i < 0) return;
    secret.versions.splice(i, 1);
  }
}

/** The version VersionId and/or VersionStage select (AWSCURRENT when neither is given). */
export function selectVersion(secret: SecretRecord, versionId: string | undefined, stage: string | undefined): VersionRecord | undefined {
  if (versionId !== undefined) {
    const v = secret.versions.find((x) => x.id === versionId);
    if (!v || (stage !== undefined && !v.stages.includes(stage))) return undefined;
    return v;
  }
  const wanted = stage ?? "AWSCURRENT";
  return secret.versions.find((v) => v.stages.includes(wanted));
}

export function binaryOf(v: VersionRecord): Buffer | undefined {
  return v.secretBinary !== undefined ? Buffer.from(v.secretBinary, "base64") : undefined;
}
