/** MaxResults / NextToken paging for SSM: an opaque offset token, InvalidNextToken when it is not ours. */
import { AwsError } from "../../core/types.ts";
import { validation } from "./state.ts";

export function pageOf<T>(items: T[], input: { MaxResults?: number; NextToken?: string }, min: number, max: number, fallback: number) {
  const size = input.MaxResults ?? fallback;
  if (!Number.isInteger(size) || size < min || size > max) {
    throw validation(
      `1 validation error detected: Value '${size}' at 'maxResults' failed to satisfy constraint: Member must have value between ${min} and ${max}`,
    );
  }
  let start = 0;
  if (input.NextToken !== undefined) {
    const m = /^ssm1:(\d+)$/.exec(Buffer.from(input.NextToken, "base64").toString("utf8"));
    if (!m) throw new AwsError("InvalidNextToken", "The specified token isn't valid.");
    start = Number(m[1]);
  }
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, NextToken: end < items.length ? Buffer.from(`ssm1:${end}`).toString("base64") : undefined };
}
