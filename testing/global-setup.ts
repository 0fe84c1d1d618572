import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { ensureDatabase, migrateDeploy } from "../scripts/lib/database.ts";

/**
 * Vitest global setup: one PostgreSQL for the run (DATABASE_URL, or an embedded server in a
 * temp dir), a template database with every migration applied, and each test file then
 * clones its own database from the template (see setup-db.ts) so files run in parallel
 * without seeing each other's rows.
 */
export default async function setup(project: TestProject) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-test-"));
  fs.chmodSync(dataDir, 0o755);
  const { url, embedded } = await ensureDatabase({ dataDir, pgPort: 54400 + (process.pid % 500), log: () => {} });
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const template = `switchyard_template_${process.pid}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${template}`);
  const templateUrl = new URL(url);
  templateUrl.pathname = `/${template}`;
  await migrateDeploy(templateUrl.toString());
  await client.end();

  project.provide("pgAdminUrl", admin.toString());
  project.provide("pgTemplate", template);
  project.provide("pgTemplateUrl", templateUrl.toString());
  return async () => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    const dbs = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'sy_test_%' OR datname = $1`, [template]);
    for (const r of dbs.rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await c.end();
    await embedded?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
    pgTemplateUrl: string;
  }
}
