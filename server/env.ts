import "dotenv/config";
import path from "node:path";
import { z } from "zod";
import { parseCidr, type Cidr } from "./security/ip.ts";

/**
 * The one reader of process.env. Everything configurable is validated here, at start-up,
 * so a typo in a variable fails loudly instead of half-working.
 */
const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SWITCHYARD_DATA_DIR: z.string().min(1).default("./.switchyard"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional()
      .or(z.literal("").transform(() => undefined)),
    /** Preferred port of the embedded PostgreSQL (a free one is taken if it is busy). */
    SWITCHYARD_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    /** Public URL of the app, used for invite links and auth's trusted origins. */
    SWITCHYARD_URL: z.string().url().optional(),
    /** Secret for session signing; generated and kept under the data directory when unset. */
    BETTER_AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: z.string().email().optional(),
    SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12, "must be at least 12 characters").optional(),
    SWITCHYARD_BOOTSTRAP_TOKEN: z.string().min(24, "must be at least 24 characters").optional(),
    /** The local cloud: started beside the app by `npm start` unless disabled. */
    SWITCHYARD_LOCALCLOUD: z.enum(["on", "off"]).default("on"),
    LOCALCLOUD_PORT: z.coerce.number().int().min(1).max(65535).default(4566),
    LOCALCLOUD_SPEED: z.coerce.number().positive().default(10),
    /** Requests per second the local cloud sends to every active load balancer, so a new user sees live charts (0 = none). */
    LOCALCLOUD_DEFAULT_LOAD: z.coerce.number().min(0).max(500).default(2),
    /** Test mode (e2e and test servers). The sign-in attempt limit stays on. */
    SWITCHYARD_TEST_MODE: z.enum(["0", "1"]).default("0"),
    /** Proxies whose X-Forwarded-For is believed: comma-separated IPs or CIDR ranges. Unset: the socket's peer is the client. */
    SWITCHYARD_TRUSTED_PROXIES: z
      .string()
      .default("")
      .transform((text, ctx): Cidr[] => {
        const out: Cidr[] = [];
        for (const item of text
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)) {
          const range = parseCidr(item);
          if (range) out.push(range);
          else ctx.addIssue({ code: "custom", message: `"${item}" is not an IP address or CIDR range` });
        }
        return out;
      }),
    /** Single sign-on through an OpenID Connect provider (issuer, client id and secret: all or none). */
    SWITCHYARD_OIDC_ISSUER: z.string().url().optional(),
    SWITCHYARD_OIDC_CLIENT_ID: z.string().min(1).optional(),
    SWITCHYARD_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    /** The sign-in button says "Sign in with <name>". */
    SWITCHYARD_OIDC_NAME: z.string().min(1).max(40).default("SSO"),
    SWITCHYARD_OIDC_SCOPES: z.string().default("openid email profile"),
    /** The claim holding groups or roles (dotted path, e.g. realm_access.roles); a string or an array of strings. */
    SWITCHYARD_OIDC_ROLE_CLAIM: z.string().min(1).default("groups"),
    /** Claim value to role, e.g. "platform-admins=admin,release=deployer"; the highest match wins. */
    SWITCHYARD_OIDC_ROLE_MAP: z
      .string()
      .default("")
      .transform((text, ctx): Array<{ value: string; role: "viewer" | "deployer" | "admin" }> => {
        const out: Array<{ value: string; role: "viewer" | "deployer" | "admin" }> = [];
        for (const item of text
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)) {
          const at = item.lastIndexOf("=");
          const role = item.slice(at + 1).trim();
          if (at <= 0 || (role !== "viewer" && role !== "deployer" && role !== "admin"))
            ctx.addIssue({ code: "custom", message: `"${item}" is not <claim value>=<viewer|deployer|admin>` });
          else out.push({ value: item.slice(0, at).trim(), role });
        }
        return out;
      }),
    /** The role of someone whose claim matches nothing: "none" refuses the sign-in. */
    SWITCHYARD_OIDC_DEFAULT_ROLE: z.enum(["none", "viewer", "deployer", "admin"]).default("none"),
    SWITCHYARD_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /**
     * Loopback ports a notification webhook may point at (e.g. a receiver on this machine in
     * development or tests): comma-separated. Empty: webhooks reach public addresses only.
     */
    SWITCHYARD_NOTIFY_LOCAL_PORTS: z
      .string()
      .default("")
      .transform((text, ctx): number[] =>
        text
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
          .flatMap((item) => {
            const port = Number(item);
            if (Number.isInteger(port) && port >= 1 && port <= 65535) return [port];
            ctx.addIssue({ code: "custom", message: `"${item}" is not a port number` });
            return [];
          }),
      ),
    /** Set by Next.js; "phase-production-build" while `next build` collects page data. */
    NEXT_PHASE: z.string().optional(),
  })
  .superRefine((v, ctx) => {
    const sso = [v.SWITCHYARD_OIDC_ISSUER, v.SWITCHYARD_OIDC_CLIENT_ID, v.SWITCHYARD_OIDC_CLIENT_SECRET];
    if (sso.some(Boolean) && !sso.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["SWITCHYARD_OIDC_ISSUER"],
        message: "set SWITCHYARD_OIDC_ISSUER, SWITCHYARD_OIDC_CLIENT_ID and SWITCHYARD_OIDC_CLIENT_SECRET together",
      });
    }
  });

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration in environment variables:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = load();

export const dataDir = path.resolve(env.SWITCHYARD_DATA_DIR);

/** The URL the app is reached at. */
export const appUrl = env.SWITCHYARD_URL ?? `http://localhost:${env.PORT}`;

/**
 * The database URL in force. `npm start` sets DATABASE_URL for the app process after it
 * starts the embedded PostgreSQL, so inside the app it is always present.
 */
export function databaseUrl(): string {
  // `next build` imports modules that hold a client but runs no query: no database needed then.
  if (!env.DATABASE_URL && env.NEXT_PHASE === "phase-production-build") return "postgresql://build@127.0.0.1:1/unused";
  if (!env.DATABASE_URL) throw new Error("No database: set DATABASE_URL or start Switchyard with `npm start` (embedded PostgreSQL).");
  return env.DATABASE_URL;
}

/**
 * Where @workflow/world-postgres delivers workflow steps over HTTP. The library reads
 * WORKFLOW_LOCAL_BASE_URL from the process environment on every delivery, so the HTTP guard
 * (server/security/http-guard.ts) writes it here, with its per-process credentials in the URL.
 */
export function workflowDeliveryBase(port: number): URL {
  return new URL(process.env.WORKFLOW_LOCAL_BASE_URL || `http://127.0.0.1:${port}`);
}

export function setWorkflowDeliveryBase(url: URL): void {
  process.env.WORKFLOW_LOCAL_BASE_URL = url.toString().replace(/\/$/, "");
}
