/** EC2's error codes, with the messages AWS sends, so SDK callers can branch on `err.name`. */
import type { PageRules } from "../../core/paging.ts";
import type { TagRules } from "../../core/tags.ts";
import { AwsError } from "../../core/types.ts";

export function notFound(code: string, what: string, ids: string[]): AwsError {
  const quoted = ids.join(", ");
  return ids.length > 1
    ? new AwsError(code, `The ${what} IDs '${quoted}' do not exist`)
    : new AwsError(code, `The ${what} ID '${quoted}' does not exist`);
}

export function invalidParameterValue(message: string): AwsError {
  return new AwsError("InvalidParameterValue", message);
}

export function missingParameter(name: string): AwsError {
  return new AwsError("MissingParameter", `The request must contain the parameter ${name}`);
}

export function dependencyViolation(kind: string, id: string): AwsError {
  return new AwsError("DependencyViolation", `The ${kind} '${id}' has dependencies and cannot be deleted.`);
}

export function required<T>(value: T | undefined | null, name: string): T {
  if (value === undefined || value === null || value === "") throw missingParameter(name);
  return value;
}

/** Ids with the wrong shape fail as "Malformed" before any lookup, as EC2 does. */
export function checkIdShape(id: string, prefix: string, malformedCode: string): void {
  if (!new RegExp(`^${prefix}-[0-9a-f]{8}([0-9a-f]{9})?$`).test(id)) {
    throw new AwsError(malformedCode, `Invalid id: "${id}"`);
  }
}

/**
 * EC2's page limits for `operation` (MaxResults 5-1000 unless the operation says otherwise);
 * without MaxResults EC2 returns everything from the token on.
 */
export function ec2Pages(operation: string, limits: { min: number; max: number } = { min: 5, max: 1000 }): PageRules {
  return {
    scope: operation,
    ...limits,
    badSize: (size, min, max) =>
      invalidParameterValue(`Value ( ${size} ) for parameter maxResults is invalid. Parameter must be between ${min} and ${max}.`),
    badToken: (token) => new AwsError("InvalidPaginationToken", `Invalid pagination token: ${token}`),
  };
}

/** EC2 tags: InvalidParameterValue for a bad tag, TagLimitExceeded past 50 on one resource. */
export const ec2TagRules: TagRules = {
  invalid: invalidParameterValue,
  tooMany: (max) => new AwsError("TagLimitExceeded", `The maximum number of tags per resource (${max}) has been exceeded.`),
};
