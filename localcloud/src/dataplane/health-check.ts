/**
 * The real health check: GET <HealthCheckPath> on the target's app with the ALB health
 * checker's User-Agent, judged by the target group's Matcher within TimeoutSeconds.
 * TimeoutSeconds is WALL time, like every request latency here (latency_ms is wall ms too),
 * so a slow app is as slow relative to the timeout as it would be on AWS.
 */
import { request } from "node:http";
import type { TargetGroupRecord, TargetRecord } from "../services/elbv2/state.ts";
import { HEALTH_CHECK_USER_AGENT } from "./instance-server.ts";

export type HealthCheckResult =
  | { ok: true }
  | { ok: false; reason: "Target.FailedHealthChecks" | "Target.ResponseCodeMismatch" | "Target.Timeout"; description: string };

/** Does `status` match an ALB matcher such as "200", "200-299" or "200,202,301-302"? */
export function matchesHttpCode(matcher: string | undefined, status: number): boolean {
  const spec = (matcher ?? "200").trim();
  return spec.split(",").some((part) => {
    const [lo, hi] = part.trim().split("-").map(Number);
    return hi === undefined ? status === lo : status >= lo && status <= hi;
  });
}

/** Check one target whose app answers at `baseUrl` (undefined: nothing listens there, i.e. connection refused). */
export function httpHealthCheck(tg: TargetGroupRecord, _target: TargetRecord, baseUrl: string | undefined): Promise<HealthCheckResult> {
  const failed = { ok: false, reason: "Target.FailedHealthChecks", description: "Health checks failed" } as const;
  if (!baseUrl) return Promise.resolve(failed);
  const hc = tg.healthCheck;
  const timeoutMs = Math.max(1, hc.timeoutSeconds) * 1000;
  return new Promise<HealthCheckResult>((resolve) => {
    let done = false;
    const finish = (r: HealthCheckResult) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    // A fresh connection per check (agent: false), as the ALB health checker opens one.
    const req = request(
      new URL(hc.path || "/", baseUrl),
      { method: "GET", agent: false, headers: { "user-agent": HEALTH_CHECK_USER_AGENT, connection: "close" } },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        if (matchesHttpCode(hc.matcher?.HttpCode, status)) finish({ ok: true });
        else
          finish({ ok: false, reason: "Target.ResponseCodeMismatch", description: `Health checks failed with these codes: [${status}]` });
      },
    );
    req.setTimeout(timeoutMs, () => {
      finish({ ok: false, reason: "Target.Timeout", description: "Request timed out" });
      req.destroy();
    });
    req.on("error", () => finish(failed));
    req.end();
  });
}
