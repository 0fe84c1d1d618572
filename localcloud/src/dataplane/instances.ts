/**
 * Instance app servers follow EC2: an instance that is `running`, whose bootstrap got what its
 * user data needs (network path and role: sim/bootstrap/) and that is past its boot_seconds has
 * a server; any other instance has none (so connections are refused, as from a box whose app is
 * not up: its health checks fail with Target.FailedHealthChecks). Reconciled on every tick from
 * the EC2 state.
 */
import type { CloudApi } from "../core/types.ts";
import { ec2State } from "../services/ec2/state.ts";
import { instanceUserData, type Ec2Instance } from "../services/ec2/api.ts";
import { elbState } from "../services/elbv2/state.ts";
import { parseBehaviour, type InstanceBehaviour } from "./directives.ts";
import { InstanceServer } from "./instance-server.ts";
import type { DataPlane } from "./plane.ts";
import { bootstrapOf } from "../sim/bootstrap/index.ts";

/** Parsed user data per instance (user data of a running instance does not change). */
const behaviourCache = new WeakMap<Ec2Instance, InstanceBehaviour>();

export function behaviourOf(instance: Ec2Instance): InstanceBehaviour {
  let b = behaviourCache.get(instance);
  if (!b) {
    const lt = instance.LaunchTemplate;
    b = parseBehaviour(instanceUserData(instance), lt ? `${lt.LaunchTemplateName}:${lt.Version}` : "unknown");
    behaviourCache.set(instance, b);
  }
  return b;
}

/** When the app starts answering (simulated ms), or undefined while the instance is not running or its bootstrap failed. */
export function appUpAt(cloud: CloudApi, instance: Ec2Instance): number | undefined {
  if (instance.State !== "running") return undefined;
  if (bootstrapOf(cloud).outcome(instance) === "failed") return undefined;
  return (instance.RunningSince ?? instance.LaunchTime) + behaviourOf(instance).bootSeconds * 1000;
}

export function reconcileInstances(cloud: CloudApi, plane: DataPlane, now: number): void {
  const instances = ec2State(cloud).instances;
  const paths = new Set<string>();
  for (const tg of Object.values(elbState(cloud).targetGroups)) if (tg.healthCheck?.path) paths.add(tg.healthCheck.path);
  plane.healthPaths = paths;
  for (const [id, server] of plane.instances) {
    const inst = instances[id];
    const upAt = inst ? appUpAt(cloud, inst) : undefined;
    if (upAt === undefined || now < upAt) {
      server.close();
      plane.instances.delete(id);
    }
  }
  for (const inst of Object.values(instances)) {
    if (plane.instances.has(inst.InstanceId)) continue;
    const upAt = appUpAt(cloud, inst);
    if (upAt === undefined || now < upAt) continue;
    const server = new InstanceServer(inst.InstanceId, inst.AvailabilityZone, behaviourOf(inst), (p) => plane.healthPaths.has(p));
    Object.assign(server.overrides, plane.overrides.get(inst.InstanceId));
    plane.instances.set(inst.InstanceId, server);
    server.start().catch((err) => {
      console.error(`localcloud: instance ${inst.InstanceId} app server failed to listen:`, err);
      plane.instances.delete(inst.InstanceId);
    });
  }
}

/** The URL of an instance's app, or undefined when it is not answering (not running, booting, not yet listening). */
export function instanceUrl(plane: DataPlane | undefined, instanceId: string): string | undefined {
  return plane?.instances.get(instanceId)?.url;
}

/** GET /_localcloud/instances: every instance EC2 knows that is or will be serving. */
export function listInstanceServers(cloud: CloudApi, plane: DataPlane) {
  const now = cloud.now();
  return Object.values(ec2State(cloud).instances)
    .filter((i) => i.State === "pending" || i.State === "running")
    .map((inst) => {
      const server = plane.instances.get(inst.InstanceId);
      const upAt = appUpAt(cloud, inst);
      const failed = inst.State === "running" && bootstrapOf(cloud).known(inst.InstanceId) === "failed";
      const b = server ? server.effective() : { ...behaviourOf(inst), ...plane.overrides.get(inst.InstanceId) };
      return {
        id: inst.InstanceId,
        region: inst.region,
        availabilityZone: inst.AvailabilityZone,
        url: server?.url ?? null,
        version: b.version,
        state: server?.url
          ? "serving"
          : failed
            ? "failed"
            : upAt !== undefined && now < upAt
              ? "booting"
              : inst.State === "pending"
                ? "pending"
                : "starting",
        health: b.health,
        errorRate: b.errorRate,
        latencyMs: b.latencyMs,
        cpuPerRps: b.cpuPerRps,
      };
    });
}
