/**
 * The one pager every service uses: an offset over a sorted list, behind an opaque token
 * bound to its scope (the operation, or a fingerprint of the whole request), so a token
 * from another operation or another request is refused, as AWS does. Each service brings
 * its own limits and error codes.
 */
import { createHash } from "node:crypto";
import type { AwsError } from "./types.ts";

export interface PageRules {
  /** What the token is bound to: the operation name, or `fingerprint(request)`. */
  scope: string;
  /** Smallest and largest page size the caller may ask for. */
  min: number;
  max: number;
  /** The page size when the caller names none; undefined returns everything from the token on. */
  fallback?: number;
  /** The service's error for a page size out of range. */
  badSize: (size: number, min: number, max: number) => AwsError;
  /** The service's error for a token that is not ours (garbled, or from another scope). */
  badToken: (token: string) => AwsError;
}

export interface Page<T> {
  items: T[];
  /** The token for the next page; undefined on the last page. */
  next?: string;
}

/** A short, stable digest of a request's parameters, to bind a token to that request. */
export function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 16);
}

/** An opaque token carrying a cursor (offsets and counters) bound to `scope`. */
export function encodeToken(scope: string, cursor: Record<string, number>): string {
  return Buffer.from(JSON.stringify({ s: scope, c: cursor })).toString("base64url");
}

/** The cursor in `token`, undefined when there is no token; `badToken` when it is not ours. */
export function decodeToken<C extends Record<string, number>>(
  token: string | undefined,
  scope: string,
  badToken: (token: string) => AwsError,
): C | undefined {
  if (token === undefined || token === null || token === "") return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw badToken(token);
  }
  const { s, c } = (parsed ?? {}) as { s?: unknown; c?: unknown };
  if (s !== scope || !c || typeof c !== "object") throw badToken(token);
  return c as C;
}

/** One page of `items` from `token` on, at most `size` long (or `rules.fallback`). */
export function pageOf<T>(items: T[], token: string | undefined, size: number | undefined, rules: PageRules): Page<T> {
  const wanted = size ?? rules.fallback;
  if (wanted !== undefined && (!Number.isInteger(wanted) || wanted < rules.min || wanted > rules.max)) {
    throw rules.badSize(wanted, rules.min, rules.max);
  }
  const cursor = decodeToken<{ o: number }>(token, rules.scope, rules.badToken);
  const start = cursor?.o ?? 0;
  if (!Number.isInteger(start) || start < 0) throw rules.badToken(token ?? "");
  if (wanted === undefined) return { items: items.slice(start) };
  const end = start + wanted;
  return { items: items.slice(start, end), next: end < items.length ? encodeToken(rules.scope, { o: end }) : undefined };
}
