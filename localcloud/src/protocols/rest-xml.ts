/**
 * restXml (CloudFront): the operation is found by HTTP method + path (`/2020-05-31/distribution/{Id}`,
 * with literal query parts like `?Operation=Tag`); input members come from URI labels, the query
 * string, headers (If-Match) and the XML payload; output headers (ETag, Location) are taken from
 * members with location "header", the body is the payload member as the root element.
 */
import { AwsError } from "../core/types.ts";
import { XML_DECLARATION, type Codec, type WireRequest, type WireResponse, xmlErrorResponse } from "./codec.ts";
import type { Model, Operation, Shape } from "./model.ts";
import { parseScalar, scalarText } from "./values.ts";
import { parseXmlDocument, readXml } from "./xml-input.ts";
import { structureXml } from "./xml-output.ts";

interface Route {
  operation: string;
  method: string;
  /** Literal segments, `{Label}` or `{Label+}` (greedy: the rest of the path). */
  segments: string[];
  /** Literal query parameters the request must carry (e.g. Operation=Tag). */
  literalQuery: Array<[string, string]>;
}

function compileRoutes(model: Model): Route[] {
  const routes = model.operationNames().map((operation) => {
    const op = model.operation(operation)!;
    const [pathPart, queryPart = ""] = op.http.requestUri.split("?");
    return {
      operation,
      method: op.http.method.toUpperCase(),
      segments: pathPart.split("/").filter(Boolean),
      literalQuery: [...new URLSearchParams(queryPart).entries()],
    };
  });
  // More specific routes first: more literal query parts, then more literal segments.
  const literals = (r: Route) => r.segments.filter((s) => !s.startsWith("{")).length;
  return routes.sort((a, b) => b.literalQuery.length - a.literalQuery.length || literals(b) - literals(a));
}

function matchRoute(route: Route, method: string, segments: string[], query: URLSearchParams): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  for (const [k, v] of route.literalQuery) if (query.get(k) !== v && !(v === "" && query.has(k))) return undefined;
  const labels: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const seg = route.segments[i];
    if (seg.startsWith("{") && seg.endsWith("+}")) {
      if (i >= segments.length) return undefined;
      labels[seg.slice(1, -2)] = segments.slice(i).join("/");
      return labels;
    }
    if (i >= segments.length) return undefined;
    if (seg.startsWith("{")) labels[seg.slice(1, -1)] = segments[i];
    else if (seg !== segments[i]) return undefined;
  }
  return route.segments.length === segments.length ? labels : undefined;
}

export function createRestXmlCodec(model: Model): Codec {
  const ns = `http://cloudfront.amazonaws.com/doc/${model.metadata.apiVersion}/`;
  const routes = compileRoutes(model);

  function resolve(req: WireRequest): { route: Route; labels: Record<string, string> } | undefined {
    const segments = req.path
      .split("/")
      .filter(Boolean)
      .map((s) => decodeURIComponent(s));
    for (const route of routes) {
      const labels = matchRoute(route, req.method.toUpperCase(), segments, req.query);
      if (labels) return { route, labels };
    }
    return undefined;
  }

  return {
    protocol: "rest-xml",
    model,
    operationName: (req) => resolve(req)?.route.operation,
    parseInput(operation, req) {
      const op = model.operation(operation)!;
      if (!op.input) return {};
      const shape = model.shape(op.input.shape);
      const labels = resolve(req)?.labels ?? {};
      const input: Record<string, unknown> = {};
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        const memberShape = model.shape(ref.shape);
        const wire = ref.locationName ?? name;
        let v: unknown;
        if (ref.location === "uri") v = labels[wire] === undefined ? undefined : parseScalar(memberShape, labels[wire], name);
        else if (ref.location === "querystring") v = readQueryMember(model, memberShape, req.query, wire, name, namedQueryKeys(shape));
        else if (ref.location === "header") {
          const h = req.headers[wire.toLowerCase()];
          v = h === undefined ? undefined : parseScalar(memberShape, String(h), name);
        }
        if (v !== undefined) input[name] = v;
      }
      Object.assign(input, readBody(model, op, shape, req));
      for (const member of shape.required ?? []) {
        if (input[member] !== undefined) continue;
        if (member === shape.payload)
          throw new AwsError(
            "MissingBody",
            "This operation requires a body. Ensure that the body is present and the Content-Type header is set.",
          );
        throw new AwsError("InvalidArgument", `The parameter ${member} is required.`);
      }
      return input;
    },
    serializeOutput(operation, output, _requestId): WireResponse {
      const op = model.operation(operation)!;
      const status = op.http.responseCode ?? 200;
      const headers: Record<string, string> = {};
      if (!op.output) return { status, headers, body: "" };
      const shape = model.shape(op.output.shape);
      const value = (output ?? {}) as Record<string, unknown>;
      for (const [name, ref] of Object.entries(shape.members ?? {})) {
        if (ref.location === "header" && value[name] !== undefined && value[name] !== null) {
          headers[(ref.locationName ?? name).toLowerCase()] = scalarText(model.shape(ref.shape), value[name]);
        }
      }
      let body = "";
      if (shape.payload) {
        const payload = value[shape.payload];
        const ref = shape.members![shape.payload];
        const payloadShape = model.shape(ref.shape);
        if (payload !== undefined && payload !== null) {
          if (payloadShape.type === "structure") {
            const rootName = ref.locationName ?? payloadShape.locationName ?? shape.payload;
            body =
              XML_DECLARATION +
              `<${rootName} xmlns="${ns}">${structureXml(model, payloadShape, payload as Record<string, unknown>, "rest")}</${rootName}>`;
          } else {
            body = typeof payload === "string" ? payload : Buffer.from(payload as Uint8Array).toString("utf8");
          }
        }
      } else {
        const inner = structureXml(model, shape, value, "rest", (m) => !!shape.members![m].location);
        if (inner) body = `${XML_DECLARATION}<${op.output.shape} xmlns="${ns}">${inner}</${op.output.shape}>`;
      }
      if (body) headers["content-type"] = "text/xml";
      return { status, headers, body };
    },
    serializeError(err, requestId): WireResponse {
      return xmlErrorResponse(model, ns, err, requestId);
    },
    unknownOperation(operation) {
      return new AwsError(
        "InvalidAction",
        operation ? `The operation ${operation} is not implemented by localcloud.` : "No operation matches this method and path.",
      );
    },
    throttlingError: () => new AwsError("Throttling", "Rate exceeded", 400),
  };
}

/** Query keys bound to a named member (a querystring map member takes all the others). */
function namedQueryKeys(shape: Shape): Set<string> {
  const keys = new Set<string>();
  for (const [name, ref] of Object.entries(shape.members ?? {})) if (ref.location === "querystring") keys.add(ref.locationName ?? name);
  return keys;
}

function readQueryMember(model: Model, shape: Shape, query: URLSearchParams, wire: string, name: string, named: Set<string>): unknown {
  if (shape.type === "list") {
    const values = query.getAll(wire);
    if (!values.length) return undefined;
    const itemShape = model.shape(shape.member!.shape);
    return values.map((v) => parseScalar(itemShape, v, name));
  }
  if (shape.type === "map") {
    const valueShape = model.shape(shape.value!.shape);
    const free = [...query.entries()].filter(([k]) => !named.has(k));
    return free.length ? Object.fromEntries(free.map(([k, v]) => [k, parseScalar(valueShape, v, name)])) : undefined;
  }
  const v = query.get(wire);
  return v === null ? undefined : parseScalar(shape, v, name);
}

/** Body members: the payload member (a structure parsed from XML, or raw text/bytes), or the body's children. */
function readBody(model: Model, _op: Operation, shape: Shape, req: WireRequest): Record<string, unknown> {
  if (!req.body.length) return {};
  if (shape.payload) {
    const ref = shape.members![shape.payload];
    const payloadShape = model.shape(ref.shape);
    if (payloadShape.type !== "structure") {
      return { [shape.payload]: payloadShape.type === "blob" ? req.body : req.body.toString("utf8") };
    }
    const { root } = parseXmlDocument(req.body.toString("utf8"));
    return { [shape.payload]: readXml(model, payloadShape, root, shape.payload) };
  }
  const hasBodyMembers = Object.values(shape.members ?? {}).some((m) => !m.location);
  if (!hasBodyMembers) return {};
  const { root } = parseXmlDocument(req.body.toString("utf8"));
  return readXml(model, shape, root, "") as Record<string, unknown>;
}
