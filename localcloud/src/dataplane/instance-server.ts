/**
 * One running instance's "app": a small in-process HTTP server on 127.0.0.1 (ephemeral port),
 * not a process, so a laptop can run dozens of instances. It answers every path with
 * `{ version, instanceId, availabilityZone, path }` and behaves as its user data directives
 * say (see directives.ts), with run-time overrides from the admin API for failure drills.
 *
 * Test hooks (query string, so any client can use them): `sleep_ms=<n>` delays that one
 * response by n wall ms (a slow request, e.g. to watch draining), `cache_control=<v>` sets the
 * response's Cache-Control (to drive CloudFront caching), `status=<code>` answers that status.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { InstanceBehaviour } from "./directives.ts";
import { instanceCounters } from "./traffic.ts";

export interface BehaviourOverrides {
  health?: "ok" | "fail";
  errorRate?: number;
  latencyMs?: number;
}

/** The User-Agent AWS's ALB health checker sends; its requests are not app traffic (no counters, no injected errors). */
export const HEALTH_CHECK_USER_AGENT = "ELB-HealthChecker/2.0";

/** Longer than the ALB's 60 s idle timeout, as AWS recommends, so the load balancer closes idle connections first. */
const KEEP_ALIVE_MS = 65_000;

export class InstanceServer {
  readonly overrides: BehaviourOverrides = {};
  private server: Server | undefined;
  private listening: Promise<void> | undefined;
  port = 0;

  constructor(
    readonly instanceId: string,
    readonly availabilityZone: string,
    public behaviour: InstanceBehaviour,
    /** Is this path the health check path of a target group the instance serves? */
    private readonly isHealthPath: (path: string) => boolean,
  ) {}

  get url(): string | undefined {
    return this.port ? `http://127.0.0.1:${this.port}` : undefined;
  }

  /** The behaviour in force: directives with admin overrides on top. */
  effective(): InstanceBehaviour {
    return {
      ...this.behaviour,
      health: this.overrides.health ?? this.behaviour.health,
      errorRate: this.overrides.errorRate ?? this.behaviour.errorRate,
      latencyMs: this.overrides.latencyMs ?? this.behaviour.latencyMs,
    };
  }

  start(): Promise<void> {
    this.listening ??= new Promise<void>((resolve, reject) => {
      const server = createServer((req, res) => this.handle(req, res));
      server.keepAliveTimeout = KEEP_ALIVE_MS;
      server.headersTimeout = KEEP_ALIVE_MS + 1000;
      this.server = server;
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
    return this.listening;
  }

  /** Stop at once: the instance left `running`, so its connections (in-flight requests included) die with it. */
  close(): void {
    this.port = 0;
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.close();
    server.closeAllConnections();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    req.resume(); // the body is not used, but must be read for the connection to be reusable
    const url = new URL(req.url ?? "/", "http://instance");
    const b = this.effective();
    const healthCheck = String(req.headers["user-agent"] ?? "").startsWith("ELB-HealthChecker") || this.isHealthPath(url.pathname);
    const counters = healthCheck ? undefined : instanceCounters(this.instanceId);
    if (counters) {
      counters.requests++;
      counters.inFlight++;
      res.once("close", () => counters.inFlight--);
    }
    let status = 200;
    let body: Record<string, unknown> = {
      version: b.version,
      instanceId: this.instanceId,
      availabilityZone: this.availabilityZone,
      path: url.pathname,
      // What the load balancer told the app about the client (lets tests see the ALB's headers).
      forwardedFor: req.headers["x-forwarded-for"] ?? null,
      forwardedProto: req.headers["x-forwarded-proto"] ?? null,
      forwardedPort: req.headers["x-forwarded-port"] ?? null,
    };
    if (healthCheck && b.health === "fail") {
      status = 500;
      body = { ...body, error: "health check failing (health=fail)" };
    } else if (!healthCheck && b.errorRate > 0 && Math.random() < b.errorRate) {
      status = 500;
      body = { ...body, error: "injected error (error_rate)" };
    } else if (url.searchParams.has("status")) {
      const wanted = Number(url.searchParams.get("status"));
      if (Number.isInteger(wanted) && wanted >= 200 && wanted <= 599) status = wanted;
    }
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-instance-id": this.instanceId,
      "x-app-version": b.version,
    };
    const cacheControl = url.searchParams.get("cache_control");
    if (cacheControl) headers["cache-control"] = cacheControl;
    // A slow app is slow for its health check too (that is how Target.Timeout happens).
    const delay = b.latencyMs + Math.max(0, Number(url.searchParams.get("sleep_ms")) || 0);
    const send = () => {
      const text = JSON.stringify(body);
      headers["content-length"] = String(Buffer.byteLength(text));
      res.writeHead(status, headers);
      res.end(req.method === "HEAD" ? undefined : text);
    };
    if (delay > 0) {
      const timer = setTimeout(send, delay);
      res.once("close", () => clearTimeout(timer));
    } else send();
  }
}
