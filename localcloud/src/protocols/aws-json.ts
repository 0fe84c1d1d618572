/**
 * awsJson1_0 with awsQueryCompatible (CloudWatch as SDK v3 speaks it) and plain awsJson1_1
 * (Secrets Manager, SSM): POST /, operation in `x-amz-target: <targetPrefix>.<Op>`, JSON bodies
 * keyed by member names, timestamps as epoch seconds (numbers). Errors:
 * `{"__type":"<ns>#<Shape>","message"}`; query-compatible services add
 * `x-amzn-query-error: <Code>;<Sender|Receiver>`, which the SDK uses to pick the typed error.
 */
import { AwsError } from "../core/types.ts";
import { checkRequired, errorStatus, type Codec, type WireResponse, nullMemberError } from "./codec.ts";
import type { Model, Shape } from "./model.ts";
import { epochSeconds, parseTimestamp } from "./values.ts";

export function createAwsJsonCodec(model: Model): Codec {
  const prefix = model.metadata.targetPrefix ?? "";
  const contentType = `application/x-amz-json-${model.metadata.jsonVersion ?? "1.0"}`;
  const namespace = `com.amazonaws.${model.metadata.endpointPrefix === "monitoring" ? "cloudwatch" : model.metadata.endpointPrefix}`;
  const missingCode = model.service === "monitoring" ? "MissingParameter" : "ValidationException";
  const queryCompatible = model.metadata.awsQueryCompatible !== undefined;

  function errorResponse(err: AwsError, _requestId: string): WireResponse {
    const known = model.errorFor(err.code);
    const code = known?.code ?? err.code;
    const body = JSON.stringify({ __type: `${namespace}#${known?.shapeName ?? err.code}`, message: err.message });
    return {
      status: errorStatus(model, err),
      headers: queryCompatible
        ? { "content-type": contentType, "x-amzn-query-error": `${code};${err.type}` }
        : { "content-type": contentType },
      body,
    };
  }

  return {
    protocol: "json",
    model,
    operationName(req) {
      const target = String(req.headers["x-amz-target"] ?? "");
      const dot = target.lastIndexOf(".");
      if (dot < 0 || target.slice(0, dot) !== prefix) return undefined;
      return target.slice(dot + 1);
    },
    parseInput(operation, req) {
      const op = model.operation(operation)!;
      if (!op.input) return {};
      let body: unknown;
      try {
        body = req.body.length ? JSON.parse(req.body.toString("utf8")) : {};
      } catch {
        throw new AwsError("SerializationException", "The request body is not valid JSON");
      }
      const shape = model.shape(op.input.shape);
      const input = (readJson(model, shape, body, "") ?? {}) as Record<string, unknown>;
      checkRequired(shape, input, (member) => nullMemberError(missingCode, member));
      return input;
    },
    serializeOutput(operation, output): WireResponse {
      const op = model.operation(operation)!;
      const body = op.output ? writeJson(model, model.shape(op.output.shape), output ?? {}) : {};
      return { status: 200, headers: { "content-type": contentType }, body: JSON.stringify(body) };
    },
    serializeError: errorResponse,
    unknownOperation(operation) {
      return new AwsError("UnknownOperationException", operation ? `Unknown operation ${operation}` : "Missing or unknown x-amz-target");
    },
    // Plain JSON services throttle with ThrottlingException (in the SDK's retryable list, as is Throttling).
    throttlingError: () => new AwsError(queryCompatible ? "Throttling" : "ThrottlingException", "Rate exceeded", 400),
  };
}

function jsonKey(name: string, ref: { jsonName?: string }): string {
  return ref.jsonName ?? name;
}

/** JSON request value -> typed input value per shape (unknown keys dropped). */
export function readJson(model: Model, shape: Shape, value: unknown, where: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) throw mistyped(where, "an object");
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = readJson(
          model,
          model.shape(ref.shape),
          (value as Record<string, unknown>)[jsonKey(name, ref)],
          where ? `${where}.${name}` : name,
        );
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    case "list": {
      if (!Array.isArray(value)) throw mistyped(where, "a list");
      const itemShape = model.shape(shape.member!.shape);
      return value.map((item, i) => readJson(model, itemShape, item, `${where}.${i + 1}`));
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) throw mistyped(where, "a map");
      const valueShape = model.shape(shape.value!.shape);
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, readJson(model, valueShape, v, `${where}.${k}`)]),
      );
    }
    case "timestamp":
      return parseTimestamp(value as number | string, where);
    case "blob":
      return Buffer.from(String(value), "base64");
    case "integer":
    case "long":
    case "double":
    case "float":
      if (typeof value !== "number") throw mistyped(where, "a number");
      return value;
    case "boolean":
      if (typeof value !== "boolean") throw mistyped(where, "a boolean");
      return value;
    default:
      return String(value);
  }
}

/** Handler output value -> JSON value per shape (epoch-second timestamps, base64 blobs). */
export function writeJson(model: Model, shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case "structure": {
      const out: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const v = writeJson(model, model.shape(ref.shape), (value as Record<string, unknown>)[name]);
        if (v !== undefined) out[jsonKey(name, ref)] = v;
      }
      return out;
    }
    case "list": {
      const itemShape = model.shape(shape.member!.shape);
      return (value as unknown[]).map((item) => writeJson(model, itemShape, item));
    }
    case "map": {
      const valueShape = model.shape(shape.value!.shape);
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, writeJson(model, valueShape, v)]));
    }
    case "timestamp":
      return epochSeconds(value);
    case "blob":
      return Buffer.from(value as Uint8Array).toString("base64");
    default:
      return value;
  }
}

function mistyped(where: string, expected: string): AwsError {
  return new AwsError("SerializationException", `Value at '${where}' must be ${expected}`);
}
