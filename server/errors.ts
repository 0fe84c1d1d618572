/**
 * Expected failures of a verb. One function at each edge (server action client, REST
 * handler) turns them into field errors, a toast, or an HTTP status; anything else is
 * unexpected: logged with a request id and shown as a generic message.
 */
export type ServiceErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "VALIDATION_FAILED"
  | "PRECONDITION_FAILED"
  | "RATE_LIMITED";

export type FieldErrors = Record<string, string[]>;

export class ServiceError extends Error {
  constructor(
    public readonly code: ServiceErrorCode,
    message: string,
    public readonly fields?: FieldErrors,
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export const httpStatusOf: Record<ServiceErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VALIDATION_FAILED: 400,
  PRECONDITION_FAILED: 412,
  RATE_LIMITED: 429,
};

/** Field errors from a zod error, keyed by dotted path ("capacity.min"). */
export function fieldErrorsOf(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

export function validationError(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): ServiceError {
  const fields = fieldErrorsOf(issues);
  const first = Object.entries(fields)[0];
  return new ServiceError("VALIDATION_FAILED", first ? `${first[0]}: ${first[1][0]}` : "Invalid input", fields);
}
