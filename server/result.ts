import { randomUUID } from "node:crypto";
import { ServiceError, type FieldErrors, type ServiceErrorCode } from "./errors.ts";
import { logger } from "./log.ts";

/** What a server action returns to its form: data, or an error a person can act on. */
export type ActionResult<T = undefined> =
  | { ok: true; data: T; message?: string }
  | { ok: false; code: ServiceErrorCode | "INTERNAL"; message: string; fields?: FieldErrors; values?: unknown };

/**
 * The one edge between server actions and verbs: expected errors (ServiceError) become a
 * result the form shows on its fields; anything else is logged with a request id and the
 * user sees a generic message carrying that id.
 */
export async function runAction<T>(fn: () => Promise<T>, opts: { values?: unknown; message?: string } = {}): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await fn(), message: opts.message };
  } catch (e) {
    // redirect()/notFound() from next/navigation work by throwing: let them through.
    if (
      e &&
      typeof e === "object" &&
      "digest" in e &&
      typeof (e as { digest: unknown }).digest === "string" &&
      (e as { digest: string }).digest.startsWith("NEXT_")
    )
      throw e;
    if (e instanceof ServiceError) return { ok: false, code: e.code, message: e.message, fields: e.fields, values: opts.values };
    const requestId = randomUUID();
    logger.error("action failed", { requestId, error: e instanceof Error ? e.stack : String(e) });
    return { ok: false, code: "INTERNAL", message: `Something went wrong (request ${requestId}).`, values: opts.values };
  }
}
