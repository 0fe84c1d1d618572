/**
 * The HTTP front door: one port for every service. Per request: admin API, or identify the
 * service (CloudFront path, x-amz-target, form Version, SigV4 scope) and its codec, count the
 * call, apply injected faults, decode, run the handler, encode. Signatures are not verified.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gunzipSync, inflateSync } from "node:zlib";
import type { LocalCloud } from "./core/cloud.ts";
import { foreignRequest, handleAdmin } from "./core/admin-api.ts";
import { authorizeCall, resolveCaller } from "./core/authz/index.ts";
import { requestId as newRequestId } from "./core/ids.ts";
import { AwsError, asWireHandler, type RequestContext, type ServiceName } from "./core/types.ts";
import { createCodecs, type Codec, type ServiceCodecs, type WireRequest, type WireResponse } from "./protocols/index.ts";
import { unknownOutputKeys } from "./protocols/output-check.ts";

const ADMIN_PREFIX = "/_localcloud/";
const DEFAULT_REGION = "us-east-1";

const SERVICE_BY_VERSION: Record<string, ServiceName> = {
  "2011-01-01": "autoscaling",
  "2015-12-01": "elasticloadbalancing",
  "2016-11-15": "ec2",
  "2014-10-31": "rds",
  "2015-02-02": "elasticache",
  "2010-08-01": "monitoring",
  "2011-06-15": "sts",
  "2010-05-08": "iam",
};

const SIGV4_SCOPE = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;

/** Region and service from the SigV4 credential scope (header, or presigned query). */
export function credentialScope(req: { headers: WireRequest["headers"]; query: URLSearchParams }): { region?: string; service?: string } {
  const auth = String(req.headers.authorization ?? "");
  const m = SIGV4_SCOPE.exec(auth) ?? SIGV4_SCOPE.exec(`Credential=${req.query.get("X-Amz-Credential") ?? ""}`);
  return m ? { region: m[1], service: m[2] } : {};
}

/** Which service and codec a request is addressed to, or undefined if none. */
export function identifyService(
  req: WireRequest,
  codecs: Record<ServiceName, ServiceCodecs>,
): { service: ServiceName; codec: Codec } | undefined {
  if (req.path.startsWith("/2020-05-31/")) return { service: "cloudfront", codec: codecs.cloudfront.primary };
  const target = req.headers["x-amz-target"];
  if (target) return jsonServiceOf(String(target), codecs);
  const version = req.form?.find(([k]) => k === "Version")?.[1];
  const byVersion = version ? SERVICE_BY_VERSION[version] : undefined;
  if (byVersion) return { service: byVersion, codec: queryCodecOf(byVersion, codecs) };
  const scoped = credentialScope(req).service as ServiceName | undefined;
  if (scoped && scoped in codecs) {
    const isJson = String(req.headers["content-type"] ?? "").includes("json");
    return { service: scoped, codec: scoped === "monitoring" && !isJson ? codecs.monitoring.query! : codecs[scoped].primary };
  }
  return undefined;
}

/** The JSON service whose model's targetPrefix starts x-amz-target; CloudWatch (which answers UnknownOperation) when none does. */
function jsonServiceOf(target: string, codecs: Record<ServiceName, ServiceCodecs>): { service: ServiceName; codec: Codec } {
  const prefix = target.slice(0, Math.max(0, target.lastIndexOf(".")));
  for (const [service, c] of Object.entries(codecs) as Array<[ServiceName, ServiceCodecs]>) {
    if (c.primary.protocol === "json" && c.primary.model.metadata.targetPrefix === prefix) return { service, codec: c.primary };
  }
  return { service: "monitoring", codec: codecs.monitoring.primary };
}

function queryCodecOf(service: ServiceName, codecs: Record<ServiceName, ServiceCodecs>): Codec {
  return codecs[service].query ?? codecs[service].primary;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const encoding = String(req.headers["content-encoding"] ?? "").toLowerCase();
  if (encoding.includes("gzip")) return gunzipSync(raw);
  if (encoding.includes("deflate")) return inflateSync(raw);
  return raw;
}

function toWireRequest(req: IncomingMessage, body: Buffer): WireRequest {
  const url = new URL(req.url ?? "/", "http://localcloud");
  const wire: WireRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body };
  const isForm = String(req.headers["content-type"] ?? "").includes("application/x-www-form-urlencoded");
  if (!url.pathname.startsWith("/2020-05-31/")) {
    wire.form = [...url.searchParams.entries(), ...(isForm ? new URLSearchParams(body.toString("utf8")).entries() : [])];
  }
  return wire;
}

/**
 * `date` is the SIMULATED time: the AWS SDK v3 reads it on every response into
 * `config.systemClockOffset`, so an app can take "now" as `Date.now() + systemClockOffset` the
 * same way against real AWS and against a local cloud whose clock runs ahead.
 */
function send(res: ServerResponse, requestId: string, out: WireResponse, simNowMs: number): void {
  const body = typeof out.body === "string" ? Buffer.from(out.body, "utf8") : out.body;
  res.writeHead(out.status, {
    ...out.headers,
    date: new Date(simNowMs).toUTCString(),
    "x-amzn-requestid": requestId,
    "content-length": String(body.length),
  });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createLocalCloudServer(cloud: LocalCloud): Server {
  const codecs = createCodecs();
  warnAboutUnmodelledHandlers(cloud, codecs);

  async function serveAws(wire: WireRequest, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    const target = identifyService(wire, codecs);
    if (!target) {
      const err = new AwsError(
        "UnknownService",
        "localcloud could not tell which AWS service this request is for (no CloudFront path, x-amz-target, Version or SigV4 scope).",
      );
      return send(res, requestId, codecs.autoscaling.primary.serializeError(err, requestId), cloud.now());
    }
    const { service, codec } = target;
    try {
      const operation = codec.operationName(wire);
      if (operation) {
        cloud.countCall(service, operation);
        const fault = cloud.faults.decide(service, operation, codec.throttlingError);
        if (fault.latencyMs > 0) await sleep(fault.latencyMs);
        if (fault.error) return send(res, requestId, codec.serializeError(fault.error, requestId), cloud.now());
      }
      const handlers = cloud.modules[service].handlers;
      const handler = operation && Object.hasOwn(handlers, operation) ? handlers[operation] : undefined;
      if (!operation || !handler) throw codec.unknownOperation(operation);
      if (!codec.model.operation(operation)) {
        throw new Error(
          `${service}:${operation} has a handler but is missing from localcloud/models/${service}.json: run npx tsx localcloud/scripts/extract-models.ts`,
        );
      }
      const input = codec.parseInput(operation, wire);
      // Bring lifecycles up to the current instant so a read never shows state that is already due to change.
      cloud.tick();
      const caller = resolveCaller(cloud, wire, service, codec.protocol);
      const ctx: RequestContext = {
        region: credentialScope(wire).region ?? DEFAULT_REGION,
        accountId: cloud.accountId,
        requestId,
        cloud,
        caller,
      };
      // IAM: the caller's policies (when it has any) must allow the call before the handler runs.
      authorizeCall(ctx, service, operation, input);
      const output = await asWireHandler(handler)(input, ctx);
      warnAboutUnknownOutputKeys(service, operation, codec, output);
      send(res, requestId, codec.serializeOutput(operation, output, requestId), cloud.now());
    } catch (err) {
      if (err instanceof AwsError) return send(res, requestId, codec.serializeError(err, requestId), cloud.now());
      console.error(`localcloud: ${service} request ${requestId} failed:`, err);
      send(
        res,
        requestId,
        codec.serializeError(
          new AwsError("InternalFailure", `localcloud internal error (request ${requestId})`, 500, "Receiver"),
          requestId,
        ),
        cloud.now(),
      );
    }
  }

  const server = createServer((req, res) => {
    const refused = foreignRequest(req, { admin: new URL(req.url ?? "/", "http://localcloud").pathname.startsWith(ADMIN_PREFIX) });
    if (refused) {
      req.resume();
      return sendJson(res, 403, { error: refused });
    }
    (async () => {
      const body = await readBody(req);
      const wire = toWireRequest(req, body);
      if (wire.path.startsWith(ADMIN_PREFIX)) {
        const out = await handleAdmin(cloud, wire.method, wire.path.slice(ADMIN_PREFIX.length), body);
        return sendJson(res, out.status, out.body);
      }
      await serveAws(wire, res);
    })().catch((err) => {
      console.error("localcloud: request failed:", err);
      if (!res.headersSent) sendJson(res, 400, { error: `bad request: ${(err as Error).message}` });
      else res.destroy();
    });
  });
  // SDK clients keep sockets alive; if the server closes an idle one just as a client reuses it,
  // the call fails with ECONNRESET. Keep idle sockets far longer than Node's 5 s default.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

const warnedOutputKeys = new Set<string>();

/** Output keys outside the model are silently dropped on the wire: tell the service's author (once per key). */
function warnAboutUnknownOutputKeys(service: ServiceName, operation: string, codec: Codec, output: unknown): void {
  const shapeName = codec.model.operation(operation)?.output?.shape;
  if (!shapeName || !output) return;
  for (const key of unknownOutputKeys(codec.model, shapeName, output, `${service}:${operation}`)) {
    const generic = key.replace(/\[\d+\]/g, "[]");
    if (warnedOutputKeys.has(generic)) continue;
    warnedOutputKeys.add(generic);
    console.warn(`localcloud: ${generic} is not in the ${service} model's output shape; it is not sent`);
  }
}

/** A handler whose operation is missing from the trimmed model cannot be served: say so at start. */
function warnAboutUnmodelledHandlers(cloud: LocalCloud, codecs: Record<ServiceName, ServiceCodecs>): void {
  const missing: string[] = [];
  for (const [name, mod] of Object.entries(cloud.modules) as Array<[ServiceName, (typeof cloud.modules)[ServiceName]]>) {
    for (const op of Object.keys(mod.handlers)) if (!codecs[name].primary.model.operation(op)) missing.push(`${name}:${op}`);
  }
  if (missing.length)
    console.warn(
      `localcloud: handlers missing from localcloud/models (run npx tsx localcloud/scripts/extract-models.ts): ${missing.join(", ")}`,
    );
}
