/**
 * Failure drills (design for failure), deployer role, audited:
 *   terminate-instance  a random InService instance of the LIVE fleet; Auto Scaling replaces it
 *                       (desired capacity unchanged).
 *   failover-database   reboot with failover: the Multi-AZ database's standby becomes primary
 *                       (412 when the database is not Multi-AZ).
 *   failover-cache      ElastiCache TestFailover: a replica of the cache becomes its primary
 *                       (412 without a cache or without a replica).
 * Both run through the provisioning layer's idempotent drill steps.
 */
import { z } from "zod";
import { recordAuditAlone } from "../audit/record.ts";
import { requireRole, type Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";
import { ServiceError, validationError } from "../errors.ts";
import { failoverCache, failoverDatabase, terminateInstance } from "../provisioning/drills.ts";
import { invalidateScaling, scalingPanel } from "./scaling.ts";
import { loadDashboardEnv } from "../dashboards/target.ts";
import { loadSpec } from "../environments/load.ts";

export const drillInput = z.object({
  kind: z.enum(["terminate-instance", "failover-database", "failover-cache"], {
    message: 'kind must be "terminate-instance", "failover-database" or "failover-cache"',
  }),
});
export type DrillKind = z.infer<typeof drillInput>["kind"];

export interface DrillResult {
  kind: DrillKind;
  message: string;
  instanceId?: string;
  availabilityZoneBefore?: string | null;
  /** failover-cache: the node that was the primary. */
  primaryBefore?: string | null;
}

export async function runDrill({ actor, input }: { actor: Actor; input: { name: string; body: unknown } }): Promise<DrillResult> {
  requireRole(actor, "deployer");
  const parsed = drillInput.safeParse(input.body ?? {});
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { kind } = parsed.data;
  const env = await loadDashboardEnv(input.name);
  if (!env.stack?.loadBalancer) throw new ServiceError("PRECONDITION_FAILED", `${env.name} is not provisioned.`);
  if (env.busy) throw new ServiceError("CONFLICT", `${env.name} is busy with an operation; run drills when it has finished.`);
  const row = await db.environment.findUniqueOrThrow({ where: { id: env.id }, select: { currentVersion: true } });
  const { spec } = await loadSpec(env.id, row.currentVersion);
  const base = { accountId: env.accountId, envId: env.id, spec };

  let result: DrillResult;
  if (kind === "terminate-instance") {
    const panel = await scalingPanel({ actor, input: { name: env.name } });
    const candidates = panel.instances.filter((i) => i.slot === env.liveSlot && i.lifecycleState === "InService");
    if (!candidates.length)
      throw new ServiceError("PRECONDITION_FAILED", `The live ${env.liveSlot} fleet has no InService instance to terminate.`);
    const pick = candidates[Math.floor(Math.random() * candidates.length)];
    await terminateInstance({ ...base, slot: env.liveSlot, instanceId: pick.id });
    result = {
      kind,
      instanceId: pick.id,
      message: `Terminated ${pick.id} (${pick.availabilityZone ?? "?"}) in the ${env.liveSlot} fleet; Auto Scaling launches a replacement.`,
    };
  } else if (kind === "failover-cache") {
    if (!base.spec.cache) throw new ServiceError("PRECONDITION_FAILED", `${env.name} has no cache to fail over.`);
    const out = await failoverCache(base);
    result = {
      kind,
      primaryBefore: out.primaryBefore,
      message: `Cache failing over: a replica takes over from ${out.primaryBefore ?? "the primary"}; the cache is "modifying" for about a minute and a half.`,
    };
  } else {
    if (!env.stack.database) throw new ServiceError("PRECONDITION_FAILED", `${env.name} has no database to fail over.`);
    const out = await failoverDatabase(base);
    result = {
      kind,
      availabilityZoneBefore: out.availabilityZoneBefore,
      message: `Database rebooting with failover from ${out.availabilityZoneBefore ?? "its primary AZ"} to its standby.`,
    };
  }
  await recordAuditAlone(actor, `environment.drill.${kind}`, { type: "environment", id: env.id, label: env.name }, { after: result });
  invalidateScaling(env.name);
  return result;
}
