import { defineConfig } from "vitest/config";
import path from "node:path";

// Two projects: the app's tests (each file on its own PostgreSQL database cloned from a
// migrated template) and the local cloud's (no database; it imports nothing from the app).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "app",
          include: ["server/**/*.test.ts", "scripts/**/*.test.ts", "app/**/*.test.ts"],
          globalSetup: ["testing/global-setup.ts"],
          setupFiles: ["testing/setup-db.ts"],
        },
      },
      {
        extends: true,
        // The CLI conformance tests start awscli or python3 for every call (a second or more
        // each; several seconds on a loaded 2-core box, with the e2e stage running beside).
        test: { name: "localcloud", include: ["localcloud/**/*.test.ts"], testTimeout: 120_000 },
      },
    ],
  },
});
