/**
 * driftCheck(spec, stack): what the real stack (from readStack) differs in from the spec.
 * Pure: no AWS call. Capacity and instance type are checked on the live slot (the one with
 * the larger listener weight); the idle slot is the rollout's business.
 */
import type { EnvironmentSpec } from "../environments/spec.ts";
import { expectedAlarmNames } from "./alarms.ts";
import { cacheDrift } from "./cache-view.ts";
import { SLOTS, type Slot } from "./context.ts";
import { natZones } from "./egress.ts";
import { DEREGISTRATION_DELAY_SECONDS } from "./load-balancer.ts";
import type { Stack } from "./read-stack.ts";

export type DriftValue = string | number | boolean | null;
export interface DriftRow {
  path: string;
  expected: DriftValue;
  actual: DriftValue;
}

/** The slot taking traffic: the larger listener weight, blue on a tie or with no listener. */
export function liveSlotOf(stack: Pick<Stack, "loadBalancer">): Slot {
  const w = stack.loadBalancer?.weights;
  return w && w.green > w.blue ? "green" : "blue";
}

/**
 * Version drift: the spec names one app version and another serves because a rollback put it
 * back (a rollout of a version the spec does not name is a person's choice, not drift).
 */
export function versionDrift(specVersion: string, live: { version: string | null; afterRollback: boolean }): DriftRow[] {
  if (!live.afterRollback || !live.version || live.version === specVersion) return [];
  return [{ path: "app.version", expected: specVersion, actual: `${live.version} (after rollback)` }];
}

/**
 * `recorded` is what Switchyard's database says runs (the live version, from the last
 * operation); the stack says what actually runs (from the instances' launch template versions).
 */
export function driftCheck(spec: EnvironmentSpec, stack: Stack, recorded: { liveVersion?: string | null } = {}): DriftRow[] {
  const rows: DriftRow[] = [];
  const cmp = (path: string, expected: DriftValue, actual: DriftValue) => {
    if (expected !== actual) rows.push({ path, expected, actual });
  };
  const present = (path: string, exists: boolean, wanted = true) => {
    if (exists !== wanted) rows.push({ path, expected: wanted ? "present" : "absent", actual: exists ? "present" : "missing" });
    return exists && wanted;
  };

  if (present("network.vpc", !!stack.network) && stack.network) {
    cmp("network.publicSubnets", spec.availabilityZones.length, stack.network.publicSubnetIds.length);
    cmp("network.privateSubnets", spec.availabilityZones.length, stack.network.privateSubnetIds.length);
    present("network.internetGateway", !!stack.network.internetGatewayId);
    present("network.routeTable", !!stack.network.routeTableId);
    // Stacks read before NAT gateways were recorded have no list: nothing to compare.
    const nats = stack.network.natGateways?.filter((n) => n.state === "available" || n.state === "pending");
    if (nats)
      cmp(`network.natGateways (${spec.network.egress})`, natZones(spec.network.egress, spec.availabilityZones).length, nats.length);
  }
  for (const role of ["alb", "app", "db"] as const) present(`securityGroups.${role}`, !!stack.securityGroups[role]);

  if (present("loadBalancer", !!stack.loadBalancer) && stack.loadBalancer) {
    present("loadBalancer.listener", !!stack.loadBalancer.listenerArn);
    if (stack.loadBalancer.https !== undefined) cmp("loadBalancer.https", !!spec.certificateArn, stack.loadBalancer.https);
    if (stack.loadBalancer.cloudfrontOnly !== undefined)
      cmp("loadBalancer.cloudfrontOnly", spec.cloudfront, stack.loadBalancer.cloudfrontOnly);
  }
  const hc = spec.healthCheck;
  for (const slot of SLOTS) {
    const tg = stack.targetGroups[slot];
    if (!present(`targetGroups.${slot}`, !!tg) || !tg) continue;
    cmp(`healthCheck.path (${slot})`, hc.path, tg.healthCheck.path);
    cmp(`healthCheck.intervalSeconds (${slot})`, hc.intervalSeconds, tg.healthCheck.intervalSeconds);
    cmp(`healthCheck.timeoutSeconds (${slot})`, hc.timeoutSeconds, tg.healthCheck.timeoutSeconds);
    cmp(`healthCheck.healthyThreshold (${slot})`, hc.healthyThreshold, tg.healthCheck.healthyThreshold);
    cmp(`healthCheck.unhealthyThreshold (${slot})`, hc.unhealthyThreshold, tg.healthCheck.unhealthyThreshold);
    cmp(`targetGroups.${slot}.deregistrationDelaySeconds`, DEREGISTRATION_DELAY_SECONDS, tg.deregistrationDelaySeconds);
  }

  const live = liveSlotOf(stack);
  for (const slot of SLOTS) {
    const fleet = stack.fleets[slot];
    if (!present(`fleets.${slot}`, !!fleet) || !fleet) continue;
    cmp(`healthCheck.gracePeriodSeconds (${slot})`, hc.gracePeriodSeconds, fleet.healthCheckGracePeriod);
    cmp(`scaling.metric (${slot})`, spec.scaling.metric, fleet.scaling?.metric ?? null);
    cmp(`scaling.target (${slot})`, spec.scaling.target, fleet.scaling?.target ?? null);
    // Changing a group's launch template version never replaces running instances: an instance
    // on another version serves something other than what the group (and Switchyard) record.
    for (const v of fleet.versions) {
      if (v.launchTemplateVersion !== fleet.launchTemplateVersion) {
        rows.push({
          path: `fleets.${slot}.launchTemplateVersion (${v.instances} instance${v.instances === 1 ? "" : "s"})`,
          expected: fleet.launchTemplateVersion,
          actual: v.appVersion ? `${v.launchTemplateVersion} (${v.appVersion})` : v.launchTemplateVersion,
        });
      }
    }
    if (slot !== live) continue;
    if (recorded.liveVersion && fleet.inService > 0) {
      const serving = fleet.versions.map((v) => v.appVersion ?? `launch template version ${v.launchTemplateVersion ?? "?"}`);
      if (serving.some((v) => v !== recorded.liveVersion))
        cmp(`liveVersion (${slot})`, recorded.liveVersion, [...new Set(serving)].join(", "));
    }
    cmp(`capacity.min (${slot})`, spec.capacity.min, fleet.min);
    cmp(`capacity.desired (${slot})`, spec.capacity.desired, fleet.desired);
    cmp(`capacity.max (${slot})`, spec.capacity.max, fleet.max);
    cmp(`instanceType (${slot})`, spec.instanceType, fleet.instanceType);
  }

  const db = spec.database;
  if (present("database", !!stack.database, !!db) && db && stack.database) {
    cmp("database.engine", db.engine, stack.database.engine);
    cmp("database.instanceClass", db.instanceClass, stack.database.instanceClass);
    cmp("database.multiAz", db.multiAz, stack.database.multiAz);
    if ((stack.database.storageGb ?? 0) < db.storageGb) cmp("database.storageGb", db.storageGb, stack.database.storageGb);
    if (stack.database.deletionProtection !== undefined)
      cmp("database.deletionProtection", spec.protected, stack.database.deletionProtection);
  }
  rows.push(...cacheDrift(spec, stack.cache));
  if (present("cloudfront", !!stack.distribution, spec.cloudfront) && stack.distribution) {
    cmp("cloudfront.enabled", true, stack.distribution.enabled);
  }
  const alarms = new Set(stack.alarms.map((a) => a.name));
  for (const name of expectedAlarmNames(spec, stack.namePrefix ?? null)) present(`alarms.${name}`, alarms.has(name));
  return rows;
}
