import "dotenv/config";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { cliAdapter } from "./server/db/cli-adapter.ts";

// Prisma 6.19 runs offline only with the JS engine and a driver adapter (shared/STACK.md).
// Generation needs no database, but a resolvable URL keeps it from trying to download an engine.
process.env.DATABASE_URL ??= "postgresql://switchyard:switchyard@127.0.0.1:5432/switchyard";

// The JS engine leaves a 10 s timer behind: without unref the CLI waits for it at exit.
const setTimeoutRef = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...rest: unknown[]) => {
  const t = setTimeoutRef(fn, ms, ...rest);
  if ((ms ?? 0) >= 5_000) t.unref?.();
  return t;
}) as typeof setTimeout;

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => cliAdapter(process.env.DATABASE_URL!),
});
