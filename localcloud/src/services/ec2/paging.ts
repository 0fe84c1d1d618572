/**
 * MaxResults/NextToken paging. The token is opaque to callers (base64 of an offset and the
 * operation), so a token from one operation is refused by another, as AWS does.
 */
import { AwsError } from "../../core/types.ts";

export interface PageLimits {
  min: number;
  max: number;
}

export function paginate<T>(
  items: T[],
  operation: string,
  input: { MaxResults?: number; NextToken?: string },
  limits: PageLimits = { min: 5, max: 1000 },
): { page: T[]; NextToken?: string } {
  let start = 0;
  if (input.NextToken) {
    try {
      const decoded = JSON.parse(Buffer.from(input.NextToken, "base64").toString("utf8"));
      if (decoded.op !== operation || typeof decoded.offset !== "number") throw new Error("foreign token");
      start = decoded.offset;
    } catch {
      throw new AwsError("InvalidPaginationToken", `Invalid pagination token: ${input.NextToken}`);
    }
  }
  if (input.MaxResults === undefined) {
    // Without MaxResults EC2 returns everything from the token on.
    return { page: items.slice(start) };
  }
  if (input.MaxResults < limits.min || input.MaxResults > limits.max) {
    throw new AwsError(
      "InvalidParameterValue",
      `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Parameter must be between ${limits.min} and ${limits.max}.`,
    );
  }
  const page = items.slice(start, start + input.MaxResults);
  const next = start + input.MaxResults;
  return {
    page,
    NextToken: next < items.length ? Buffer.from(JSON.stringify({ op: operation, offset: next })).toString("base64") : undefined,
  };
}
