/**
 * Failure drills (design for failure), each one idempotent:
 *   terminateInstance(slot, instanceId)  Auto Scaling terminates one instance and, the desired
 *                                        capacity unchanged, launches a replacement.
 *   failoverDatabase                     a Multi-AZ database fails over to its standby.
 *   failoverCache                        ElastiCache TestFailover: a replica becomes the primary.
 * The caller picks the instance (e.g. from readStack's fleets[slot].instanceIds) so that a
 * retried step never terminates a second one.
 */
import { RebootDBInstanceCommand, TerminateInstanceInAutoScalingGroupCommand, TestFailoverCommand } from "../aws/sdk.ts";
import { ServiceError } from "../errors.ts";
import { defineStep, type Slot, type StepInput } from "./context.ts";
import { findCache } from "./cache.ts";
import { findDatabase } from "./database.ts";
import { findFleet } from "./fleet.ts";

export const terminateInstance = defineStep(
  "terminate an instance",
  async (input: StepInput & { slot: Slot; instanceId: string }, ctx): Promise<{ instanceId: string; terminated: boolean }> => {
    const group = await findFleet(ctx, input.slot);
    const member = group?.Instances?.find((i) => i.InstanceId === input.instanceId);
    if (!member) throw new ServiceError("NOT_FOUND", `Instance ${input.instanceId} is not in ${ctx.names.asg(input.slot)}.`);
    if (member.LifecycleState !== "InService") {
      ctx.touch("ec2:instance", input.instanceId, "found"); // already on its way out (a retried step)
      return { instanceId: input.instanceId, terminated: false };
    }
    await ctx.aws.autoscaling.send(
      new TerminateInstanceInAutoScalingGroupCommand({ InstanceId: input.instanceId, ShouldDecrementDesiredCapacity: false }),
    );
    ctx.touch("ec2:instance", input.instanceId, "deleted");
    return { instanceId: input.instanceId, terminated: true };
  },
);

export const failoverDatabase = defineStep(
  "fail over the database",
  async (input: StepInput, ctx): Promise<{ availabilityZoneBefore: string | null; failedOver: boolean }> => {
    const db = await findDatabase(ctx);
    if (!db) throw new ServiceError("NOT_FOUND", `${input.spec.name} has no database.`);
    if (!db.MultiAZ)
      throw new ServiceError("PRECONDITION_FAILED", `Database ${ctx.names.db} is not Multi-AZ: there is no standby to fail over to.`);
    const before = db.AvailabilityZone ?? null;
    if (db.DBInstanceStatus === "rebooting") {
      ctx.touch("rds:db", db.DBInstanceArn ?? ctx.names.db, "found");
      return { availabilityZoneBefore: before, failedOver: false };
    }
    if (db.DBInstanceStatus !== "available")
      throw new ServiceError(
        "PRECONDITION_FAILED",
        `Database ${ctx.names.db} is ${db.DBInstanceStatus}; it can fail over only when available.`,
      );
    await ctx.aws.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: ctx.names.db, ForceFailover: true }));
    ctx.touch("rds:db", db.DBInstanceArn ?? ctx.names.db, "updated");
    return { availabilityZoneBefore: before, failedOver: true };
  },
);

export const failoverCache = defineStep(
  "fail over the cache",
  async (input: StepInput, ctx): Promise<{ primaryBefore: string | null; failedOver: boolean }> => {
    const rg = await findCache(ctx);
    if (!rg) throw new ServiceError("NOT_FOUND", `${input.spec.name} has no cache.`);
    const group = rg.NodeGroups?.[0];
    const before = group?.NodeGroupMembers?.find((m) => m.CurrentRole === "primary")?.CacheClusterId ?? null;
    if (rg.AutomaticFailover !== "enabled")
      throw new ServiceError(
        "PRECONDITION_FAILED",
        `Cache ${ctx.names.cache} has no automatic failover (it needs at least one replica): there is nothing to fail over to.`,
      );
    if (rg.Status === "modifying") {
      ctx.touch("elasticache:replication-group", rg.ARN ?? ctx.names.cache, "found"); // a retried step: the failover runs
      return { primaryBefore: before, failedOver: false };
    }
    if (rg.Status !== "available")
      throw new ServiceError("PRECONDITION_FAILED", `Cache ${ctx.names.cache} is ${rg.Status}; it can fail over only when available.`);
    await ctx.aws.elasticache.send(
      new TestFailoverCommand({ ReplicationGroupId: ctx.names.cache, NodeGroupId: group?.NodeGroupId ?? "0001" }),
    );
    ctx.touch("elasticache:replication-group", rg.ARN ?? ctx.names.cache, "updated");
    return { primaryBefore: before, failedOver: true };
  },
);
