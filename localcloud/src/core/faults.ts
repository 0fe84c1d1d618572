/**
 * Fault injection (admin API): make matching calls fail or slow down, to exercise retries,
 * timeouts and error paths of the callers.
 *   {"match":"autoscaling:*","error":"Throttling","rate":0.3}
 *   {"match":"ec2:DescribeInstances","latencyMs":200}
 *   {"match":"rds:*","status":500}
 * `match` is `<signing service>:<Operation>`, `<service>:*` or `*`. An injected "Throttling"
 * is rendered the way the service's protocol throttles (EC2: 503 RequestLimitExceeded).
 */
import { AwsError, type ServiceName } from "./types.ts";

export interface FaultSpec {
  match: string;
  /** Error code to answer with. */
  error?: string;
  /** HTTP status (300-599); with no error code, a 5xx becomes InternalFailure / ServiceUnavailable. */
  status?: number;
  message?: string;
  /** Probability (0, 1] that a matching call is failed; default 1. */
  rate?: number;
  /** Delay added before a matching call is answered (0-60000 ms). */
  latencyMs?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  rate: number;
}

export class FaultValidationError extends Error {}

const SERVICE_NAMES: ServiceName[] = [
  "ec2",
  "autoscaling",
  "elasticloadbalancing",
  "rds",
  "elasticache",
  "monitoring",
  "cloudfront",
  "secretsmanager",
  "ssm",
  "sts",
  "iam",
];

export function validateFault(body: unknown): FaultSpec {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new FaultValidationError("body must be a JSON object");
  const b = body as Record<string, unknown>;
  const known = new Set(["match", "error", "status", "message", "rate", "latencyMs"]);
  const unknown = Object.keys(b).filter((k) => !known.has(k));
  if (unknown.length) throw new FaultValidationError(`unknown field(s): ${unknown.join(", ")}`);
  if (typeof b.match !== "string" || !b.match)
    throw new FaultValidationError('"match" is required: "<service>:<Operation>", "<service>:*" or "*"');
  if (b.match !== "*") {
    const [svc, op, extra] = b.match.split(":");
    if (extra !== undefined || !op || !SERVICE_NAMES.includes(svc as ServiceName)) {
      throw new FaultValidationError(
        `"match" must be "<service>:<Operation>", "<service>:*" or "*", with service one of ${SERVICE_NAMES.join(", ")}`,
      );
    }
    if (op !== "*" && !/^[A-Za-z0-9]+$/.test(op)) throw new FaultValidationError(`"${op}" is not an operation name`);
  }
  if (b.error !== undefined && (typeof b.error !== "string" || !/^[A-Za-z0-9._]+$/.test(b.error)))
    throw new FaultValidationError('"error" must be an error code such as "Throttling"');
  if (b.status !== undefined && (!Number.isInteger(b.status) || (b.status as number) < 300 || (b.status as number) > 599))
    throw new FaultValidationError('"status" must be an integer from 300 to 599');
  if (b.message !== undefined && typeof b.message !== "string") throw new FaultValidationError('"message" must be a string');
  if (b.rate !== undefined && (typeof b.rate !== "number" || !(b.rate > 0 && b.rate <= 1)))
    throw new FaultValidationError('"rate" must be a number in (0, 1]');
  if (b.latencyMs !== undefined && (typeof b.latencyMs !== "number" || !(b.latencyMs >= 0 && b.latencyMs <= 60_000)))
    throw new FaultValidationError('"latencyMs" must be a number from 0 to 60000');
  if (b.error === undefined && b.status === undefined && b.latencyMs === undefined)
    throw new FaultValidationError('a fault needs "error", "status" or "latencyMs"');
  return b as unknown as FaultSpec;
}

export class FaultSet {
  private faults: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = { id: `fault-${this.nextId++}`, ...spec, rate: spec.rate ?? 1 };
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return [...this.faults];
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length < before;
  }

  clear(): void {
    this.faults = [];
  }

  /**
   * What to do with a call: total extra latency of every matching fault, and the error of the
   * first matching error fault whose dice roll fires.
   */
  decide(service: ServiceName, operation: string, throttling: () => AwsError): { latencyMs: number; error?: AwsError } {
    let latencyMs = 0;
    let error: AwsError | undefined;
    for (const f of this.faults) {
      if (!matches(f.match, service, operation)) continue;
      latencyMs += f.latencyMs ?? 0;
      if (!error && (f.error !== undefined || f.status !== undefined) && Math.random() < f.rate) error = faultError(f, throttling);
    }
    return { latencyMs, error };
  }
}

function matches(pattern: string, service: string, operation: string): boolean {
  if (pattern === "*") return true;
  const [svc, op] = pattern.split(":");
  return svc === service && (op === "*" || op === operation);
}

function faultError(f: Fault, throttling: () => AwsError): AwsError {
  const message = f.message ?? "Injected by localcloud fault";
  if (f.error === "Throttling" || f.error === "RequestLimitExceeded") {
    const t = throttling();
    return new AwsError(t.code, f.message ?? t.message, f.status ?? t.status);
  }
  const status = f.status ?? 400;
  const code = f.error ?? (status === 503 ? "ServiceUnavailable" : status >= 500 ? "InternalFailure" : "InjectedFault");
  return new AwsError(code, message, status, status >= 500 ? "Receiver" : "Sender");
}
