/**
 * awsQuery (Auto Scaling, ELBv2, RDS, and CloudWatch's query form): form-encoded requests,
 * `<OpResponse><OpResult>...</OpResult><ResponseMetadata>` responses, `<ErrorResponse>` errors.
 */
import { AwsError } from "../core/types.ts";
import { checkRequired, errorStatus, lowerFirst, XML_DECLARATION, type Codec, type WireRequest, type WireResponse } from "./codec.ts";
import type { Model } from "./model.ts";
import { parseQueryInput } from "./query-input.ts";
import { escapeXml } from "./values.ts";
import { structureXml } from "./xml-output.ts";

const CONTROL_PARAMS = new Set(["Action", "Version"]);

export function formParam(req: WireRequest, name: string): string | undefined {
  for (const [k, v] of req.form ?? []) if (k === name) return v;
  return undefined;
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
      const params = (req.form ?? []).filter(([k]) => !CONTROL_PARAMS.has(k));
      const input = parseQueryInput(model, op.input.shape, params, "query");
      checkRequired(
        model.shape(op.input.shape),
        input,
        (member) =>
          new AwsError(
            missingCode,
            `1 validation error detected: Value null at '${lowerFirst(member)}' failed to satisfy constraint: Member must not be null`,
          ),
      );
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
      const code = model.errorFor(err.code)?.code ?? err.code;
      const body =
        XML_DECLARATION +
        `<ErrorResponse xmlns="${ns}"><Error><Type>${err.type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      return { status: errorStatus(model, err), headers: { "content-type": "text/xml" }, body };
    },
    unknownOperation(operation) {
      if (!operation) return new AwsError("MissingAction", "The request must contain the parameter Action");
      return new AwsError("InvalidAction", `The action ${operation} is not valid for this web service (or not implemented by localcloud).`);
    },
    throttlingError: () => new AwsError("Throttling", "Rate exceeded", 400),
  };
}
