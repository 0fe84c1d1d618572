/**
 * Eventual consistency (`--consistency-lag <seconds>`, admin `POST /_localcloud/consistency`):
 * AWS documents that a resource may not be visible to Describe* calls for a short while after
 * the call that created it, and that clients must retry NotFound then. With a lag of N simulated
 * seconds, a Describe* naming a resource created less than N seconds ago answers the service's
 * NotFound error (InvalidVpcID.NotFound, LoadBalancerNotFound, DBInstanceNotFound...).
 *
 * One registry per cloud (resource key -> creation time), filled and consulted by a wrapper
 * around every service's handlers (withConsistencyLag), so no service has to know about it.
 * The rules (which output names the new ids, which input names the looked-up ones, which error)
 * are in consistency-rules.ts. Lag 0 (the default) records nothing and checks nothing.
 */
import { registerAdminRoutes } from "./admin-api.ts";
import { asWireHandler, type CloudApi, type Handler, type RequestContext, type ServiceModule, type ServiceName } from "./types.ts";
import { CONSISTENCY_RULES, type Fields } from "./consistency-rules.ts";

export class ConsistencyRegistry {
  /** Simulated ms; 0 = strongly consistent (nothing recorded). */
  lagMs = 0;
  /** "<kind>|<region>|<id>" -> simulated ms of the create. */
  private created = new Map<string, number>();

  record(kind: string, region: string, id: string, at: number): void {
    if (this.lagMs <= 0) return;
    this.created.set(`${kind}|${region}|${id}`, at);
    // Keep the map small: entries past the lag never hide anything again.
    if (this.created.size > 10_000) this.prune(at);
  }

  /** Whether a Describe* at `now` must not see this resource yet. */
  hidden(kind: string, region: string, id: string, now: number): boolean {
    if (this.lagMs <= 0) return false;
    const key = `${kind}|${region}|${id}`;
    const at = this.created.get(key);
    if (at === undefined) return false;
    if (now - at < this.lagMs) return true;
    this.created.delete(key);
    return false;
  }

  clear(): void {
    this.created.clear();
  }

  private prune(now: number): void {
    for (const [key, at] of this.created) if (now - at >= this.lagMs) this.created.delete(key);
  }
}

const registries = new WeakMap<CloudApi, ConsistencyRegistry>();

export function consistencyOf(cloud: CloudApi): ConsistencyRegistry {
  let r = registries.get(cloud);
  if (!r) registries.set(cloud, (r = new ConsistencyRegistry()));
  return r;
}

export function setConsistencyLag(cloud: CloudApi, seconds: number): void {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new Error(`consistency lag must be a number of seconds >= 0, got ${seconds}`);
  const r = consistencyOf(cloud);
  r.lagMs = seconds * 1000;
  if (r.lagMs === 0) r.clear();
}

const asFields = (v: unknown): Fields => (v && typeof v === "object" ? (v as Fields) : {});

function wrapHandler(service: ServiceName, operation: string, handler: Handler): Handler {
  const rules = CONSISTENCY_RULES[service]?.[operation];
  if (!rules) return handler;
  return async (input: unknown, ctx: RequestContext) => {
    const registry = consistencyOf(ctx.cloud);
    if (registry.lagMs > 0 && rules.lookup) {
      const now = ctx.cloud.now();
      for (const { kind, ids, error } of rules.lookup(asFields(input))) {
        const young = ids.filter((id) => registry.hidden(kind, ctx.region, id, now));
        if (young.length) throw error(young);
      }
    }
    const output: unknown = await asWireHandler(handler)(input, ctx);
    if (registry.lagMs > 0 && rules.creates) {
      const now = ctx.cloud.now();
      for (const { kind, ids } of rules.creates(asFields(output), asFields(input)))
        for (const id of ids) registry.record(kind, ctx.region, id, now);
    }
    return output;
  };
}

/** The module with its Create* handlers recording new ids and its Describe* handlers checking them. */
export function withConsistencyLag(module: ServiceModule): ServiceModule {
  const rules = CONSISTENCY_RULES[module.name];
  if (!rules) return module;
  const handlers: Record<string, Handler> = {};
  for (const [op, h] of Object.entries(module.handlers)) handlers[op] = wrapHandler(module.name, op, h);
  return { ...module, handlers };
}

/**
 * GET  /_localcloud/consistency -> {"lagSeconds": n}
 * POST /_localcloud/consistency {"lagSeconds": n} -> the same (n >= 0; 0 switches it off)
 */
registerAdminRoutes((cloud, method, route, body) => {
  if (route !== "consistency") return undefined;
  if (method === "GET") return { status: 200, body: { lagSeconds: consistencyOf(cloud).lagMs / 1000 } };
  if (method !== "POST") return undefined;
  let parsed: unknown;
  try {
    parsed = body.length ? JSON.parse(body.toString("utf8")) : {};
  } catch {
    return { status: 400, body: { error: "body is not valid JSON" } };
  }
  const lag = asFields(parsed).lagSeconds;
  if (typeof lag !== "number" || !Number.isFinite(lag) || lag < 0)
    return { status: 400, body: { error: 'expected {"lagSeconds": n} with n >= 0' } };
  setConsistencyLag(cloud, lag);
  return { status: 200, body: { lagSeconds: lag } };
});
