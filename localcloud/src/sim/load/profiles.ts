/**
 * Load profiles: what POST /_localcloud/load accepts, and the request rate a profile asks for
 * at a given moment. Rates are WALL requests per second (real HTTP has to be sent in real
 * time); the shape of diurnal and spike profiles follows SIMULATED time, so a day-long diurnal
 * curve passes in minutes at speed 100.
 *   constant  rps
 *   diurnal   minRps..maxRps on a cosine, lowest at the start, highest half a period later
 *   spike     rps, then spikeRps from spikeAtSeconds for spikeDurationSeconds, then rps again
 * Any profile may stop after durationSeconds (simulated); it stays listed, as finished.
 */

/** The most a single profile (and all profiles together) may send, per wall second. */
export const MAX_TOTAL_RPS = 500;

export type ProfileKind = "constant" | "diurnal" | "spike";

export interface LoadSpec {
  id: string;
  /** As given: a load balancer name or ARN, or a CloudFront distribution id. */
  target: string;
  targetKind: "loadBalancer" | "distribution";
  /** The load balancer ARN or the distribution id the target resolved to. */
  targetRef: string;
  profile: ProfileKind;
  rps: number;
  path: string;
  minRps?: number;
  maxRps?: number;
  periodSeconds?: number;
  spikeRps?: number;
  spikeAtSeconds?: number;
  spikeDurationSeconds?: number;
  /** Simulated seconds after which the profile stops sending (it stays listed as finished). */
  durationSeconds?: number;
  /** Simulated ms when the profile started (diurnal and spike shapes count from here). */
  startedAt: number;
  /** Made by --default-load rather than by a caller (not persisted). */
  default?: boolean;
}

export class LoadInputError extends Error {}

function num(
  body: Record<string, unknown>,
  key: string,
  opts: { required?: boolean; min?: number; max?: number } = {},
): number | undefined {
  const v = body[key];
  if (v === undefined || v === null) {
    if (opts.required) throw new LoadInputError(`"${key}" is required`);
    return undefined;
  }
  if (typeof v !== "number" || !Number.isFinite(v)) throw new LoadInputError(`"${key}" must be a number`);
  if (opts.min !== undefined && v < opts.min) throw new LoadInputError(`"${key}" must be >= ${opts.min}`);
  if (opts.max !== undefined && v > opts.max) throw new LoadInputError(`"${key}" must be <= ${opts.max}`);
  return v;
}

/** The caller's fields, checked; target resolution is the caller's job. */
export function parseLoadBody(body: unknown): Omit<LoadSpec, "id" | "targetKind" | "targetRef" | "startedAt"> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new LoadInputError("expected a JSON object");
  const b = body as Record<string, unknown>;
  if (typeof b.target !== "string" || !b.target)
    throw new LoadInputError('"target" (load balancer name or ARN, or distribution id) is required');
  const profile = (b.profile ?? "constant") as ProfileKind;
  if (!["constant", "diurnal", "spike"].includes(profile)) throw new LoadInputError('"profile" must be constant, diurnal or spike');
  const path = b.path ?? "/";
  if (typeof path !== "string" || !path.startsWith("/")) throw new LoadInputError('"path" must start with /');
  const rate = { min: 0, max: MAX_TOTAL_RPS };
  const spec = {
    target: b.target,
    profile,
    path,
    rps: num(b, "rps", { ...rate, required: profile !== "diurnal" }) ?? 0,
    minRps: num(b, "minRps", rate),
    maxRps: num(b, "maxRps", rate),
    periodSeconds: num(b, "periodSeconds", { min: 1 }),
    spikeRps: num(b, "spikeRps", { ...rate, required: profile === "spike" }),
    spikeAtSeconds: num(b, "spikeAtSeconds", { min: 0 }),
    spikeDurationSeconds: num(b, "spikeDurationSeconds", { min: 1 }),
    durationSeconds: num(b, "durationSeconds", { min: 1 }),
  };
  if (profile === "diurnal") {
    spec.maxRps ??= spec.rps;
    if (!spec.maxRps) throw new LoadInputError('"maxRps" (or "rps") is required for a diurnal profile');
    spec.minRps ??= 0;
    if (spec.minRps > spec.maxRps) throw new LoadInputError('"minRps" must be <= "maxRps"');
    spec.periodSeconds ??= 86_400;
  }
  if (profile === "spike") {
    spec.spikeAtSeconds ??= 60;
    spec.spikeDurationSeconds ??= 300;
  }
  return spec;
}

/** Requests per wall second the profile wants `simElapsedMs` simulated ms after it started. */
export function rateAt(spec: LoadSpec, simElapsedMs: number): number {
  const t = Math.max(0, simElapsedMs) / 1000;
  if (isFinished(spec, simElapsedMs)) return 0;
  switch (spec.profile) {
    case "diurnal": {
      const phase = (2 * Math.PI * t) / (spec.periodSeconds ?? 86_400);
      return spec.minRps! + ((spec.maxRps! - spec.minRps!) * (1 - Math.cos(phase))) / 2;
    }
    case "spike": {
      const at = spec.spikeAtSeconds ?? 60;
      return t >= at && t < at + (spec.spikeDurationSeconds ?? 300) ? spec.spikeRps! : spec.rps;
    }
    default:
      return spec.rps;
  }
}

export function isFinished(spec: LoadSpec, simElapsedMs: number): boolean {
  return spec.durationSeconds !== undefined && simElapsedMs >= spec.durationSeconds * 1000;
}
