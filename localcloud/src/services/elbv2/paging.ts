/** Marker/PageSize paging as ELBv2 does it: an opaque marker, PageSize 1-400. */
import { validationError } from "./errors.ts";

export function page<T>(
  items: T[],
  marker: string | undefined,
  pageSize: number | undefined,
  maxPageSize = 400,
): { items: T[]; nextMarker?: string } {
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxPageSize)) {
    throw validationError(
      `1 validation error detected: Value '${pageSize}' at 'pageSize' failed to satisfy constraint: Member must have value between 1 and ${maxPageSize}`,
    );
  }
  let start = 0;
  if (marker) {
    const decoded = Number(Buffer.from(marker, "base64").toString("utf8").replace(/^o:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0) throw validationError("Invalid marker");
    start = decoded;
  }
  const size = pageSize ?? maxPageSize;
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`o:${start + size}`).toString("base64") : undefined;
  return { items: slice, nextMarker: next };
}
