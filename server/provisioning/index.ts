/**
 * The reference stack as named, idempotent steps. Each takes plain JSON
 * ({ accountId, envId, spec, ...outputs of earlier steps }) and returns plain JSON with
 * `touched` (the AWS resources it created / found / updated / deleted).
 *
 * Provision (dependency graph; independent branches may run in parallel):
 *   ensureNetwork (VPC, subnets, route tables, S3 gateway endpoint)
 *     -> ensureEgress (NAT gateways and routes per spec.network.egress) -> waitEgressReady*
 *     -> ensureSecurityGroups(vpcId)
 *          -> ensureDatabase(privateSubnetIds, dbSgId) -> waitDatabaseAvailable*     (slowest; does not wait for the ALB)
 *          -> ensureCache(privateSubnetIds, appSgId) -> waitCacheAvailable*          (beside the database; cache.ts)
 *                -> ensureInstanceRole(secret ARN) -> ensureParameters(endpoint, port, secret) -> ensureLaunchTemplate(appSgId, profile)
 *          -> ensureLoadBalancer(vpcId, publicSubnetIds, albSgId) -> waitLoadBalancerActive*
 *                -> ensureDistribution(dnsName, originSecret) -> waitDistributionDeployed*
 *     ensureLoadBalancer + waitEgressReady + ensureLaunchTemplate -> ensureFleet(blue), ensureFleet(green) -> waitFleetHealthy(blue)*
 *     ensureLoadBalancer + ensureDistribution + ensureDatabase -> ensureAlarms
 *   (* bounded polls returning { done, detail }: sleep durably and call again until done)
 * Rollout / rollback moves: createLaunchTemplateVersion, setFleetCapacity (replaces instances
 *   on another launch template version), waitFleetHealthy (healthy AND on the version),
 *   probeFleet (Switchyard's own requests to each new target), fleetHealth,
 *   setListenerWeights, fleetMetrics.
 * Check: readStack -> driftCheck(spec, stack).
 * Teardown: see teardown.ts (disableDistribution ... deleteNetwork, deleteInstanceRole, deleteParameters).
 * Ownership: anything found by name must carry the environment's tag (ownership.ts).
 * Drills: terminateInstance, failoverDatabase (drills.ts).
 */
export {
  SLOTS,
  TAG_ENV,
  TAG_ENV_NAME,
  TAG_SLOT,
  namesOf,
  prefixOf,
  type NamedEnvironment,
  type Poll,
  type Slot,
  type StepInput,
  type Touched,
  type TouchAction,
} from "./context.ts";
export { ensureNetwork, APP_PORT, type NetworkOutput } from "./network.ts";
export { ensureEgress, waitEgressReady, type EgressOutput } from "./egress.ts";
export { ensureSecurityGroups, type SecurityGroupsOutput } from "./security-groups.ts";
export { ensureInstanceRole, type InstanceRoleOutput } from "./instance-role.ts";
export { ensureParameters } from "./parameters.ts";
export { instanceLog, type InstanceLog } from "./instance-log.ts";
export { ForeignResourceError } from "./ownership.ts";
export {
  ensureLoadBalancer,
  waitLoadBalancerActive,
  setListenerWeights,
  type LoadBalancerOutput,
  type ListenerWeightsInput,
} from "./load-balancer.ts";
export { ensureLaunchTemplate, createLaunchTemplateVersion, renderUserData, type LaunchTemplateOutput } from "./launch-template.ts";
export {
  ensureFleet,
  setFleetCapacity,
  fleetHealth,
  waitFleetHealthy,
  type Capacity,
  type EnsureFleetInput,
  type FleetHealth,
  type ReplacedInstance,
  type SetFleetCapacityInput,
} from "./fleet.ts";
export { ensureDatabase, waitDatabaseAvailable, type DatabaseOutput, type DatabaseDetail } from "./database.ts";
export { ensureCache, waitCacheAvailable, deleteCache, CACHE_PORT, type CacheOutput, type CacheDetail } from "./cache.ts";
export {
  ensureDistribution,
  waitDistributionDeployed,
  invalidateDistribution,
  disableDistribution,
  deleteDistribution,
  type DistributionOutput,
} from "./distribution.ts";
export { ensureAlarms, expectedAlarmNames, type AlarmTargets } from "./alarms.ts";
export { readStack, type Stack, type FleetView, type TargetGroupView } from "./read-stack.ts";
export { driftCheck, liveSlotOf, type DriftRow, type DriftValue } from "./drift.ts";
export { fleetMetrics, serverClock, type FleetMetrics, type FleetMetricsInput, type FleetMinute } from "./metrics.ts";
export {
  deleteAlarms,
  deleteFleets,
  deleteLoadBalancer,
  deleteLaunchTemplate,
  deleteDatabase,
  deleteSecurityGroups,
  deleteNetwork,
  deleteInstanceRole,
  deleteParameters,
} from "./teardown.ts";
export { terminateInstance, failoverDatabase, failoverCache } from "./drills.ts";
export { probeFleet, judgeProbe, PROBE_HEADER, type ProbeInput, type ProbeResult } from "./probe.ts";
export {
  holdFleetCapacity,
  releaseFleetHold,
  drainStatus,
  deregistrationDelayOf,
  HELD_MIN_TAG,
  type FleetHold,
  type DrainDetail,
} from "./hold-fleet.ts";
export { confirmTraffic, confirmedAt, CONFIRM_RUN, type ConfirmInput, type ConfirmResult } from "./confirm-traffic.ts";
export { rollbackReadiness, judgeReadiness, type RollbackReadiness } from "./rollback-readiness.ts";
