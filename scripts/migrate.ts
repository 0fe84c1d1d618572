/** Applies pending migrations: `npm run db:migrate` (DATABASE_URL, or the embedded database). */
import { ensureDatabase, migrateDeploy } from "./lib/database.ts";

const { url, embedded } = await ensureDatabase({ dataDir: process.env.SWITCHYARD_DATA_DIR ?? ".switchyard" });
try {
  await migrateDeploy(url);
  console.log("migrations applied");
} finally {
  await embedded?.stop();
}
