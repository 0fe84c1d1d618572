/**
 * Admin routes of the data plane (through registerAdminRoutes):
 *   GET  /_localcloud/instances        -> {"instances":[{id, url, version, state, health, errorRate, latencyMs, ...}]}
 *   POST /_localcloud/instances/<id>   {"health":"fail"|"ok", "errorRate"?: 0..1, "latencyMs"?: n}
 *        -> the instance as listed; 404 unknown instance, 400 invalid body.
 * Overrides are kept in memory (a failure drill, not configuration): a restart forgets them.
 */
import type { CloudApi, ModelDocument } from "../core/types.ts";
import { registerAdminRoutes, type AdminResponse } from "../core/admin-api.ts";
import { getInstance } from "../services/ec2/api.ts";
import { behaviourOf, listInstanceServers } from "./instances.ts";
import { dataPlaneOf, openDataPlane } from "./plane.ts";
import type { BehaviourOverrides } from "./instance-server.ts";
import type { InstanceBehaviour } from "./directives.ts";

const bad = (error: string): AdminResponse => ({ status: 400, body: { error } });

function parseOverrides(body: Buffer): BehaviourOverrides | string {
  let b: ModelDocument;
  try {
    b = body.length ? JSON.parse(body.toString("utf8")) : {};
  } catch {
    return "body is not valid JSON";
  }
  if (!b || typeof b !== "object") return "expected a JSON object";
  const out: BehaviourOverrides = {};
  if (b.health !== undefined) {
    if (b.health !== "ok" && b.health !== "fail") return '"health" must be "ok" or "fail"';
    out.health = b.health;
  }
  if (b.errorRate !== undefined) {
    if (typeof b.errorRate !== "number" || !(b.errorRate >= 0 && b.errorRate <= 1)) return '"errorRate" must be a number 0..1';
    out.errorRate = b.errorRate;
  }
  if (b.latencyMs !== undefined) {
    if (typeof b.latencyMs !== "number" || !(b.latencyMs >= 0 && Number.isFinite(b.latencyMs))) return '"latencyMs" must be a number >= 0';
    out.latencyMs = b.latencyMs;
  }
  if (Object.keys(out).length === 0) return 'expected at least one of "health", "errorRate", "latencyMs"';
  return out;
}

/** The behaviour an instance has now (directives + overrides), for the metrics side (cpu_per_rps). */
export function instanceBehaviour(cloud: CloudApi, instanceId: string): InstanceBehaviour | undefined {
  const inst = getInstance(cloud, instanceId);
  if (!inst) return undefined;
  const server = openDataPlane(cloud)?.instances.get(instanceId);
  return server ? server.effective() : { ...behaviourOf(inst), ...openDataPlane(cloud)?.overrides.get(instanceId) };
}

export function registerDataPlaneAdminRoutes(): void {
  registerAdminRoutes((cloud, method, route, body) => {
    if (method === "GET" && route === "instances")
      return { status: 200, body: { instances: listInstanceServers(cloud, dataPlaneOf(cloud)) } };
    if (method === "POST" && route.startsWith("instances/")) {
      const id = decodeURIComponent(route.slice("instances/".length));
      const inst = getInstance(cloud, id);
      if (!inst || (inst.State !== "running" && inst.State !== "pending"))
        return { status: 404, body: { error: `no running instance ${id}` } };
      const parsed = parseOverrides(body);
      if (typeof parsed === "string") return bad(parsed);
      const plane = dataPlaneOf(cloud);
      const merged = { ...plane.overrides.get(id), ...parsed };
      plane.overrides.set(id, merged);
      const server = plane.instances.get(id);
      if (server) Object.assign(server.overrides, merged);
      return { status: 200, body: listInstanceServers(cloud, plane).find((i) => i.id === id) };
    }
    return undefined;
  });
}
