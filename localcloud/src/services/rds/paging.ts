/** Marker/MaxRecords paging as RDS does it: MaxRecords 20-100 (default 100), an opaque marker. */
import { invalidParameterValue } from "./errors.ts";

export function pageRecords<T>(items: T[], marker: string | undefined, maxRecords: number | undefined): { items: T[]; marker?: string } {
  if (maxRecords !== undefined && (!Number.isInteger(maxRecords) || maxRecords < 20 || maxRecords > 100)) {
    throw invalidParameterValue(`Invalid value ${maxRecords} for MaxRecords. Must be between 20 and 100`);
  }
  let start = 0;
  if (marker) {
    const decoded = Number(Buffer.from(marker, "base64").toString("utf8").replace(/^o:/, ""));
    if (!Number.isInteger(decoded) || decoded < 0) throw invalidParameterValue("The marker is not valid");
    start = decoded;
  }
  const size = maxRecords ?? 100;
  const next = start + size < items.length ? Buffer.from(`o:${start + size}`).toString("base64") : undefined;
  return { items: items.slice(start, start + size), marker: next };
}
