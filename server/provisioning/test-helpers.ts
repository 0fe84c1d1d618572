/**
 * Runs the steps in dependency order, in-process, the way the provisioning and teardown
 * workflows do (with short plain sleeps instead of durable ones). For tests and benchmarks;
 * the workflows in server/workflows are the real callers.
 */
import { randomUUID } from "node:crypto";
import { db } from "../db/client.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import type { Poll, StepInput, Touched } from "./context.ts";
import * as p from "./index.ts";

const retryable = (err: unknown) => (err as { retryable?: boolean }).retryable === true;

/**
 * Runs a step like the workflow engine: a retryable failure (throttling past the SDK's retries,
 * a resource still busy) runs the whole step again. Steps are at-least-once; this is what makes
 * "nothing created twice" a real test.
 */
export async function retrying<T>(call: () => Promise<T>, attempts = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await call();
    } catch (err) {
      if (i >= attempts || !retryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 100 * i));
    }
  }
}

export async function until<D>(poll: () => Promise<Poll<D>>, { timeoutMs = 60_000, intervalMs = 100 } = {}): Promise<D> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A throttled poll is just a poll that saw nothing this time.
    const { done, detail } = await poll().catch((err: unknown) =>
      retryable(err) ? { done: false, detail: null as D } : Promise.reject(err),
    );
    if (done) return detail;
    if (Date.now() > deadline) throw new Error(`still not done after ${timeoutMs} ms: ${JSON.stringify(detail)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** An environment row for `spec` (its name prefix, its saved distribution id live there). */
export async function testEnvironment(
  accountId: string,
  spec: EnvironmentSpec,
  opts: { namePrefix?: string | null; activeName?: string } = {},
): Promise<string> {
  const env = await db.environment.create({
    data: {
      name: spec.name,
      activeName: opts.activeName ?? `${spec.name}-${randomUUID().slice(0, 8)}`,
      accountId,
      region: spec.region,
      ...(opts.namePrefix !== undefined ? { namePrefix: opts.namePrefix } : {}),
      specVersions: { create: { version: 1, spec: spec as object, createdBy: "test" } },
    },
  });
  return env.id;
}

export async function provision(input: StepInput, opts: { attempt?: string; beforeFleets?: () => Promise<void> } = {}) {
  const touched: Touched[] = [];
  const keep = <T extends { touched: Touched[] }>(o: T) => (touched.push(...o.touched), o);
  const network = keep(await retrying(() => p.ensureNetwork(input)));
  const egress = (async () => {
    keep(
      await retrying(() =>
        p.ensureEgress({ ...input, publicSubnetByZone: network.publicSubnetByZone, privateRouteTableIds: network.privateRouteTableIds }),
      ),
    );
    await until(() => p.waitEgressReady(input));
  })();
  const sgs = keep(await retrying(() => p.ensureSecurityGroups({ ...input, vpcId: network.vpcId })));
  const database = (async () => {
    const d = keep(await retrying(() => p.ensureDatabase({ ...input, privateSubnetIds: network.privateSubnetIds, dbSgId: sgs.dbSgId })));
    const ready = await until(() => p.waitDatabaseAvailable(input));
    return { ...d, ready };
  })();
  const loadBalancer = (async () => {
    const lb = keep(
      await retrying(() =>
        p.ensureLoadBalancer({ ...input, vpcId: network.vpcId, publicSubnetIds: network.publicSubnetIds, albSgId: sgs.albSgId }),
      ),
    );
    await until(() => p.waitLoadBalancerActive(input));
    return lb;
  })();
  const distribution = (async () => {
    const lb = await loadBalancer;
    const d = keep(
      await retrying(() =>
        p.ensureDistribution({ ...input, dnsName: lb.dnsName, originSecret: lb.originSecret, attempt: opts.attempt ?? "test" }),
      ),
    );
    await until(() => p.waitDistributionDeployed({ ...input, distributionId: d.distributionId }));
    return d;
  })();
  const cache = (async () => {
    if (!input.spec.cache) return null;
    keep(
      await retrying(() =>
        p.ensureCache({ ...input, vpcId: network.vpcId, privateSubnetIds: network.privateSubnetIds, appSgId: sgs.appSgId }),
      ),
    );
    return until(() => p.waitCacheAvailable(input));
  })();
  // Branches awaited later must not become unhandled rejections when an earlier await throws.
  for (const branch of [egress, database, loadBalancer, distribution, cache]) branch.catch(() => undefined);
  const dbReady = (await database).ready;
  const cacheReady = await cache;
  const role = keep(await retrying(() => p.ensureInstanceRole({ ...input, dbSecretArn: dbReady.secretArn })));
  keep(
    await retrying(() =>
      p.ensureParameters({
        ...input,
        database: input.spec.database ? { endpoint: dbReady.address, port: dbReady.port, secretArn: dbReady.secretArn } : null,
        cache: cacheReady,
      }),
    ),
  );
  const launchTemplate = keep(
    await retrying(() => p.ensureLaunchTemplate({ ...input, appSgId: sgs.appSgId, instanceProfileArn: role.instanceProfileArn })),
  );
  const [lb] = await Promise.all([loadBalancer, egress]);
  await opts.beforeFleets?.();
  const subnetIds = input.spec.network?.egress === "public" ? network.publicSubnetIds : network.privateSubnetIds;
  const fleetInput = { ...input, subnetIds, loadBalancerArn: lb.loadBalancerArn, targetGroupArns: lb.targetGroupArns, ...launchTemplate };
  const [blue, green] = await Promise.all([
    retrying(() => p.ensureFleet({ ...fleetInput, slot: "blue" })).then(keep),
    retrying(() => p.ensureFleet({ ...fleetInput, slot: "green" })).then(keep),
  ]);
  const dist = await distribution;
  const alarms = keep(
    await retrying(() =>
      p.ensureAlarms({
        ...input,
        loadBalancerArn: lb.loadBalancerArn,
        targetGroupArns: lb.targetGroupArns,
        distributionId: dist.distributionId,
      }),
    ),
  );
  await until(() => p.waitFleetHealthy({ ...input, slot: "blue" }), { timeoutMs: 90_000 });
  return {
    network,
    sgs,
    loadBalancer: lb,
    launchTemplate,
    role,
    database: await database,
    cache: cacheReady,
    distribution: dist,
    fleets: { blue, green },
    alarms,
    touched,
  };
}

/** Each teardown step until it reports done, in order. */
export async function teardown(input: StepInput, opts: { finalSnapshot?: string | null } = {}): Promise<Touched[]> {
  const touched: Touched[] = [];
  const loop = (step: (i: StepInput) => Promise<{ done: boolean; touched: Touched[] }>) =>
    until(
      async () => {
        const o = await retrying(() => step(input));
        touched.push(...o.touched);
        return { done: o.done, detail: null };
      },
      { timeoutMs: 120_000 },
    );
  touched.push(...(await retrying(() => p.disableDistribution(input))).touched);
  await loop(p.deleteAlarms);
  const deleteDatabase = (i: StepInput) => p.deleteDatabase({ ...i, finalSnapshot: opts.finalSnapshot ?? null });
  await Promise.all([loop(p.deleteFleets), loop(p.deleteLoadBalancer), loop(deleteDatabase), loop(p.deleteLaunchTemplate)]);
  await until(() => p.waitDistributionDeployed(input));
  await loop(p.deleteDistribution);
  await loop(p.deleteCache);
  await loop(p.deleteSecurityGroups);
  await loop(p.deleteNetwork);
  await loop(p.deleteInstanceRole);
  await loop(p.deleteParameters);
  return touched;
}
