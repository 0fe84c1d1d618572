/** EC2's error codes, with the messages AWS sends, so SDK callers can branch on `err.name`. */
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
