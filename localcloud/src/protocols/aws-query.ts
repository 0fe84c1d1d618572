/**
 * awsQuery (Auto Scaling, ELBv2, RDS, and CloudWatch's query form): form-encoded requests,
 * `<OpResponse><OpResult>...</OpResult><ResponseMetadata>` responses, `<ErrorResponse>` errors.
 */
import { AwsError } from "../core/types.ts";
import {
  checkRequired,
  XML_DECLARATION,
  type Codec,
  type WireRequest,
  type WireResponse,
  nullMemberError,
  xmlErrorResponse,
} from "./codec.ts";
import type { Model } from "./model.ts";
import { parseQueryInput } from "./query-input.ts";
import { structureXml } from "./xml-output.ts";

const CONTROL_PARAMS = new Set(["Action", "Version"]);

export function formParam(req: WireRequest, name: string): string | undefined {
  for (const [k, v] of req.form ?? []) if (k === name) return v;
  return undefined;
}

/** The request's parameters less Action and Version: the operation's input (awsQuery and ec2Query). */
export function inputParams(req: WireRequest): Array<[string, string]> {
  return (req.form ?? []).filter(([k]) => !CONTROL_PARAMS.has(k));
}

export function createAwsQueryCodec(model: Model): Codec {
  const ns = model.metadata.xmlNamespace ?? "";
  /** CloudWatch (awsQueryCompatible) reports a missing parameter as MissingParameter, the others as ValidationError. */
  const missingCode = model.service === "monitoring" ? "MissingParameter" : "ValidationError";
  return {
    protocol: "query",
    model,
    operationName: (req) => formParam(req, "Action"),
    parseInput(operation, req) {
      const op = model.operation(operation)!;
      if (!op.input) return {};
      const params = inputParams(req);
      const input = parseQueryInput(model, op.input.shape, params, "query");
      checkRequired(model.shape(op.input.shape), input, (member) => nullMemberError(missingCode, member));
      return input;
    },
    serializeOutput(operation, output, requestId): WireResponse {
      const op = model.operation(operation)!;
      let result = "";
      if (op.output) {
        const wrapper = op.output.resultWrapper ?? `${operation}Result`;
        const inner = structureXml(model, model.shape(op.output.shape), (output ?? {}) as Record<string, unknown>, "query");
        result = `<${wrapper}>${inner}</${wrapper}>`;
      }
      const body =
        XML_DECLARATION +
        `<${operation}Response xmlns="${ns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
      return { status: 200, headers: { "content-type": "text/xml" }, body };
    },
    serializeError(err, requestId): WireResponse {
      return xmlErrorResponse(model, ns, err, requestId);
    },
    unknownOperation(operation) {
      if (!operation) return new AwsError("MissingAction", "The request must contain the parameter Action");
      return new AwsError("InvalidAction", `The action ${operation} is not valid for this web service (or not implemented by localcloud).`);
    },
    throttlingError: () => new AwsError("Throttling", "Rate exceeded", 400),
  };
}
