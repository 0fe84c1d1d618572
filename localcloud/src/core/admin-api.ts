/**
 * Admin API under /_localcloud/ (a stable contract: outside tools rely on these shapes).
 *   GET    health            -> {"status":"ok"}
 *   POST   reset             -> all state initial, stats and faults cleared -> {"status":"ok"}
 *   GET    stats             -> {"calls":{"ec2:DescribeVpcs":3,...}} since the last reset
 *   GET    faults            -> {"faults":[{id, match, error?, status?, rate, latencyMs?, message?}]}
 *   POST   faults            -> 201 {"fault":{...}}; 400 {"error":"..."} when invalid
 *   DELETE faults[/<id>]     -> clears all (or one) -> {"status":"ok"}
 *   GET    clock             -> {"now":"<iso>","nowMs":n,"speed":x}
 *   POST   clock             -> {"speed":x} and/or {"advanceMs":n} -> the new clock
 *   GET    endpoints         -> {"loadBalancers":[...],"distributions":[...]} (data plane, from services)
 */
import type { ModelDocument } from "./types.ts";
import type { IncomingMessage } from "node:http";
import type { LocalCloud } from "./cloud.ts";
import { FaultValidationError, validateFault } from "./faults.ts";

/**
 * Why a request must be refused because a web page, not a tool, sent it; or null.
 *
 * Any page a developer opens could otherwise reset the cloud, inject faults or terminate
 * instances: simple cross-origin POSTs need no preflight, and signatures are not checked.
 * AWS SDKs and CLIs send neither Origin nor Sec-Fetch-Site, so they are never refused. A
 * browser request must be same-origin (Origin, Sec-Fetch-Site) and name this server in Host
 * (DNS rebinding names the attacker's host); the admin API demands that Host of every caller.
 */
export function foreignRequest(req: Pick<IncomingMessage, "headers" | "socket">, opts: { admin: boolean }): string | null {
  const { origin, host } = req.headers;
  const site = req.headers["sec-fetch-site"];
  const port = req.socket.localPort;
  const local = req.socket.localAddress?.replace(/^::ffff:/, "");
  const names = ["localhost", "127.0.0.1", "[::1]", ...(local ? [local.includes(":") ? `[${local}]` : local] : [])];
  const ours = new Set(names.flatMap((n) => [`${n}:${port}`, ...(port === 80 ? [n] : [])]));
  if (site !== undefined && site !== "same-origin" && site !== "none")
    return `localcloud refuses ${site} requests from web pages (Sec-Fetch-Site: ${site})`;
  if (origin !== undefined && !["http://", "https://"].some((scheme) => ours.has(origin.toLowerCase().replace(scheme, ""))))
    return `localcloud refuses requests from other origins (Origin: ${origin})`;
  if ((opts.admin || origin !== undefined || site !== undefined) && !ours.has((host ?? "").toLowerCase()))
    return `localcloud answers its admin API only as ${names[0]}:${port} or 127.0.0.1:${port} (Host: ${host ?? "none"})`;
  return null;
}

export interface AdminResponse {
  status: number;
  body: unknown;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseJson(body: Buffer): ModelDocument {
  if (!body.length) return {};
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new AdminError(400, "body is not valid JSON");
  }
}

function clockView(cloud: LocalCloud) {
  const nowMs = cloud.now();
  return { now: new Date(nowMs).toISOString(), nowMs, speed: cloud.speed() };
}

/** Extra admin routes contributed by other parts (data plane, load generator...). Return undefined when the route is not yours. */
export type AdminRoutes = (
  cloud: LocalCloud,
  method: string,
  route: string,
  body: Buffer,
) => AdminResponse | Promise<AdminResponse> | undefined;
const extensions: AdminRoutes[] = [];
export function registerAdminRoutes(routes: AdminRoutes): void {
  if (!extensions.includes(routes)) extensions.push(routes);
}

/** Async because a route may be (validating an IAM policy document is). */
export async function handleAdmin(cloud: LocalCloud, method: string, route: string, body: Buffer): Promise<AdminResponse> {
  try {
    return await route_(cloud, method, route.replace(/\/+$/, ""), body);
  } catch (err) {
    if (err instanceof AdminError) return { status: err.status, body: { error: err.message } };
    if (err instanceof FaultValidationError) return { status: 400, body: { error: err.message } };
    throw err;
  }
}

function route_(cloud: LocalCloud, method: string, route: string, body: Buffer): AdminResponse | Promise<AdminResponse> {
  const is = (m: string, r: string) => method === m && route === r;
  if (is("GET", "health")) return { status: 200, body: { status: "ok" } };
  if (is("POST", "reset")) {
    cloud.reset();
    return { status: 200, body: { status: "ok" } };
  }
  if (is("GET", "stats")) return { status: 200, body: cloud.stats() };
  if (is("GET", "faults")) return { status: 200, body: { faults: cloud.faults.list() } };
  if (is("POST", "faults")) return { status: 201, body: { fault: cloud.faults.add(validateFault(parseJson(body))) } };
  if (is("DELETE", "faults")) {
    cloud.faults.clear();
    return { status: 200, body: { status: "ok" } };
  }
  if (method === "DELETE" && route.startsWith("faults/")) {
    const id = decodeURIComponent(route.slice("faults/".length));
    if (!cloud.faults.remove(id)) throw new AdminError(404, `no fault ${id}`);
    return { status: 200, body: { status: "ok" } };
  }
  if (is("GET", "clock")) return { status: 200, body: clockView(cloud) };
  if (is("POST", "clock")) {
    const b = parseJson(body);
    if (!b || typeof b !== "object" || (b.speed === undefined && b.advanceMs === undefined))
      throw new AdminError(400, 'expected {"speed": x} (x > 0) and/or {"advanceMs": n} (n >= 0)');
    if (b.speed !== undefined && (typeof b.speed !== "number" || !Number.isFinite(b.speed) || b.speed <= 0))
      throw new AdminError(400, '"speed" must be a number > 0');
    if (b.advanceMs !== undefined && (typeof b.advanceMs !== "number" || !Number.isFinite(b.advanceMs) || b.advanceMs < 0))
      throw new AdminError(400, '"advanceMs" must be a number >= 0');
    if (b.speed !== undefined) cloud.setSpeed(b.speed);
    if (b.advanceMs !== undefined) {
      cloud.clock.advance(b.advanceMs);
      cloud.tick();
      cloud.markDirty();
    }
    return { status: 200, body: clockView(cloud) };
  }
  if (is("GET", "endpoints")) return { status: 200, body: endpoints(cloud) };
  for (const ext of extensions) {
    const out = ext(cloud, method, route, body);
    if (out) return out;
  }
  throw new AdminError(404, `no admin route ${method} /_localcloud/${route}`);
}

/** Data-plane endpoints, gathered from every service that provides them. */
function endpoints(cloud: LocalCloud) {
  const out = { loadBalancers: [] as unknown[], distributions: [] as unknown[] };
  for (const mod of Object.values(cloud.modules)) {
    const provided = mod.endpoints?.(cloud);
    if (provided?.loadBalancers) out.loadBalancers.push(...provided.loadBalancers);
    if (provided?.distributions) out.distributions.push(...provided.distributions);
  }
  return out;
}
