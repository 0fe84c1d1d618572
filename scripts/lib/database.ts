import { spawn } from "node:child_process";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/db/embedded.ts";

/** DATABASE_URL when set, else the embedded PostgreSQL under the data directory. */
export async function ensureDatabase(opts: { dataDir: string; pgPort?: number; log?: (m: string) => void }): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedPostgres({ dataDir: opts.dataDir, port: opts.pgPort ?? 54329, log: opts.log });
  return { url: embedded.url, embedded };
}

const root = path.resolve(import.meta.dirname, "../..");

/** Runs the Prisma CLI against `url`; resolves with its output, rejects with it on failure. */
export function prisma(args: string[], url: string, opts: { allowExit?: number[] } = {}): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules/.bin/prisma"), args, {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => {
      const c = code ?? 1;
      if (c === 0 || opts.allowExit?.includes(c)) resolve({ code: c, out });
      else reject(new Error(`prisma ${args.join(" ")} failed (exit ${c}):\n${out}`));
    });
  });
}

export async function migrateDeploy(url: string) {
  await prisma(["migrate", "deploy"], url);
}

/** Creates or updates the durable-workflow engine's schemas (workflow, graphile_worker) in the same database. */
export function bootstrapWorkflowWorld(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules/.bin/bootstrap"), [], {
      cwd: root,
      env: { ...process.env, WORKFLOW_POSTGRES_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`workflow world bootstrap failed (exit ${code}):\n${out}`))));
  });
}
