/** MaxRecords/NextToken paging for Auto Scaling's describe calls; a foreign or garbled token is InvalidNextToken. */
import { AwsError } from "../../core/types.ts";

export function paginateRecords<T>(
  items: T[],
  operation: string,
  input: { MaxRecords?: number; NextToken?: string },
  defaultMax = 50,
  limit = 100,
): { page: T[]; NextToken?: string } {
  let start = 0;
  if (input.NextToken) {
    try {
      const decoded = JSON.parse(Buffer.from(input.NextToken, "base64").toString("utf8"));
      if (decoded.op !== operation || typeof decoded.offset !== "number") throw new Error("foreign token");
      start = decoded.offset;
    } catch {
      throw new AwsError("InvalidNextToken", "The token provided is not valid.");
    }
  }
  const max = input.MaxRecords ?? defaultMax;
  if (max < 1 || max > limit) throw new AwsError("ValidationError", `MaxRecords must be between 1 and ${limit}.`);
  const page = items.slice(start, start + max);
  const next = start + max;
  return {
    page,
    NextToken: next < items.length ? Buffer.from(JSON.stringify({ op: operation, offset: next })).toString("base64") : undefined,
  };
}
