/**
 * The simulation layer: metrics derived from traffic and state, the load generator, and the
 * default load. Wired by startLocalCloud (src/index.ts):
 *   const sim = startSimulation(cloud, { dataDir, defaultLoadRps });
 *   services.monitoring = withSimulationTick(services.monitoring)   // publish before alarms evaluate
 *   sim.close() on close
 */
import { registerAdminRoutes } from "../core/admin-api.ts";
import type { CloudApi, ServiceModule } from "../core/types.ts";
import { loadRoutes } from "./load/routes.ts";
import { simulationOf } from "./simulation.ts";

export { startSimulation, simulationOf, Simulation, type SimulationOptions } from "./simulation.ts";

/** CloudWatch's module with the simulation's tick run first, so each closed minute is stored before alarms read it. */
export function withSimulationTick(monitoring: ServiceModule): ServiceModule {
  const tick = monitoring.tick;
  return {
    ...monitoring,
    tick(cloud: CloudApi, now: number) {
      try {
        simulationOf(cloud)?.tick(now);
      } finally {
        tick?.call(monitoring, cloud, now);
      }
    },
  };
}

registerAdminRoutes((cloud, method, route, body) => {
  const sim = simulationOf(cloud);
  return sim ? loadRoutes(cloud, sim.load, method, route, body) : undefined;
});
