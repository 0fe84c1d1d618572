/**
 * Service quotas per local account, with AWS's defaults, settable through the admin API (an
 * extension through registerAdminRoutes, so admin-api.ts is unchanged):
 *
 *   GET    /_localcloud/quotas[/<accountId>]  -> {"accountId","quotas":[{service,code,awsQuotaCode,name,default,value}]}
 *   POST   /_localcloud/quotas[/<accountId>]  {"quotas":{"vpcs-per-region":20,"L-0263D0A3":10,"nat-gateways-per-az":null}}
 *                                             -> the same list (null = back to the default); 400 {"error"} when invalid
 *   DELETE /_localcloud/quotas[/<accountId>]  -> every quota of the account back to its default
 *
 * A service declares its quotas once with defineQuotas() and reads them with quotaValue().
 * Overrides live in the declaring service's own state under `quotaValues`, so they persist
 * with it and a reset (every service back to its initial state) clears them. The account is
 * the cloud's (ctx.accountId); without an account in the route, the cloud's default one.
 */
import { registerAdminRoutes, type AdminResponse } from "./admin-api.ts";
import type { CloudApi, ServiceName } from "./types.ts";

export interface QuotaDefinition {
  service: ServiceName;
  /** Our readable code, e.g. "vpcs-per-region". */
  code: string;
  /** The Service Quotas code (L-...), accepted as an alias in POST. */
  awsQuotaCode: string;
  /** AWS's name for it, e.g. "VPCs per Region". */
  name: string;
  default: number;
}

const definitions: QuotaDefinition[] = [];

export function defineQuotas(quotas: QuotaDefinition[]): void {
  for (const quota of quotas) {
    if (!definitions.some((d) => d.code === quota.code)) definitions.push(quota);
  }
}

type QuotaStore = { quotaValues?: Record<string, Record<string, number>> };

function store(cloud: CloudApi, service: ServiceName): Record<string, Record<string, number>> {
  const state = cloud.state<QuotaStore>(service);
  state.quotaValues ??= {};
  return state.quotaValues;
}

function definition(code: string): QuotaDefinition | undefined {
  return definitions.find((d) => d.code === code || d.awsQuotaCode === code);
}

/** The quota in force for an account: its override, else AWS's default. */
export function quotaValue(cloud: CloudApi, accountId: string, code: string): number {
  const quota = definition(code);
  if (!quota) throw new Error(`unknown quota ${code}`);
  return store(cloud, quota.service)[accountId]?.[quota.code] ?? quota.default;
}

function listFor(cloud: CloudApi, accountId: string) {
  return {
    accountId,
    quotas: definitions.map((d) => ({
      service: d.service,
      code: d.code,
      awsQuotaCode: d.awsQuotaCode,
      name: d.name,
      default: d.default,
      value: quotaValue(cloud, accountId, d.code),
    })),
  };
}

function bad(message: string): AdminResponse {
  return { status: 400, body: { error: message } };
}

function setQuotas(cloud: CloudApi, accountId: string, body: Buffer): AdminResponse {
  let parsed: unknown;
  try {
    parsed = body.length ? JSON.parse(body.toString("utf8")) : {};
  } catch {
    return bad("body is not valid JSON");
  }
  const quotas = (parsed as { quotas?: unknown })?.quotas;
  if (!quotas || typeof quotas !== "object" || Array.isArray(quotas)) return bad('expected {"quotas": {"<code>": <integer >= 0> | null}}');
  const changes: Array<[QuotaDefinition, number | null]> = [];
  for (const [code, value] of Object.entries(quotas as Record<string, unknown>)) {
    const quota = definition(code);
    if (!quota) return bad(`unknown quota "${code}"; known: ${definitions.map((d) => d.code).join(", ")}`);
    if (value !== null && !(typeof value === "number" && Number.isInteger(value) && value >= 0))
      return bad(`"${code}" must be an integer >= 0 or null`);
    changes.push([quota, value as number | null]);
  }
  // Validate everything first: a bad entry changes nothing.
  for (const [quota, value] of changes) {
    const values = store(cloud, quota.service);
    values[accountId] ??= {};
    if (value === null) delete values[accountId][quota.code];
    else values[accountId][quota.code] = value;
  }
  cloud.markDirty();
  return { status: 200, body: listFor(cloud, accountId) };
}

function resetQuotas(cloud: CloudApi, accountId: string): AdminResponse {
  for (const service of new Set(definitions.map((d) => d.service))) delete store(cloud, service)[accountId];
  cloud.markDirty();
  return { status: 200, body: listFor(cloud, accountId) };
}

registerAdminRoutes((cloud, method, route, body) => {
  const match = /^quotas(?:\/([^/]+))?$/.exec(route);
  if (!match) return undefined;
  const accountId = match[1] ? decodeURIComponent(match[1]) : cloud.accountId;
  if (!/^\d{12}$/.test(accountId)) return bad(`"${accountId}" is not a 12-digit account id`);
  if (method === "GET") return { status: 200, body: listFor(cloud, accountId) };
  if (method === "POST") return setQuotas(cloud, accountId, body);
  if (method === "DELETE") return resetQuotas(cloud, accountId);
  return { status: 405, body: { error: `${method} not allowed on /_localcloud/quotas` } };
});
