import { spawn } from "node:child_process";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "./embedded.ts";

/** DATABASE_URL when set, else the embedded PostgreSQL under the data directory. */
export async function ensureDatabase(opts: {
  dataDir: string;
  pgPort?: number;
  log?: (m: string) => void;
}): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  const embedded = await startEmbeddedPostgres({ dataDir: opts.dataDir, port: opts.pgPort ?? 54329, log: opts.log });
  return { url: embedded.url, embedded };
}

const root = path.resolve(import.meta.dirname, "../..");

/** Runs a tool from node_modules/.bin; resolves with its exit code and output, rejects with the output unless the exit code is allowed. */
function runTool(
  bin: string,
  args: string[],
  env: Record<string, string>,
  what: string,
  allowExit: number[] = [],
): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, "node_modules/.bin", bin), args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", (e) => reject(new Error(`${what} could not start: ${e.message}`)));
    child.on("close", (code) => {
      const c = code ?? 1;
      if (c === 0 || allowExit.includes(c)) resolve({ code: c, out });
      else reject(new Error(`${what} failed (exit ${c}):\n${out}`));
    });
  });
}

/** Runs the Prisma CLI against `url`; resolves with its output, rejects with it on failure. */
export function prisma(args: string[], url: string, opts: { allowExit?: number[] } = {}): Promise<{ code: number; out: string }> {
  return runTool(
    "prisma",
    args,
    { DATABASE_URL: url, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    `prisma ${args.join(" ")}`,
    opts.allowExit,
  );
}

export async function migrateDeploy(url: string) {
  await prisma(["migrate", "deploy"], url);
}

/** Creates or updates the durable-workflow engine's schemas (workflow, graphile_worker) in the same database. */
export async function bootstrapWorkflowWorld(url: string): Promise<void> {
  await runTool("bootstrap", [], { WORKFLOW_POSTGRES_URL: url }, "workflow world bootstrap");
}
