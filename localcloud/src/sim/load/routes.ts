/**
 * Admin routes of the load generator:
 *   POST   /_localcloud/load        {"target", "profile", "rps", ...} -> 201 {"load": {...}}; 400 bad input; 404 unknown target
 *   GET    /_localcloud/load        -> {"loads": [{id, ..., status (waiting|running|finished), url, currentRps, sent, ok, failed, errors, inFlight, statuses}]}
 *   GET    /_localcloud/load/<id>   -> {"load": {...}}
 *   DELETE /_localcloud/load        -> stops every profile, default load included -> {"status":"ok"}
 *   DELETE /_localcloud/load/<id>   -> stops one -> {"status":"ok"}; 404 unknown
 */
import type { AdminResponse } from "../../core/admin-api.ts";
import type { CloudApi } from "../../core/types.ts";
import type { LoadGenerator } from "./generator.ts";
import { LoadInputError, parseLoadBody } from "./profiles.ts";
import { resolveTarget } from "./targets.ts";

const error = (status: number, message: string): AdminResponse => ({ status, body: { error: message } });

export function loadRoutes(
  cloud: CloudApi,
  generator: LoadGenerator,
  method: string,
  route: string,
  body: Buffer,
): AdminResponse | undefined {
  if (route !== "load" && !route.startsWith("load/")) return undefined;
  const id = route.startsWith("load/") ? decodeURIComponent(route.slice("load/".length)) : undefined;
  if (method === "GET" && !id) return { status: 200, body: { loads: generator.list() } };
  if (method === "GET" && id) {
    const load = generator.get(id);
    return load ? { status: 200, body: { load } } : error(404, `no load profile ${id}`);
  }
  if (method === "DELETE" && !id) {
    generator.removeAll();
    return { status: 200, body: { status: "ok" } };
  }
  if (method === "DELETE" && id)
    return generator.remove(id) ? { status: 200, body: { status: "ok" } } : error(404, `no load profile ${id}`);
  if (method === "POST" && !id) {
    let parsed: unknown;
    try {
      parsed = body.length ? JSON.parse(body.toString("utf8")) : {};
    } catch {
      return error(400, "body is not valid JSON");
    }
    try {
      const fields = parseLoadBody(parsed);
      const target = resolveTarget(cloud, fields.target);
      if (!target) return error(404, `no load balancer or distribution ${fields.target}`);
      const spec = generator.add({ ...fields, targetKind: target.kind, targetRef: target.ref });
      return { status: 201, body: { load: generator.get(spec.id) } };
    } catch (err) {
      if (err instanceof LoadInputError) return error(400, err.message);
      throw err;
    }
  }
  return error(405, `${method} is not supported on /_localcloud/${route}`);
}
