/**
 * Start a local cloud in-process:
 *   const lc = await startLocalCloud({ port: 0, dataDir, speed: 200 });
 *   new EC2Client({ endpoint: lc.url, region: "us-east-1", credentials });
 *   await lc.close();
 */
import type { AddressInfo } from "node:net";
import { LocalCloud } from "./core/cloud.ts";
import type { CloudApi, ServiceModule, ServiceName } from "./core/types.ts";
import { createLocalCloudServer } from "./server.ts";
import { services } from "./services/index.ts";
import { recordMetricData } from "./services/cloudwatch/index.ts";
import { startSimulation, withSimulationTick } from "./sim/index.ts";
import { setConsistencyLag, withConsistencyLag } from "./core/consistency.ts";
import { withInstanceProfileCapture } from "./sim/bootstrap/index.ts";

/** Fast enough that a full stack (RDS creating ~6 simulated minutes) is ready in about a minute. */
export const DEFAULT_SPEED = 10;
export const DEFAULT_PORT = 4566;

export interface LocalCloudStartOptions {
  /** Default 4566; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** State is persisted under <dataDir>/localcloud/. */
  dataDir: string;
  /** Simulated seconds per wall second (default: the persisted speed, else DEFAULT_SPEED). */
  speed?: number;
  accountId?: string;
  /** Replace service modules (tests: a fake module to drive a codec). Defaults to the registry. */
  services?: Partial<Record<ServiceName, ServiceModule>>;
  /**
   * Wall requests per second of real HTTP sent to every active load balancer with a listener
   * that no load profile targets (`--default-load`), so a new user sees live charts. Default off.
   */
  defaultLoadRps?: number;
  /**
   * Simulated seconds after a create during which Describe* by the new id answers the service's
   * NotFound error, as AWS's eventual consistency allows (`--consistency-lag`). Default 0.
   */
  consistencyLagSeconds?: number;
}

export interface RunningLocalCloud {
  url: string;
  port: number;
  cloud: CloudApi;
  /** All state back to initial, stats and faults cleared. */
  reset(): Promise<void>;
  /** Stop serving and write the state. */
  close(): Promise<void>;
}

export async function startLocalCloud(options: LocalCloudStartOptions): Promise<RunningLocalCloud> {
  if (options.speed !== undefined && !(options.speed > 0)) throw new Error(`speed must be > 0, got ${options.speed}`);
  if (options.defaultLoadRps !== undefined && !(options.defaultLoadRps >= 0))
    throw new Error(`defaultLoadRps must be >= 0, got ${options.defaultLoadRps}`);
  if (options.consistencyLagSeconds !== undefined && !(options.consistencyLagSeconds >= 0))
    throw new Error(`consistencyLagSeconds must be >= 0, got ${options.consistencyLagSeconds}`);
  const given: Record<string, ServiceModule> = { ...services, ...options.services };
  // Every handler goes through the consistency wrapper (inert while the lag is 0).
  // EC2's RunInstances also tells instance bootstrap which instance profile it was given.
  const modules = Object.fromEntries(
    Object.entries(given).map(([name, mod]) => [name, withConsistencyLag(name === "ec2" ? withInstanceProfileCapture(mod) : mod)]),
  ) as typeof services;
  const cloud = new LocalCloud({
    dataDir: options.dataDir,
    speed: options.speed,
    defaultSpeed: DEFAULT_SPEED,
    accountId: options.accountId,
    // Metrics derived from traffic are published in CloudWatch's tick, just before alarms evaluate.
    services: { ...modules, monitoring: withSimulationTick(modules.monitoring) },
    recordMetricData,
  });
  if (options.consistencyLagSeconds) setConsistencyLag(cloud, options.consistencyLagSeconds);
  const server = createLocalCloudServer(cloud);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const sim = startSimulation(cloud, { dataDir: options.dataDir, defaultLoadRps: options.defaultLoadRps });
  cloud.start();
  const port = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    cloud,
    reset: async () => cloud.reset(),
    close() {
      closed ??= new Promise<void>((resolve) => {
        sim.close();
        cloud.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

export { LocalCloud } from "./core/cloud.ts";
export type { CloudApi, ServiceModule, ServiceName } from "./core/types.ts";
