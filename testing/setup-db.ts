import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";

/**
 * Per test file: a fresh database cloned from the migrated template, set as DATABASE_URL
 * before any app module reads the environment.
 */
const adminUrl = inject("pgAdminUrl");
const template = inject("pgTemplate");
const name = `sy_test_${randomBytes(6).toString("hex")}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
await admin.end();
const url = new URL(adminUrl);
url.pathname = `/${name}`;
process.env.DATABASE_URL = url.toString();
process.env.SWITCHYARD_TEST_MODE = "1";
process.env.BETTER_AUTH_SECRET ??= "test-secret-test-secret-test-secret-0000";
process.env.SWITCHYARD_LOCALCLOUD = "off";

afterAll(async () => {
  const g = globalThis as { switchyardDb?: { $disconnect(): Promise<void> } };
  await g.switchyardDb?.$disconnect();
});
