/**
 * The reference stack as named, idempotent steps. Each takes plain JSON
 * ({ accountId, envId, spec, ...outputs of earlier steps }) and returns plain JSON with
 * `touched` (the AWS resources it created / found / updated / deleted).
 *
 * Provision (dependency graph; independent branches may run in parallel):
 *   ensureNetwork
 *     -> ensureSecurityGroups(vpcId)
 *          -> ensureDatabase(privateSubnetIds, dbSgId) -> waitDatabaseAvailable*     (slowest; does not wait for the ALB)
 *          -> ensureLoadBalancer(vpcId, publicSubnetIds, albSgId) -> waitLoadBalancerActive*
 *                -> ensureDistribution(dnsName) -> waitDistributionDeployed*
 *          -> ensureLaunchTemplate(appSgId)
 *     ensureLoadBalancer + ensureLaunchTemplate -> ensureFleet(blue), ensureFleet(green) -> waitFleetHealthy(blue)*
 *     ensureLoadBalancer + ensureDistribution + ensureDatabase -> ensureAlarms
 *   (* bounded polls returning { done, detail }: sleep durably and call again until done)
 * Rollout / rollback moves: createLaunchTemplateVersion, setFleetCapacity (replaces instances
 *   on another launch template version), waitFleetHealthy (healthy AND on the version),
 *   probeFleet (Switchyard's own requests to each new target), fleetHealth,
 *   setListenerWeights, fleetMetrics.
 * Check: readStack -> driftCheck(spec, stack).
 * Teardown: see teardown.ts (disableDistribution ... deleteNetwork).
 * Drills: terminateInstance, failoverDatabase (drills.ts).
 */
export { SLOTS, TAG_ENV, TAG_ENV_NAME, TAG_SLOT, namesOf, type Poll, type Slot, type StepInput, type Touched, type TouchAction } from "./context.ts";
export { ensureNetwork, ensureSecurityGroups, APP_PORT, type NetworkOutput, type SecurityGroupsOutput } from "./network.ts";
export { ensureLoadBalancer, waitLoadBalancerActive, setListenerWeights, type LoadBalancerOutput, type ListenerWeightsInput } from "./load-balancer.ts";
export { ensureLaunchTemplate, createLaunchTemplateVersion, renderUserData, type LaunchTemplateOutput } from "./launch-template.ts";
export { ensureFleet, setFleetCapacity, fleetHealth, waitFleetHealthy, type Capacity, type EnsureFleetInput, type FleetHealth, type ReplacedInstance, type SetFleetCapacityInput } from "./fleet.ts";
export { ensureDatabase, waitDatabaseAvailable, type DatabaseOutput, type DatabaseDetail } from "./database.ts";
export { ensureDistribution, waitDistributionDeployed, disableDistribution, deleteDistribution, type DistributionOutput } from "./distribution.ts";
export { ensureAlarms, expectedAlarmNames, type AlarmTargets } from "./alarms.ts";
export { readStack, type Stack, type FleetView, type TargetGroupView } from "./read-stack.ts";
export { driftCheck, liveSlotOf, type DriftRow, type DriftValue } from "./drift.ts";
export { fleetMetrics, serverClock, type FleetMetrics, type FleetMetricsInput, type FleetMinute } from "./metrics.ts";
export { deleteAlarms, deleteFleets, deleteLoadBalancer, deleteLaunchTemplate, deleteDatabase, deleteSecurityGroups, deleteNetwork } from "./teardown.ts";
export { terminateInstance, failoverDatabase } from "./drills.ts";
export { probeFleet, judgeProbe, PROBE_HEADER, type ProbeInput, type ProbeResult } from "./probe.ts";
