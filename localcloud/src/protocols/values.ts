/** Scalar conversions shared by the codecs: wire strings -> typed values, typed values -> wire. */
import { AwsError } from "../core/types.ts";
import type { Shape } from "./model.ts";

/** Parse a scalar sent as text (query parameters, XML text, headers) per its shape type. */
export function parseScalar(shape: Shape, text: string, where: string): unknown {
  switch (shape.type) {
    case "integer":
    case "long": {
      const n = Number(text.trim());
      if (!Number.isInteger(n)) throw invalid(where, text, "an integer");
      return n;
    }
    case "double":
    case "float": {
      const n = Number(text.trim());
      if (text.trim() === "" || Number.isNaN(n)) throw invalid(where, text, "a number");
      return n;
    }
    case "boolean": {
      const v = text.trim().toLowerCase();
      if (v === "true") return true;
      if (v === "false") return false;
      throw invalid(where, text, "a boolean");
    }
    case "timestamp":
      return parseTimestamp(text, where);
    case "blob":
      return Buffer.from(text, "base64");
    default:
      return text;
  }
}

/** Timestamps arrive as ISO 8601, epoch seconds, or (restXml headers) RFC 822 dates. */
export function parseTimestamp(value: string | number, where: string): Date {
  if (typeof value === "number") return new Date(value * 1000);
  const text = value.trim();
  const date = /^-?\d+(\.\d+)?$/.test(text) ? new Date(Number(text) * 1000) : new Date(text);
  if (Number.isNaN(date.getTime())) throw invalid(where, value, "a timestamp");
  return date;
}

/** Handlers may return timestamps as Date, epoch ms, or an ISO string. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "number") return new Date(value);
  return new Date(String(value));
}

/** XML form: ISO 8601 with milliseconds, as the query services send it. */
export function isoTimestamp(value: unknown): string {
  return toDate(value).toISOString();
}

/** JSON form: epoch seconds as a number (the SDK throws on an ISO string here). */
export function epochSeconds(value: unknown): number {
  return toDate(value).getTime() / 1000;
}

/** Text form of a scalar output value for XML / headers. */
export function scalarText(shape: Shape, value: unknown): string {
  switch (shape.type) {
    case "timestamp":
      return isoTimestamp(value);
    case "blob":
      return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString("base64") : String(value);
    case "boolean":
      return value ? "true" : "false";
    default:
      return String(value);
  }
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

function invalid(where: string, value: unknown, expected: string): AwsError {
  return new AwsError("ValidationError", `Value '${String(value)}' at '${where}' failed to satisfy constraint: must be ${expected}`);
}
