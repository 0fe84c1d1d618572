import { sleep } from "workflow";
import { act, finish, loadOperation, closeTimeline, markDone } from "./steps.ts";
import { POLL } from "./wait.ts";

/**
 * teardownWorkflow(deploymentId): deletes an environment's stack in reverse dependency order.
 *   distribution (disable, wait until deployed, delete) -> alarms -> fleets -> load-balancer
 *   -> launch-template -> database (final snapshot unless skipped) -> cache -> security-groups -> network
 *   (endpoints, NAT gateways, addresses, subnets, routes, gateway, VPC) -> instance-role -> parameters
 * Each delete is idempotent (gone is done) and reports { done }; unfinished deletes are retried
 * after a durable sleep, at most `MAX_MINUTES` per step, so a resumed teardown continues where it
 * stopped and a stuck one says what it waited for. Each step's timeline entry lists everything it
 * deleted (and what it left alone: resources with its names that are not this environment's).
 */
const MAX_MINUTES = 60;

export async function teardownWorkflow(deploymentId: string) {
  "use workflow";
  const op = await loadOperation(deploymentId);
  const base = { accountId: op.accountId, envId: op.envId, spec: op.spec };
  const until = async (key: string, action: Parameters<typeof act>[2], input: Parameters<typeof act>[3] = base) => {
    const touched: unknown[] = [];
    let summary: string | undefined;
    for (let i = 0; ; i++) {
      const out = (await act(deploymentId, key, action, input, { finish: false })) as {
        done?: boolean;
        touched?: unknown[];
        summary?: string;
      };
      touched.push(...(out.touched ?? []));
      summary = out.summary ?? summary;
      if (out.done !== false) break;
      if (i * 4 > MAX_MINUTES * 60)
        throw new Error(`Teardown step ${key} is still not done after ${MAX_MINUTES} minutes${summary ? `: ${summary}` : ""}`);
      await sleep(POLL);
    }
    await markDone(deploymentId, key, { touched, ...(summary ? { summary } : {}) });
  };
  try {
    if (op.spec.cloudfront) {
      await act(deploymentId, "distribution", "disableDistribution", base, { finish: false });
      await until("distribution", "deleteDistribution");
    }
    await until("alarms", "deleteAlarms");
    await until("fleets", "deleteFleets");
    await until("load-balancer", "deleteLoadBalancer");
    await until("launch-template", "deleteLaunchTemplate");
    if (op.spec.database) await until("database", "deleteDatabase", { ...base, finalSnapshot: op.finalSnapshot });
    if (op.spec.cache) await until("cache", "deleteCache");
    await until("security-groups", "deleteSecurityGroups");
    await until("network", "deleteNetwork");
    await until("instance-role", "deleteInstanceRole");
    await until("parameters", "deleteParameters");
    await finish(deploymentId, {
      status: "succeeded",
      environment: { status: "draft", stack: null, liveVersion: null, previousVersion: null, warmUntil: null, liveSlot: "blue" },
    });
    return { ok: true };
  } catch (e) {
    await closeTimeline(deploymentId, (e as Error).message);
    await finish(deploymentId, { status: "failed", reason: (e as Error).message, environment: { status: "failed" } });
    return { ok: false, reason: (e as Error).message };
  }
}
