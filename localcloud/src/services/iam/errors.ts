/** IAM's errors with AWS's codes and wording (statuses come from the model: 404, 409...). */
import { AwsError } from "../../core/types.ts";

export const noSuchEntity = (message: string) => new AwsError("NoSuchEntity", message, 404);
export const entityAlreadyExists = (message: string) => new AwsError("EntityAlreadyExists", message, 409);
export const deleteConflict = (message: string) => new AwsError("DeleteConflict", message, 409);
export const limitExceeded = (message: string) => new AwsError("LimitExceeded", message, 409);
export const malformedPolicy = (message: string) => new AwsError("MalformedPolicyDocument", message, 400);
export const invalidInput = (message: string) => new AwsError("InvalidInput", message, 400);
/** Constraint violations the service front end reports before IAM sees the call. */
export const validationError = (message: string) => new AwsError("ValidationError", message, 400);

export const roleNotFound = (name: string) => noSuchEntity(`The role with name ${name} cannot be found.`);
export const instanceProfileNotFound = (name: string) => noSuchEntity(`Instance Profile ${name} cannot be found.`);
export const policyNotFound = (arn: string) => noSuchEntity(`Policy ${arn} was not found.`);

const NAME_PATTERN = /^[\w+=,.@-]+$/;
const PATH_PATTERN = /^(\/|\/[\u0021-\u007F]+\/)$/;

/** `1 validation error detected: ...` as the AWS front end words a member that breaks its model constraint. */
function constraint(value: string, member: string, rule: string): AwsError {
  return validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);
}

export function checkName(value: string, member: string, max: number): string {
  if (value.length < 1 || value.length > max)
    return fail(constraint(value, member, `Member must have length less than or equal to ${max}`));
  if (!NAME_PATTERN.test(value)) return fail(constraint(value, member, "Member must satisfy regular expression pattern: [\\w+=,.@-]+"));
  return value;
}

export function checkPath(value: string | undefined, member = "path"): string {
  if (value === undefined) return "/";
  if (value.length > 512 || !PATH_PATTERN.test(value)) {
    return fail(constraint(value, member, "Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)"));
  }
  return value;
}

export function checkMaxItems(value: number | undefined): number {
  if (value === undefined) return 100;
  if (value < 1 || value > 1000)
    return fail(
      constraint(
        String(value),
        "maxItems",
        `Member must have value ${value < 1 ? "greater than or equal to 1" : "less than or equal to 1000"}`,
      ),
    );
  return value;
}

function fail(err: AwsError): never {
  throw err;
}
