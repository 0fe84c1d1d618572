/**
 * Creates a new migration from the difference between the migration history and the
 * schema: `npm run db:diff -- <name>`. (`prisma migrate dev` is unreliable with the JS
 * engine; see shared/STACK.md.)
 */
import fs from "node:fs";
import path from "node:path";
import { ensureDatabase, prisma } from "./lib/database.ts";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_");
if (!name) {
  console.error("usage: npm run db:diff -- <migration_name>");
  process.exit(2);
}
const { url, embedded } = await ensureDatabase({ dataDir: process.env.SWITCHYARD_DATA_DIR ?? ".switchyard" });
try {
  const { out } = await prisma(
    ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    url,
  );
  const sql = out.slice(Math.max(0, out.search(/^--/m)));
  if (!/CREATE|ALTER|DROP/.test(sql)) {
    console.log("No changes: the migrations already match the schema.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join("prisma", "migrations", `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "migration.sql"), sql.trimStart());
    if (!fs.existsSync("prisma/migrations/migration_lock.toml"))
      fs.writeFileSync("prisma/migrations/migration_lock.toml", 'provider = "postgresql"\n');
    console.log(`wrote ${dir}/migration.sql`);
  }
} finally {
  await embedded?.stop();
}
