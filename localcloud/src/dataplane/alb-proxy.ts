/**
 * One request through an ALB listener: route (alb-routing.ts), then either answer as the ELB
 * (fixed response, redirect, 503 no target, 502 target refused/reset, 504 target too slow) or
 * stream the request to the target and its response back. Exactly one traffic record per
 * request, emitted when the client's response is over.
 */
import { request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import { randomBytes } from "node:crypto";
import type { CloudApi } from "../core/types.ts";
import { elbState, type ListenerRecord, type TargetGroupRecord, type TargetRecord } from "../services/elbv2/state.ts";
import { route, targetKey } from "./alb-routing.ts";
import type { DataPlane } from "./plane.ts";
import { emitOnce, type TrafficRecord } from "./traffic.ts";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "proxy-authorization",
]);
const STATUS_TEXT: Record<number, string> = { 502: "Bad Gateway", 503: "Service Temporarily Unavailable", 504: "Gateway Time-out" };

function elbErrorBody(status: number): string {
  const title = `${status} ${STATUS_TEXT[status] ?? ""}`.trim();
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`;
}

function sendElb(res: ServerResponse, status: number, body: string, contentType = "text/html", extra: Record<string, string> = {}): number {
  if (res.headersSent) {
    res.destroy();
    return 0;
  }
  const bytes = Buffer.byteLength(body);
  res.writeHead(status, { server: "awselb/2.0", "content-type": contentType, "content-length": String(bytes), ...extra });
  res.end(body);
  return bytes;
}

function forwardedHeaders(req: IncomingMessage, listener: ListenerRecord): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = {};
  for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k)) out[k] = v;
  const client = req.socket.remoteAddress ?? "127.0.0.1";
  const prior = req.headers["x-forwarded-for"];
  out["x-forwarded-for"] = prior ? `${prior}, ${client}` : client;
  out["x-forwarded-proto"] = listener.protocol.toLowerCase();
  out["x-forwarded-port"] = String(listener.port);
  const epochHex = Math.floor(Date.now() / 1000).toString(16);
  out["x-amzn-trace-id"] = `Root=1-${epochHex}-${randomBytes(12).toString("hex")}`;
  return out;
}

function idleTimeoutMs(cloud: CloudApi, listener: ListenerRecord): number {
  const lb = elbState(cloud).loadBalancers[listener.loadBalancerArn];
  const seconds = Number(lb?.attributes?.["idle_timeout.timeout_seconds"] ?? 60);
  return (Number.isFinite(seconds) && seconds > 0 ? seconds : 60) * 1000;
}

function redirectLocation(cfg: Record<string, string>, req: IncomingMessage, listener: ListenerRecord): string {
  const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`);
  const sub = (s: string) =>
    s
      .replaceAll("#{protocol}", listener.protocol.toLowerCase())
      .replaceAll("#{host}", url.hostname)
      .replaceAll("#{port}", String(listener.port))
      .replaceAll("#{path}", url.pathname.slice(1))
      .replaceAll("#{query}", url.search.slice(1));
  const protocol = sub(cfg.Protocol ?? "#{protocol}").toLowerCase();
  const query = sub(cfg.Query ?? "#{query}");
  return `${protocol}://${sub(cfg.Host ?? "#{host}")}:${sub(cfg.Port ?? "#{port}")}${sub(cfg.Path ?? "/#{path}")}${query ? `?${query}` : ""}`;
}

/** Where a target's app listens: instance targets -> the instance's app server; ip targets -> that address and port. */
function targetAddress(plane: DataPlane, tg: TargetGroupRecord, t: TargetRecord): { host: string; port: number } | undefined {
  if (tg.targetType === "ip") return { host: t.id, port: t.port };
  const server = plane.instances.get(t.id);
  return server?.port ? { host: "127.0.0.1", port: server.port } : undefined;
}

export function serveListener(cloud: CloudApi, plane: DataPlane, listenerArn: string, req: IncomingMessage, res: ServerResponse): void {
  const elb = elbState(cloud);
  const listener = elb.listeners[listenerArn];
  const record: TrafficRecord = {
    region: listener?.region ?? "us-east-1",
    at: 0,
    kind: "alb",
    loadBalancerArn: listener?.loadBalancerArn,
    targetGroupArn: null,
    targetId: null,
    status: 0,
    source: "elb",
    bytesOut: 0,
  };
  const emit = emitOnce(record, () => cloud.now());
  const elbAnswer = (status: number, body = elbErrorBody(status), contentType?: string, extra?: Record<string, string>) => {
    record.status = status;
    record.source = "elb";
    record.bytesOut = sendElb(res, status, body, contentType, extra);
    emit();
  };
  if (!listener) {
    req.resume();
    return elbAnswer(503);
  }
  const decision = route(plane, listener, elb, req);
  if (decision.kind === "fixed-response") {
    req.resume();
    const c = decision.action.FixedResponseConfig ?? {};
    return elbAnswer(Number(c.StatusCode), c.MessageBody ?? "", c.ContentType ?? "text/plain");
  }
  if (decision.kind === "redirect") {
    req.resume();
    const c = decision.action.RedirectConfig ?? {};
    return elbAnswer(c.StatusCode === "HTTP_301" ? 301 : 302, "", "text/html", { location: redirectLocation(c, req, listener) });
  }
  if (decision.kind === "no-target") {
    req.resume();
    record.targetGroupArn = decision.targetGroupArn;
    return elbAnswer(503);
  }
  const { targetGroup: tg, target } = decision;
  record.targetGroupArn = tg.arn;
  record.targetId = target.id;
  const address = targetAddress(plane, tg, target);
  if (!address) {
    req.resume();
    return elbAnswer(502); // nothing listens: the ALB sees connection refused
  }
  const setCookies = decision.setCookies;
  proxy(
    plane,
    req,
    res,
    { listener, tg, target, address, timeoutMs: idleTimeoutMs(cloud, listener), record, emit, elbAnswer, setCookies },
    true,
  );
}

interface ProxyJob {
  listener: ListenerRecord;
  tg: TargetGroupRecord;
  target: TargetRecord;
  address: { host: string; port: number };
  timeoutMs: number;
  record: TrafficRecord;
  emit: () => void;
  elbAnswer: (status: number) => void;
  /** Target group stickiness: the ALB's cookies added to the target's answer. */
  setCookies?: string[];
}

function proxy(plane: DataPlane, req: IncomingMessage, res: ServerResponse, job: ProxyJob, mayRetry: boolean): void {
  const key = targetKey(job.tg.arn, job.target);
  plane.outstanding.set(key, (plane.outstanding.get(key) ?? 0) + 1);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    plane.outstanding.set(key, (plane.outstanding.get(key) ?? 1) - 1);
  };
  const started = performance.now();
  let timedOut = false;
  const bodyless = req.method === "GET" || req.method === "HEAD";
  const upstream = request(
    {
      host: job.address.host,
      port: job.address.port,
      method: req.method,
      path: req.url,
      headers: forwardedHeaders(req, job.listener),
      agent: plane.agent,
    },
    (up) => {
      // TargetResponseTime as AWS defines it: until the target starts answering (headers received).
      job.record.targetResponseMs = performance.now() - started;
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(up.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
      if (job.setCookies) headers["set-cookie"] = [...[headers["set-cookie"] ?? []].flat(), ...job.setCookies];
      res.writeHead(up.statusCode ?? 502, headers);
      job.record.status = up.statusCode ?? 502;
      job.record.source = "target";
      up.on("data", (chunk: Buffer) => {
        job.record.bytesOut += chunk.length;
      });
      up.pipe(res);
      up.on("end", release);
      up.on("error", () => res.destroy());
      res.on("close", () => {
        release();
        if (!up.complete) up.destroy();
        job.emit();
      });
    },
  );
  upstream.setTimeout(job.timeoutMs, () => {
    timedOut = true;
    upstream.destroy();
  });
  upstream.on("error", (err: NodeJS.ErrnoException) => {
    release();
    if (res.headersSent) {
      res.destroy(); // the target died mid-response: the client sees the connection cut
      return;
    }
    // A kept-alive connection the target closed just as we reused it: retry once on a new one, as proxies do for idempotent requests.
    if (mayRetry && bodyless && (upstream as unknown as { reusedSocket?: boolean }).reusedSocket && err.code === "ECONNRESET") {
      return proxy(plane, req, res, job, false);
    }
    job.record.targetResponseMs = undefined;
    job.elbAnswer(timedOut ? 504 : 502);
  });
  res.on("close", () => {
    if (!res.writableFinished) upstream.destroy(); // the client gave up: so does the ALB
  });
  if (bodyless && !mayRetry) upstream.end();
  else if (bodyless) {
    req.resume();
    upstream.end();
  } else req.pipe(upstream);
}
