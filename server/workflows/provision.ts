import { act, finish, loadOperation, closeTimeline, readStackStep } from "./steps.ts";
import { waitUntil } from "./wait.ts";

/**
 * provisionWorkflow(deploymentId): builds an environment's whole reference stack.
 *   network -> in parallel:
 *     egress -> egress-ready                                  (NAT gateways, per the network mode)
 *     security-groups -> in parallel:
 *       database -> database-available                        (the slowest; waits for nothing else)
 *       cache -> cache-available                              (ElastiCache, when the spec has one; beside the database)
 *       load-balancer -> load-balancer-active -> distribution -> distribution-deployed
 *       (database-available, cache-available) -> instance-role -> parameters -> launch-template
 *         -> (load-balancer-active, egress-ready) -> fleet-blue, fleet-green -> fleet-healthy
 *   -> alarms -> read-back (the stack's ids and state saved on the environment)
 * The fleets wait for the database and the way out: their user data reads the delivery
 * contract (SSM, the database secret) at boot. Every step reads real state before acting, so a
 * retry or a resume after a crash creates nothing twice. Every wait is bounded (wait.ts).
 */
export async function provisionWorkflow(deploymentId: string) {
  "use workflow";
  const op = await loadOperation(deploymentId);
  const base = { accountId: op.accountId, envId: op.envId, spec: op.spec };
  try {
    const net = await act(deploymentId, "network", "ensureNetwork", base);
    const egress = (async () => {
      await act(deploymentId, "egress", "ensureEgress", {
        ...base,
        publicSubnetByZone: net.publicSubnetByZone,
        privateRouteTableIds: net.privateRouteTableIds,
      });
      await waitUntil(deploymentId, "egress-ready", "waitEgressReady", base, { minutes: 15, what: "The NAT gateways" });
    })();
    const sgs = await act(deploymentId, "security-groups", "ensureSecurityGroups", { ...base, vpcId: net.vpcId });

    const database = (async () => {
      if (!op.spec.database) return null;
      await act(deploymentId, "database", "ensureDatabase", { ...base, privateSubnetIds: net.privateSubnetIds, dbSgId: sgs.dbSgId });
      return waitUntil(deploymentId, "database-available", "waitDatabaseAvailable", base, { minutes: 60, what: "The database" });
    })();
    const cache = (async () => {
      if (!op.spec.cache) return null;
      await act(deploymentId, "cache", "ensureCache", {
        ...base,
        vpcId: net.vpcId,
        privateSubnetIds: net.privateSubnetIds,
        appSgId: sgs.appSgId,
      });
      return waitUntil(deploymentId, "cache-available", "waitCacheAvailable", base, { minutes: 60, what: "The cache" });
    })();
    const loadBalancer = (async () => {
      const lb = await act(deploymentId, "load-balancer", "ensureLoadBalancer", {
        ...base,
        vpcId: net.vpcId,
        publicSubnetIds: net.publicSubnetIds,
        albSgId: sgs.albSgId,
      });
      await waitUntil(deploymentId, "load-balancer-active", "waitLoadBalancerActive", base, { minutes: 15, what: "The load balancer" });
      return lb;
    })();
    const distribution = (async () => {
      if (!op.spec.cloudfront) return null;
      const lb = await loadBalancer;
      const dist = await act(deploymentId, "distribution", "ensureDistribution", {
        ...base,
        dnsName: lb.dnsName,
        originSecret: lb.originSecret,
        attempt: deploymentId,
      });
      await waitUntil(
        deploymentId,
        "distribution-deployed",
        "waitDistributionDeployed",
        { ...base, distributionId: dist.distributionId },
        { minutes: 45, what: "The CloudFront distribution" },
      );
      return dist.distributionId;
    })();
    const fleets = (async () => {
      const [db, cacheReady] = await Promise.all([database, cache]);
      const role = await act(deploymentId, "instance-role", "ensureInstanceRole", { ...base, dbSecretArn: db?.secretArn ?? null });
      await act(deploymentId, "parameters", "ensureParameters", {
        ...base,
        database: db ? { endpoint: db.address, port: db.port, secretArn: db.secretArn } : null,
        cache: cacheReady
          ? { primaryEndpoint: cacheReady.primaryEndpoint, readerEndpoint: cacheReady.readerEndpoint, port: cacheReady.port }
          : null,
      });
      const lt = await act(deploymentId, "launch-template", "ensureLaunchTemplate", {
        ...base,
        appSgId: sgs.appSgId,
        instanceProfileArn: role.instanceProfileArn,
      });
      const [lb] = await Promise.all([loadBalancer, egress]);
      // "public": the instances sit in the public subnets with public IPs (their security group still admits only the ALB).
      const subnetIds = op.spec.network.egress === "public" ? net.publicSubnetIds : net.privateSubnetIds;
      const fleetInput = {
        ...base,
        subnetIds,
        loadBalancerArn: lb.loadBalancerArn,
        targetGroupArns: lb.targetGroupArns,
        launchTemplateId: lt.launchTemplateId,
        launchTemplateVersion: lt.launchTemplateVersion,
        liveSlot: "blue" as const,
      };
      await act(deploymentId, "fleet-blue", "ensureFleet", { ...fleetInput, slot: "blue" });
      await act(deploymentId, "fleet-green", "ensureFleet", { ...fleetInput, slot: "green" });
      await waitUntil(
        deploymentId,
        "fleet-healthy",
        "waitFleetHealthy",
        { ...base, slot: "blue" },
        { minutes: 20, what: "The blue fleet" },
      );
    })();

    const [lb, distributionId] = await Promise.all([loadBalancer, distribution, database, egress, fleets, cache]);
    await act(deploymentId, "alarms", "ensureAlarms", {
      ...base,
      loadBalancerArn: lb.loadBalancerArn,
      targetGroupArns: lb.targetGroupArns,
      distributionId,
    });
    const stack = await readStackStep(deploymentId, "read-back", base);
    await finish(deploymentId, {
      status: "succeeded",
      environment: { status: "ready", stack: JSON.parse(JSON.stringify(stack)), liveSlot: "blue", liveVersion: op.spec.app.version },
    });
    return { ok: true };
  } catch (e) {
    await closeTimeline(deploymentId, (e as Error).message);
    await finish(deploymentId, { status: "failed", reason: (e as Error).message, environment: { status: "failed" } });
    return { ok: false, reason: (e as Error).message };
  }
}
