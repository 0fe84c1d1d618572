import { ServiceError } from "../errors.ts";

/**
 * Input no verb can serve, refused once at the REST entry point (apiRoute, jsonBody) instead
 * of in every route: a NUL character anywhere (PostgreSQL refuses 0x00 in text and JSON, so it
 * used to surface as a 500 from whichever query met it first), a body that is not a JSON
 * object, and a path whose percent-encoding does not decode.
 */

const NUL = "\u0000";

const refuse = (message: string, field = "_request") => new ServiceError("VALIDATION_FAILED", message, { [field]: [message] });

/** Refuses a URL with a NUL in its path or query, or a path segment that is not valid percent-encoding. */
export function checkRequestUrl(rawUrl: string): void {
  const url = new URL(rawUrl);
  for (const segment of url.pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw refuse("The path is not valid percent-encoding.", "_path");
    }
    if (decoded.includes(NUL)) throw refuse("The path contains a NUL character.", "_path");
  }
  for (const [key, value] of url.searchParams) {
    if (key.includes(NUL) || value.includes(NUL))
      throw refuse(
        `The query parameter ${JSON.stringify(key.replaceAll(NUL, "\\0"))} contains a NUL character.`,
        key.replaceAll(NUL, "") || "_query",
      );
  }
}

/** Route parameters as Next decoded them; a segment it cannot decode or one holding a NUL is the caller's mistake. */
export async function checkedParams<C>(params: Promise<C>): Promise<C> {
  let resolved: C;
  try {
    resolved = await params;
  } catch (e) {
    if (e instanceof URIError) throw refuse("The path is not valid percent-encoding.", "_path");
    throw e;
  }
  for (const [key, value] of Object.entries((resolved ?? {}) as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === "string" && v.includes(NUL)))
      throw refuse(`The path parameter ${key} contains a NUL character.`, "_path");
  }
  return resolved;
}

/**
 * A parsed JSON body as the object every endpoint expects: `null`, arrays, numbers and strings
 * are refused, and so is a NUL in any key or string (reported with its dotted path).
 */
export function checkJsonObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw refuse(
      `The request body must be a JSON object, not ${value === null ? "null" : Array.isArray(value) ? "an array" : `a ${typeof value}`}.`,
      "_body",
    );
  }
  // Iterative: a deeply nested body must not overflow the stack.
  const stack: Array<{ v: unknown; path: string[] }> = [{ v: value, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === "string") {
      if (v.includes(NUL)) throw refuse("Text may not contain a NUL character.", path.join(".") || "_body");
    } else if (v && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes(NUL)) throw refuse("A key may not contain a NUL character.", [...path, k.replaceAll(NUL, "")].join(".") || "_body");
        stack.push({ v: child, path: [...path, k] });
      }
    }
  }
  return value as Record<string, unknown>;
}
