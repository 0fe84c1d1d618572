import { sleep } from "workflow";
import { act, finish, loadOperation, closeTimeline } from "./steps.ts";

/**
 * teardownWorkflow(deploymentId): deletes an environment's stack in reverse dependency order.
 *   distribution (disable, wait until deployed, delete) -> alarms -> fleets -> load-balancer
 *   -> launch-template -> database -> security-groups -> network
 * Each delete is idempotent (gone is done) and reports { done }; unfinished deletes are
 * retried after a durable sleep, so a resumed teardown continues where it stopped.
 */
const POLL = "4s";

export async function teardownWorkflow(deploymentId: string) {
  "use workflow";
  const op = await loadOperation(deploymentId);
  const base = { accountId: op.accountId, envId: op.envId, spec: op.spec };
  const until = async (key: string, action: Parameters<typeof act>[2]) => {
    for (;;) {
      const out = (await act(deploymentId, key, action, base, { finish: false })) as { done?: boolean };
      if (out.done !== false) break;
      await sleep(POLL);
    }
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
    if (op.spec.database) await until("database", "deleteDatabase");
    await until("security-groups", "deleteSecurityGroups");
    await until("network", "deleteNetwork");
    for (const key of ["distribution", "alarms", "fleets", "load-balancer", "launch-template", "database", "security-groups", "network"]) await markDoneIfRunning(deploymentId, key);
    await finish(deploymentId, { status: "succeeded", environment: { status: "draft", stack: null, liveVersion: null, previousVersion: null, warmUntil: null, liveSlot: "blue" } });
    return { ok: true };
  } catch (e) {
    await closeTimeline(deploymentId, (e as Error).message);
    await finish(deploymentId, { status: "failed", reason: (e as Error).message, environment: { status: "failed" } });
    return { ok: false, reason: (e as Error).message };
  }
}

async function markDoneIfRunning(deploymentId: string, key: string) {
  "use step";
  const { db } = await import("../db/client.ts");
  await db.deploymentStep.updateMany({ where: { deploymentId, key, status: { in: ["running", "waiting"] } }, data: { status: "succeeded", finishedAt: new Date() } });
}
