/**
 * ec2Query: form-encoded requests with flattened `Name.N` lists; responses without a Result
 * wrapper, camelCase element names and `<item>` lists; `<Response><Errors>` errors.
 */
import { AwsError } from "../core/types.ts";
import { checkRequired, errorStatus, XML_DECLARATION, type Codec, type WireResponse } from "./codec.ts";
import { formParam, inputParams } from "./aws-query.ts";
import type { Model } from "./model.ts";
import { parseQueryInput } from "./query-input.ts";
import { escapeXml } from "./values.ts";
import { structureXml } from "./xml-output.ts";

export function createEc2QueryCodec(model: Model): Codec {
  const ns = (model.metadata.xmlNamespace ?? "http://ec2.amazonaws.com/doc/2016-11-15").replace(/\/?$/, "/");
  return {
    protocol: "ec2",
    model,
    operationName: (req) => formParam(req, "Action"),
    parseInput(operation, req) {
      const op = model.operation(operation)!;
      if (!op.input) return {};
      const params = inputParams(req);
      const shape = model.shape(op.input.shape);
      const input = parseQueryInput(model, op.input.shape, params, "ec2");
      checkRequired(shape, input, (member) => {
        const ref = shape.members![member];
        const wire = ref.queryName ?? (ref.locationName ? ref.locationName[0].toUpperCase() + ref.locationName.slice(1) : member);
        return new AwsError("MissingParameter", `The request must contain the parameter ${wire}`);
      });
      return input;
    },
    serializeOutput(operation, output, requestId): WireResponse {
      const op = model.operation(operation)!;
      // Operations without an output shape answer <return>true</return>, as EC2 does.
      const inner = op.output
        ? structureXml(model, model.shape(op.output.shape), (output ?? {}) as Record<string, unknown>, "ec2")
        : "<return>true</return>";
      const body = `${XML_DECLARATION}<${operation}Response xmlns="${ns}"><requestId>${requestId}</requestId>${inner}</${operation}Response>`;
      return { status: 200, headers: { "content-type": "text/xml;charset=UTF-8" }, body };
    },
    serializeError(err, requestId): WireResponse {
      const body =
        XML_DECLARATION +
        `<Response><Errors><Error><Code>${escapeXml(err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
      return { status: errorStatus(model, err), headers: { "content-type": "text/xml;charset=UTF-8" }, body };
    },
    unknownOperation(operation) {
      if (!operation) return new AwsError("MissingAction", "The request must contain the parameter Action");
      return new AwsError("InvalidAction", `The action ${operation} is not valid for this web service (or not implemented by localcloud).`);
    },
    throttlingError: () => new AwsError("RequestLimitExceeded", "Request limit exceeded.", 503),
  };
}
