import { sleep } from "workflow";
import { act, finish, loadOperation, closeTimeline, poll, readStackStep } from "./steps.ts";

/**
 * provisionWorkflow(deploymentId): builds an environment's whole reference stack.
 *   network -> security-groups -> in parallel:
 *     database -> database-available                         (the slowest; waits for nothing else)
 *     load-balancer -> load-balancer-active -> distribution -> distribution-deployed
 *     launch-template -> fleet-blue, fleet-green -> fleet-healthy
 *   -> alarms -> read-back (the stack's ids and state saved on the environment)
 * Every step reads real state before acting, so a retry or a resume after a crash creates
 * nothing twice. Waits are bounded polls with durable sleeps between them.
 */
const POLL = "4s";

export async function provisionWorkflow(deploymentId: string) {
  "use workflow";
  const op = await loadOperation(deploymentId);
  const base = { accountId: op.accountId, envId: op.envId, spec: op.spec };
  try {
    const net = await act(deploymentId, "network", "ensureNetwork", base);
    const sgs = await act(deploymentId, "security-groups", "ensureSecurityGroups", { ...base, vpcId: net.vpcId });

    const database = async () => {
      if (!op.spec.database) return null;
      const db = await act(deploymentId, "database", "ensureDatabase", { ...base, privateSubnetIds: net.privateSubnetIds, dbSgId: sgs.dbSgId });
      while (!(await poll(deploymentId, "database-available", "waitDatabaseAvailable", base)).done) await sleep(POLL);
      return db;
    };
    const edge = async () => {
      const lb = await act(deploymentId, "load-balancer", "ensureLoadBalancer", { ...base, vpcId: net.vpcId, publicSubnetIds: net.publicSubnetIds, albSgId: sgs.albSgId });
      while (!(await poll(deploymentId, "load-balancer-active", "waitLoadBalancerActive", base)).done) await sleep(POLL);
      let distributionId: string | null = null;
      if (op.spec.cloudfront) {
        const dist = await act(deploymentId, "distribution", "ensureDistribution", { ...base, dnsName: lb.dnsName });
        distributionId = dist.distributionId;
        while (!(await poll(deploymentId, "distribution-deployed", "waitDistributionDeployed", base)).done) await sleep(POLL);
      }
      return { lb, distributionId };
    };
    const fleets = async (lbPromise: ReturnType<typeof edge>) => {
      const lt = await act(deploymentId, "launch-template", "ensureLaunchTemplate", { ...base, appSgId: sgs.appSgId });
      const { lb } = await lbPromise;
      const fleetInput = { ...base, privateSubnetIds: net.privateSubnetIds, loadBalancerArn: lb.loadBalancerArn, targetGroupArns: lb.targetGroupArns, launchTemplateId: lt.launchTemplateId, launchTemplateVersion: lt.launchTemplateVersion, liveSlot: "blue" as const };
      await act(deploymentId, "fleet-blue", "ensureFleet", { ...fleetInput, slot: "blue" });
      await act(deploymentId, "fleet-green", "ensureFleet", { ...fleetInput, slot: "green" });
      while (!(await poll(deploymentId, "fleet-healthy", "waitFleetHealthy", { ...base, slot: "blue" })).done) await sleep(POLL);
    };

    const edgePromise = edge();
    const [, { lb, distributionId }] = await Promise.all([database(), edgePromise, fleets(edgePromise)]);
    await act(deploymentId, "alarms", "ensureAlarms", { ...base, loadBalancerArn: lb.loadBalancerArn, targetGroupArns: lb.targetGroupArns, distributionId });
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
