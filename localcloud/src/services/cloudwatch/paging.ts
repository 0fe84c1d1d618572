/** Opaque NextTokens bound to the request they page, so a token from another request is refused. */
import { createHash } from "node:crypto";
import { AwsError } from "../../core/types.ts";

export function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);
}

export function encodeToken(fp: string, cursor: Record<string, number | string>): string {
  return Buffer.from(JSON.stringify({ fp, ...cursor })).toString("base64url");
}

export function decodeToken<C>(token: string | undefined, fp: string): C | undefined {
  if (token === undefined || token === null || token === "") return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (parsed && parsed.fp === fp) return parsed as C;
  } catch {
    // fall through to the error below
  }
  throw new AwsError("InvalidNextToken", "The service returned an error with Error Code InvalidNextToken.", 400);
}

/** Offset paging over a sorted list (ListMetrics, DescribeAlarms, DescribeAlarmHistory). */
export function pageByOffset<T>(items: T[], token: string | undefined, fp: string, pageSize: number): { items: T[]; NextToken?: string } {
  const cursor = decodeToken<{ o: number }>(token, fp);
  const start = cursor?.o ?? 0;
  const slice = items.slice(start, start + pageSize);
  return { items: slice, NextToken: start + pageSize < items.length ? encodeToken(fp, { o: start + pageSize }) : undefined };
}
