import "dotenv/config";
import path from "node:path";
import { z } from "zod";

/**
 * The one reader of process.env. Everything configurable is validated here, at start-up,
 * so a typo in a variable fails loudly instead of half-working.
 */
const schema = z.object({
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
  /** Turns off rate limits on sign-in (tests only). */
  SWITCHYARD_TEST_MODE: z.enum(["0", "1"]).default("0"),
  SWITCHYARD_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Set by Next.js; "phase-production-build" while `next build` collects page data. */
  NEXT_PHASE: z.string().optional(),
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
