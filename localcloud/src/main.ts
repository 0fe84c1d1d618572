/**
 * CLI: npx tsx localcloud/src/main.ts [--port 4566] [--data-dir ./.switchyard] [--speed 10] [--host 127.0.0.1] [--reset] [--default-load <rps>] [--consistency-lag <seconds>]
 * Prints one line when listening; SIGINT/SIGTERM stop it after writing the state.
 */
import { parseArgs } from "node:util";
import { DEFAULT_PORT, startLocalCloud } from "./index.ts";

function fail(message: string): never {
  console.error(`localcloud: ${message}`);
  console.error(
    "usage: localcloud [--port <p>] [--data-dir <dir>] [--speed <x>] [--host <h>] [--reset] [--default-load <rps>] [--consistency-lag <seconds>]",
  );
  process.exit(2);
}

async function main() {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string" },
        "data-dir": { type: "string" },
        speed: { type: "string" },
        host: { type: "string" },
        /** Start from initial state, discarding what the data dir holds. */
        reset: { type: "boolean" },
        /** Real HTTP requests per wall second to every active load balancer no load profile targets. */
        "default-load": { type: "string" },
        /** Simulated seconds a new resource stays invisible to Describe* by its id (AWS's eventual consistency). */
        "consistency-lag": { type: "string" },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0-65535, got ${values.port}`);
  const speed = values.speed === undefined ? undefined : Number(values.speed);
  if (speed !== undefined && !(speed > 0 && Number.isFinite(speed))) fail(`--speed must be a number > 0, got ${values.speed}`);

  const defaultLoadRps = values["default-load"] === undefined ? undefined : Number(values["default-load"]);
  if (defaultLoadRps !== undefined && !(defaultLoadRps >= 0 && defaultLoadRps <= 500))
    fail(`--default-load must be a number of requests per second 0-500, got ${values["default-load"]}`);

  const consistencyLagSeconds = values["consistency-lag"] === undefined ? undefined : Number(values["consistency-lag"]);
  if (consistencyLagSeconds !== undefined && !(consistencyLagSeconds >= 0 && consistencyLagSeconds <= 3600))
    fail(`--consistency-lag must be a number of seconds 0-3600, got ${values["consistency-lag"]}`);

  const lc = await startLocalCloud({
    port,
    host: values.host as string | undefined,
    dataDir: (values["data-dir"] as string | undefined) ?? "./.switchyard",
    speed,
    defaultLoadRps,
    consistencyLagSeconds,
  });
  if (values.reset) await lc.reset();
  console.log(
    `localcloud listening on ${lc.url} (speed ${lc.cloud.speed()}${defaultLoadRps ? `, default load ${defaultLoadRps} rps` : ""}${consistencyLagSeconds ? `, consistency lag ${consistencyLagSeconds} s` : ""})`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    await lc.close();
    console.log(`localcloud stopped (${signal}), state written`);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error("localcloud: failed to start:", err);
  process.exit(1);
});
