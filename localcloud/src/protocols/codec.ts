/** What the server and the protocol codecs exchange. */
import type { IncomingHttpHeaders } from "node:http";
import { AwsError } from "../core/types.ts";
import type { Model, Shape } from "./model.ts";
import { escapeXml } from "./values.ts";

export type ProtocolName = "query" | "ec2" | "json" | "rest-xml";

export interface WireRequest {
  method: string;
  /** Path without the query string, not decoded. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Already gunzipped. */
  body: Buffer;
  /** Query protocols: URL query parameters followed by the form body's. */
  form?: Array<[string, string]>;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface Codec {
  readonly protocol: ProtocolName;
  readonly model: Model;
  /** The operation the request names (without parsing the input); undefined when it names none. */
  operationName(req: WireRequest): string | undefined;
  /** Wire request -> input object keyed by model member names. Throws AwsError on bad input. */
  parseInput(operation: string, req: WireRequest): Record<string, unknown>;
  serializeOutput(operation: string, output: unknown, requestId: string): WireResponse;
  serializeError(err: AwsError, requestId: string): WireResponse;
  /** The error for a request naming no operation or one the model does not have. */
  unknownOperation(operation: string | undefined): AwsError;
  /** How this protocol says "slow down" (the SDK retries it). */
  throttlingError(): AwsError;
}

/**
 * HTTP status for an error: the handler's, unless it kept the default 400 while the model
 * declares another for that error (e.g. CloudFront NoSuchDistribution 404).
 */
export function errorStatus(model: Model, err: AwsError): number {
  if (err.status === 400) return model.errorFor(err.code)?.status ?? 400;
  return err.status >= 300 ? err.status : 500;
}

/** The top-level required members AWS validates before the service sees the call. */
export function checkRequired(shape: Shape, input: Record<string, unknown>, makeError: (member: string) => AwsError): void {
  for (const member of shape.required ?? []) {
    if (input[member] === undefined) throw makeError(member);
  }
}

export function lowerFirst(s: string): string {
  return s[0].toLowerCase() + s.slice(1);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A missing required member as the awsQuery and awsJson services word it (`code` differs by service). */
export function nullMemberError(code: string, member: string): AwsError {
  return new AwsError(
    code,
    `1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`,
  );
}

/** The XML error document of the awsQuery and restXml protocols (EC2 has its own). */
export function xmlErrorResponse(model: Model, ns: string, err: AwsError, requestId: string): WireResponse {
  const code = model.errorFor(err.code)?.code ?? err.code;
  const body =
    XML_DECLARATION +
    `<ErrorResponse xmlns="${ns}"><Error><Type>${err.type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: errorStatus(model, err), headers: { "content-type": "text/xml" }, body };
}
