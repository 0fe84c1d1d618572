/**
 * SSM Parameter Store state: parameters keyed by "<region>/<name>" (names are unique per account
 * and region, case-sensitive), each with its version history. Times are simulated ms.
 */
import { randomBytes } from "node:crypto";
import type { PageRules } from "../../core/paging.ts";
import type { TagRules } from "../../core/tags.ts";
import { AwsError, type CloudApi } from "../../core/types.ts";

export interface Tag {
  Key: string;
  Value: string;
}

export type ParameterType = "String" | "StringList" | "SecureString";

export interface ParameterVersion {
  version: number;
  value: string;
  /** SecureString: what a read without WithDecryption returns (AWS returns the KMS ciphertext). */
  ciphertext?: string;
  type: ParameterType;
  keyId?: string;
  description?: string;
  allowedPattern?: string;
  dataType: string;
  tier: string;
  modifiedAt: number;
  modifiedBy: string;
}

export interface ParameterRecord {
  name: string;
  region: string;
  /** Oldest first; the last one is current. */
  versions: ParameterVersion[];
  tags: Tag[];
}

export interface SsmState {
  parameters: Record<string, ParameterRecord>;
}

export function initialSsmState(): SsmState {
  return { parameters: {} };
}

export function ssmState(cloud: CloudApi): SsmState {
  const s = cloud.state<SsmState>("ssm");
  s.parameters ??= {};
  return s;
}

export const paramKey = (region: string, name: string) => `${region}/${name}`;

export const validation = (message: string) => new AwsError("ValidationException", message);
export const parameterNotFound = (name: string) => new AwsError("ParameterNotFound", `Parameter ${name} not found.`);

/** SSM's page limits for `operation`: MaxResults min-max (max when not given), InvalidNextToken for a token not ours. */
export function ssmPages(operation: string, min: number, max: number): PageRules {
  return {
    scope: operation,
    min,
    max,
    fallback: max,
    badSize: (size) =>
      validation(
        `1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
      ),
    badToken: () => new AwsError("InvalidNextToken", "The specified token isn't valid."),
  };
}

/** Parameter tags: AWS's tag characters, TooManyTagsError past 50. */
export const ssmTagRules: TagRules = {
  invalid: validation,
  tooMany: (max) => new AwsError("TooManyTagsError", `A resource can have at most ${max} tags.`),
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
};

/** arn:aws:ssm:<region>:<account>:parameter/<name without its leading slash>; public parameters have no account. */
export function parameterArn(region: string, accountId: string, name: string): string {
  return `arn:aws:ssm:${region}:${accountId}:parameter/${name.replace(/^\//, "")}`;
}

export function current(p: ParameterRecord): ParameterVersion {
  return p.versions[p.versions.length - 1];
}

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;
const MAX_NAME = 1011;
const MAX_LEVELS = 15;

/** AWS's parameter name rules (PutParameter; reads just do not find a malformed name). */
export function validateName(name: string): void {
  if (name.length < 1 || name.length > MAX_NAME) throw validation(`Parameter name must be between 1 and ${MAX_NAME} characters long.`);
  if (!NAME_CHARS.test(name)) {
    throw validation("Parameter name: can only contain letters, numbers and the following symbols .-_ and /, for hierarchies.");
  }
  if (name.includes("/") && !name.startsWith("/")) throw validation("Parameter name must be a fully qualified name.");
  if (name.includes("//") || (name.length > 1 && name.endsWith("/"))) throw validation("Parameter name must be a fully qualified name.");
  const first = name.replace(/^\//, "").split("/")[0].toLowerCase();
  if (first.startsWith("aws") || first.startsWith("ssm")) {
    throw validation(
      'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_',
    );
  }
  if (name.split("/").filter(Boolean).length > MAX_LEVELS) {
    throw new AwsError("HierarchyLevelLimitExceededException", `Parameter name hierarchy level cannot exceed ${MAX_LEVELS} levels.`);
  }
}

/** A stand-in for the KMS ciphertext blob: opaque base64, never the plain value. */
export function fakeCiphertext(): string {
  return Buffer.concat([Buffer.from([1, 2, 3, 0, 120]), randomBytes(150)]).toString("base64");
}

/** Who made the change (there is no IAM identity here: the account root). */
export function modifiedBy(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}
