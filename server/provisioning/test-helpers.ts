/**
 * Runs the steps in dependency order, in-process, the way the provisioning and teardown
 * workflows do (with short plain sleeps instead of durable ones). For tests and benchmarks;
 * the workflows in server/workflows are the real callers.
 */
import type { Poll, StepInput, Touched } from "./context.ts";
import * as p from "./index.ts";

export async function until<D>(poll: () => Promise<Poll<D>>, { timeoutMs = 60_000, intervalMs = 100 } = {}): Promise<D> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { done, detail } = await poll();
    if (done) return detail;
    if (Date.now() > deadline) throw new Error(`still not done after ${timeoutMs} ms: ${JSON.stringify(detail)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function provision(input: StepInput) {
  const touched: Touched[] = [];
  const keep = <T extends { touched: Touched[] }>(o: T) => (touched.push(...o.touched), o);
  const network = keep(await p.ensureNetwork(input));
  const sgs = keep(await p.ensureSecurityGroups({ ...input, vpcId: network.vpcId }));
  const database = (async () => {
    const d = keep(await p.ensureDatabase({ ...input, privateSubnetIds: network.privateSubnetIds, dbSgId: sgs.dbSgId }));
    await until(() => p.waitDatabaseAvailable(input));
    return d;
  })();
  const [loadBalancer, launchTemplate] = await Promise.all([
    p.ensureLoadBalancer({ ...input, vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds, albSgId: sgs.albSgId }).then(keep),
    p.ensureLaunchTemplate({ ...input, appSgId: sgs.appSgId }).then(keep),
  ]);
  await until(() => p.waitLoadBalancerActive(input));
  const fleetInput = { ...input, privateSubnetIds: network.privateSubnetIds, loadBalancerArn: loadBalancer.loadBalancerArn, targetGroupArns: loadBalancer.targetGroupArns, ...launchTemplate };
  const [distribution, blue, green] = await Promise.all([
    p.ensureDistribution({ ...input, dnsName: loadBalancer.dnsName }).then(keep),
    p.ensureFleet({ ...fleetInput, slot: "blue" }).then(keep),
    p.ensureFleet({ ...fleetInput, slot: "green" }).then(keep),
  ]);
  const alarms = keep(await p.ensureAlarms({ ...input, loadBalancerArn: loadBalancer.loadBalancerArn, targetGroupArns: loadBalancer.targetGroupArns, distributionId: distribution.distributionId }));
  await Promise.all([until(() => p.waitDistributionDeployed(input)), until(() => p.waitFleetHealthy({ ...input, slot: "blue" })), database]);
  return { network, sgs, loadBalancer, launchTemplate, database: await database, distribution, fleets: { blue, green }, alarms, touched };
}

/** Each teardown step until it reports done, in order. */
export async function teardown(input: StepInput): Promise<Touched[]> {
  const touched: Touched[] = [];
  const loop = async (step: (i: StepInput) => Promise<{ done: boolean; touched: Touched[] }>) =>
    until(async () => {
      const o = await step(input);
      touched.push(...o.touched);
      return { done: o.done, detail: null };
    });
  touched.push(...(await p.disableDistribution(input)).touched);
  await loop(p.deleteAlarms);
  await Promise.all([loop(p.deleteFleets), loop(p.deleteLoadBalancer), loop(p.deleteDatabase), loop(p.deleteLaunchTemplate)]);
  await until(() => p.waitDistributionDeployed(input));
  await loop(p.deleteDistribution);
  await loop(p.deleteSecurityGroups);
  await loop(p.deleteNetwork);
  return touched;
}
