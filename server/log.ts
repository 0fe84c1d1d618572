import { redact } from "./audit/redact.ts";
import { env } from "./env.ts";

/** Structured one-line JSON logs; secret-looking keys are redacted before printing. */
const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof levels;

function log(level: Level, msg: string, fields?: Record<string, unknown>) {
  if (levels[level] < levels[env.SWITCHYARD_LOG_LEVEL]) return;
  const line = JSON.stringify({ t: new Date().toISOString(), level, msg, ...(fields ? (redact(fields) as object) : {}) });
  (level === "error" ? console.error : console.log)(line);
}

export const logger = {
  debug: (m: string, f?: Record<string, unknown>) => log("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => log("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => log("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => log("error", m, f),
};
