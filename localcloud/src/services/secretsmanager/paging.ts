/** MaxResults / NextToken paging; the token is an opaque offset, refused when it was not ours. */
import { AwsError } from "../../core/types.ts";
import { invalidParameter } from "./state.ts";

export function pageOf<T>(items: T[], input: { MaxResults?: number; NextToken?: string }, max: number): { page: T[]; NextToken?: string } {
  const size = input.MaxResults ?? max;
  if (!Number.isInteger(size) || size < 1 || size > max) throw invalidParameter(`MaxResults must be between 1 and ${max}.`);
  let start = 0;
  if (input.NextToken !== undefined) {
    const m = /^sm1:(\d+)$/.exec(Buffer.from(input.NextToken, "base64").toString("utf8"));
    if (!m) throw new AwsError("InvalidNextTokenException", "The NextToken value is invalid.");
    start = Number(m[1]);
  }
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return { page, NextToken: end < items.length ? Buffer.from(`sm1:${end}`).toString("base64") : undefined };
}
