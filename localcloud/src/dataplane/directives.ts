/**
 * How an instance behaves, read from its user data. The directives live in a shell COMMENT so
 * the very same user data stays a valid script on real AWS:
 *
 *   #!/bin/bash
 *   export APP_VERSION=v2
 *   # localcloud: boot_seconds=20 latency_ms=30 error_rate=0.0 health=ok cpu_per_rps=0.8
 *
 * Keys (any order, several `# localcloud:` lines allowed, the last value wins; unknown keys ignored):
 *   version=<s>        the app version the instance reports (else APP_VERSION=<s> or VERSION=<s>
 *                      assigned in the script, else "<template name>:<template version>", else "unknown")
 *   boot_seconds=<n>   SIMULATED seconds after the instance is running before the app listens
 *                      (connections are refused until then). Default 0.
 *   latency_ms=<n>     WALL milliseconds added to every request. Default 0.
 *   error_rate=<f>     fraction 0..1 of requests answered 500 (health check path excluded). Default 0.
 *   health=ok|fail     fail: the health check path answers 500, other paths still work. Default ok.
 *   cpu_per_rps=<f>    CPU percent one request per second costs (read by the metrics side). Default 0.5.
 */

export interface InstanceBehaviour {
  version: string;
  bootSeconds: number;
  latencyMs: number;
  errorRate: number;
  health: "ok" | "fail";
  cpuPerRps: number;
}

export const DEFAULT_BEHAVIOUR: Omit<InstanceBehaviour, "version"> = {
  bootSeconds: 0,
  latencyMs: 0,
  errorRate: 0,
  health: "ok",
  cpuPerRps: 0.5,
};

const DIRECTIVE = /^\s*#\s*localcloud:(.*)$/;
const VERSION_ASSIGNMENT = /^\s*(?:export\s+)?(?:APP_VERSION|VERSION)=(["']?)([^"'\s;]+)\1/;

function nonNegative(value: string, fallback: number): number {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

/** Parse user data (already base64-decoded). `fallbackVersion` is used when nothing names a version. */
export function parseBehaviour(userData: string, fallbackVersion = "unknown"): InstanceBehaviour {
  const out: InstanceBehaviour = { ...DEFAULT_BEHAVIOUR, version: "" };
  let assignedVersion = "";
  for (const line of userData.split(/\r?\n/)) {
    const assignment = VERSION_ASSIGNMENT.exec(line);
    if (assignment) assignedVersion = assignment[2];
    const directive = DIRECTIVE.exec(line);
    if (!directive) continue;
    for (const pair of directive[1].trim().split(/\s+/)) {
      const eq = pair.indexOf("=");
      if (eq <= 0) continue;
      const key = pair.slice(0, eq).toLowerCase();
      const value = pair.slice(eq + 1);
      if (key === "version" && value) out.version = value;
      else if (key === "boot_seconds") out.bootSeconds = nonNegative(value, out.bootSeconds);
      else if (key === "latency_ms") out.latencyMs = nonNegative(value, out.latencyMs);
      else if (key === "error_rate") out.errorRate = Math.min(1, nonNegative(value, out.errorRate));
      else if (key === "health") out.health = value.toLowerCase() === "fail" ? "fail" : "ok";
      else if (key === "cpu_per_rps") out.cpuPerRps = nonNegative(value, out.cpuPerRps);
    }
  }
  out.version ||= assignedVersion || fallbackVersion;
  return out;
}
