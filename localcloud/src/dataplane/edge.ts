/**
 * CloudFront's data plane: every enabled distribution (InProgress or Deployed) gets a local
 * port that forwards to its default origin. The origin's DomainName is matched against the
 * ALBs' DNSName and the request goes to that ALB's listener on the origin's HTTPPort (any
 * listener if none is on that port), so the ALB counts CloudFront's misses as its own traffic.
 * Cacheable GET/HEAD responses (see edge-cache.ts) are answered from the cache with
 * `X-Cache: Hit from cloudfront`; CreateInvalidation purges the matching paths as soon as the
 * invalidation exists.
 */
import { request, type IncomingMessage, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { CloudApi, ModelDocument } from "../core/types.ts";
import { cfState, type StoredDistribution } from "../services/cloudfront/state.ts";
import { elbState } from "../services/elbv2/state.ts";
import { behaviourTtls, EdgeCache, MAX_CACHED_BYTES, ttlMs } from "./edge-cache.ts";
import type { DataPlane } from "./plane.ts";
import { PortServer } from "./port-server.ts";
import { emitOnce, type TrafficRecord } from "./traffic.ts";

const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer"]);
/** CloudFront's default origin response timeout (OriginReadTimeout), wall seconds like request latencies. */
const DEFAULT_ORIGIN_TIMEOUT_S = 30;

export function reconcileDistributions(cloud: CloudApi, plane: DataPlane): void {
  const state = cfState(cloud);
  for (const [id, server] of plane.distributions) {
    if (!state.distributions[id]?.config.Enabled) {
      server.close();
      plane.distributions.delete(id);
      plane.caches.delete(id);
    }
  }
  for (const d of Object.values(state.distributions)) {
    if (!d.config.Enabled || plane.distributions.has(d.id)) continue;
    const server = new PortServer((req, res) => serveEdge(cloud, plane, d.id, req, res));
    plane.distributions.set(d.id, server);
    server
      .listen(d.localPort)
      .then((port) => {
        const live = cfState(cloud).distributions[d.id];
        if (port && live && live.localPort !== port) {
          live.localPort = port;
          cloud.markDirty();
        }
      })
      .catch((err) => {
        console.error(`localcloud: distribution ${d.id} could not open a local port:`, err);
        plane.distributions.delete(d.id);
      });
  }
}

export function distributionUrl(plane: DataPlane | undefined, id: string): string | null {
  return plane?.distributions.get(id)?.url ?? null;
}

function cacheOf(cloud: CloudApi, plane: DataPlane, id: string): EdgeCache {
  let cache = plane.caches.get(id);
  if (!cache) plane.caches.set(id, (cache = new EdgeCache()));
  // Apply invalidations created since the last request (purged at once; AWS takes seconds to minutes).
  for (const inv of cfState(cloud).invalidations[id] ?? []) {
    if (cache.appliedInvalidations.has(inv.id)) continue;
    cache.appliedInvalidations.add(inv.id);
    cache.purge(inv.batch.Paths.Items ?? []);
  }
  return cache;
}

/** The ALB listener port the default origin points at, or undefined. */
function originAddress(
  cloud: CloudApi,
  plane: DataPlane,
  d: StoredDistribution,
): { port: number; timeoutMs: number; customHeaders: Record<string, string> } | undefined {
  const originId = d.config.DefaultCacheBehavior?.TargetOriginId;
  const origin = (d.config.Origins?.Items ?? []).find((o: ModelDocument) => o.Id === originId) ?? d.config.Origins?.Items?.[0];
  if (!origin) return undefined;
  const s = elbState(cloud);
  const host = String(origin.DomainName ?? "").toLowerCase();
  const lb = Object.values(s.loadBalancers).find((l) => l.dnsName.toLowerCase() === host);
  if (!lb) return undefined;
  const listeners = Object.values(s.listeners).filter((l) => l.loadBalancerArn === lb.arn);
  const wantPort = origin.CustomOriginConfig?.HTTPPort ?? 80;
  const listener = listeners.find((l) => l.port === wantPort) ?? listeners[0];
  const port = listener ? plane.listeners.get(listener.arn)?.port : undefined;
  const timeoutS = origin.CustomOriginConfig?.OriginReadTimeout ?? DEFAULT_ORIGIN_TIMEOUT_S;
  // OriginCustomHeaders: CloudFront adds them to every request to the origin (how an origin
  // tells CloudFront's requests from anyone else's, e.g. an ALB rule on a secret header).
  const items: Array<{ HeaderName?: string; HeaderValue?: string }> = origin.CustomHeaders?.Items ?? [];
  const customHeaders = Object.fromEntries(
    items.filter((h) => h.HeaderName).map((h) => [String(h.HeaderName).toLowerCase(), String(h.HeaderValue ?? "")]),
  );
  return port ? { port, timeoutMs: timeoutS * 1000, customHeaders } : undefined;
}

function edgeHeaders(d: StoredDistribution, hit: boolean): Record<string, string> {
  return {
    "x-cache": hit ? "Hit from cloudfront" : "Miss from cloudfront",
    via: `1.1 ${d.domainName} (CloudFront)`,
    "x-amz-cf-pop": "LCL50-C1",
    "x-amz-cf-id": randomBytes(28).toString("base64url"),
  };
}

function serveEdge(cloud: CloudApi, plane: DataPlane, id: string, req: IncomingMessage, res: ServerResponse): void {
  const record: TrafficRecord = {
    region: "us-east-1",
    at: 0,
    kind: "cloudfront",
    distributionId: id,
    status: 0,
    source: "elb",
    bytesOut: 0,
  };
  const emit = emitOnce(record, () => cloud.now());
  const d = cfState(cloud).distributions[id];
  const fail = (status: number, message: string) => {
    const body = `<HTML><HEAD><TITLE>ERROR: The request could not be satisfied</TITLE></HEAD><BODY><H1>${status} ERROR</H1><H2>${message}</H2></BODY></HTML>\n`;
    if (res.headersSent) res.destroy();
    else {
      res.writeHead(status, {
        server: "CloudFront",
        "content-type": "text/html",
        "content-length": String(Buffer.byteLength(body)),
        ...(d ? { "x-cache": "Error from cloudfront" } : {}),
      });
      res.end(body);
      record.bytesOut = Buffer.byteLength(body);
    }
    record.status = status;
    record.source = "elb";
    emit();
  };
  if (!d) {
    req.resume();
    return fail(403, "Bad request. The distribution does not exist.");
  }
  const cache = cacheOf(cloud, plane, id);
  const cacheable = req.method === "GET" || req.method === "HEAD";
  const key = req.url ?? "/";
  if (cacheable) {
    req.resume();
    const hit = cache.get(key, cloud.now());
    if (hit) {
      const age = Math.max(0, Math.floor((cloud.now() - hit.storedAt) / 1000));
      res.writeHead(hit.status, { ...hit.headers, ...edgeHeaders(d, true), age: String(age), "content-length": String(hit.body.length) });
      res.end(req.method === "HEAD" ? undefined : hit.body);
      Object.assign(record, {
        status: hit.status,
        source: "target",
        bytesOut: req.method === "HEAD" ? 0 : hit.body.length,
        cacheHit: true,
      });
      return emit();
    }
  }
  const origin = originAddress(cloud, plane, d);
  if (!origin) {
    req.resume();
    return fail(502, "CloudFront wasn't able to connect to the origin.");
  }
  const headers: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) headers[k] = v;
  headers["x-amz-cf-id"] = randomBytes(28).toString("base64url");
  headers.via = `1.1 ${d.domainName} (CloudFront)`;
  Object.assign(headers, origin.customHeaders);
  let timedOut = false;
  const upstream = request(
    { host: "127.0.0.1", port: origin.port, method: req.method, path: req.url, headers, agent: plane.agent },
    (up) => {
      const outHeaders: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) outHeaders[k] = v;
      const status = up.statusCode ?? 502;
      res.writeHead(status, { ...outHeaders, ...edgeHeaders(d, false) });
      record.status = status;
      record.source = "target";
      const ttl = cacheable && status === 200 ? ttlMs(up.headers["cache-control"], behaviourTtls(d.config.DefaultCacheBehavior ?? {})) : 0;
      const chunks: Buffer[] = [];
      let size = 0;
      up.on("data", (chunk: Buffer) => {
        record.bytesOut += chunk.length;
        if (ttl > 0 && size <= MAX_CACHED_BYTES) {
          chunks.push(chunk);
          size += chunk.length;
        }
      });
      up.on("end", () => {
        if (ttl > 0 && size <= MAX_CACHED_BYTES && req.method === "GET") {
          const now = cloud.now();
          delete outHeaders["content-length"];
          cache.set(key, { status, headers: outHeaders, body: Buffer.concat(chunks), storedAt: now, expiresAt: now + ttl });
        }
      });
      up.pipe(res);
      up.on("error", () => res.destroy());
      res.on("close", emit);
    },
  );
  upstream.setTimeout(origin.timeoutMs, () => {
    timedOut = true;
    upstream.destroy();
  });
  upstream.on("error", () =>
    fail(
      timedOut ? 504 : 502,
      timedOut
        ? "CloudFront attempted to establish a connection with the origin, but the origin did not respond in time."
        : "CloudFront wasn't able to connect to the origin.",
    ),
  );
  if (cacheable) upstream.end();
  else req.pipe(upstream);
}
