import os from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end tests in Debian's Chromium against the real app started the way users start
 * it (`npm start`: embedded PostgreSQL, migrations, local cloud, production build), on a
 * fresh data directory. Files run in order on one worker: they tell one story.
 */
const port = Number(process.env.E2E_PORT ?? 3100);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `switchyard-e2e-${process.pid}`);

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: path.join(os.tmpdir(), "switchyard-e2e-results"),
  use: {
    baseURL: `http://localhost:${port}`,
    viewport: { width: 1400, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
      ],
    },
    trace: "off",
  },
  webServer: {
    command: "node_modules/.bin/tsx scripts/start.ts",
    url: `http://localhost:${port}/api/health`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGINT", timeout: 20_000 },
    env: {
      PORT: String(port),
      SWITCHYARD_DATA_DIR: dataDir,
      SWITCHYARD_URL: `http://localhost:${port}`,
      SWITCHYARD_TEST_MODE: "1",
      LOCALCLOUD_PORT: String(Number(process.env.E2E_LOCALCLOUD_PORT ?? 4599)),
      LOCALCLOUD_SPEED: "60",
      LOCALCLOUD_DEFAULT_LOAD: "25",
      SWITCHYARD_PG_PORT: String(port + 51000),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
