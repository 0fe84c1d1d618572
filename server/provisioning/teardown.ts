/**
 * Teardown steps, in reverse dependency order. Each is idempotent and resumable and returns
 * `done: false` while AWS is still letting go of something (call again after a durable sleep):
 *   1. disableDistribution        (distribution.ts)
 *   2. deleteAlarms
 *   3. deleteFleets               scale both groups to 0, ForceDelete, done when instances are gone
 *   4. deleteLoadBalancer         listeners, ALB, then both target groups
 *   5. deleteLaunchTemplate
 *   6. deleteDatabase             a named final snapshot unless skipped (an audited choice), the
 *                                 automated backups kept; refused while the spec is protected,
 *                                 deletion protection lifted once it is not; then the subnet group
 *   7. deleteDistribution         (distribution.ts; after waitDistributionDeployed)
 *   8. deleteSecurityGroups       (teardown-network.ts; after 3, 4, 6)
 *   9. deleteNetwork              (teardown-network.ts) endpoints, NAT gateways, Elastic IPs,
 *                                 subnets, route tables, internet gateway, VPC
 *  10. deleteInstanceRole, deleteParameters (teardown-network.ts)
 * A resource found by name that is not this environment's is left alone ("kept").
 */
import {
  DeleteAlarmsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DeleteLaunchTemplateCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeInstancesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeListenersCommand,
  ModifyDBInstanceCommand,
  UpdateAutoScalingGroupCommand,
} from "../aws/sdk.ts";
import { isInUse, isNotFound } from "../aws/errors.ts";
import { ServiceError } from "../errors.ts";
import { allAlarmNames, checkAlarmOwner, describeAlarms } from "./alarms.ts";
import { defineStep, envFilter, SLOTS, type StepContext, type StepInput } from "./context.ts";
import { findDatabase, findSubnetGroup } from "./database.ts";
import { findFleet } from "./fleet.ts";
import { findLoadBalancer, findTargetGroup } from "./load-balancer.ts";
import { checkOwner, ignoringForeign } from "./ownership.ts";

export { deleteDistribution, disableDistribution } from "./distribution.ts";
export { deleteInstanceRole, deleteNetwork, deleteParameters, deleteSecurityGroups } from "./teardown-network.ts";

export type Done = { done: boolean; summary?: string };

/** Runs a delete; a missing resource is already deleted, a busy one means "not yet". */
export async function attempt(ctx: StepContext, type: string, id: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    ctx.touch(type, id, "deleted");
    return true;
  } catch (err) {
    if (isNotFound(err)) return true;
    if (isInUse(err)) return false;
    throw err;
  }
}

export const deleteAlarms = defineStep("delete the alarms", async (_input: StepInput, ctx): Promise<Done> => {
  const names = allAlarmNames({ name: _input.spec.name, namePrefix: ctx.names.prefix });
  for (const client of ctx.region === "us-east-1" ? [ctx.aws.cloudwatch] : [ctx.aws.cloudwatch, ctx.aws.cloudwatchGlobal]) {
    const ours: string[] = [];
    for (const alarm of await describeAlarms(client, names)) {
      if (await ignoringForeign(ctx, "cloudwatch:alarm", () => checkAlarmOwner(ctx, client, alarm).then(() => alarm)))
        ours.push(alarm.AlarmName!);
    }
    if (!ours.length) continue;
    await client.send(new DeleteAlarmsCommand({ AlarmNames: ours }));
    for (const name of ours) ctx.touch("cloudwatch:alarm", name, "deleted");
  }
  return { done: true };
});

export const deleteFleets = defineStep("delete the fleets", async (input: StepInput, ctx): Promise<Done> => {
  let groupsLeft = false;
  for (const slot of SLOTS) {
    const group = await ignoringForeign(ctx, "autoscaling:group", () => findFleet(ctx, slot));
    if (!group) continue;
    groupsLeft = true;
    const name = ctx.names.asg(slot);
    await ctx.aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, DesiredCapacity: 0, MaxSize: 0 }),
    );
    await attempt(ctx, "autoscaling:group", group.AutoScalingGroupARN ?? name, () =>
      ctx.aws.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true })),
    );
  }
  const left = await ctx.aws.ec2.send(
    new DescribeInstancesCommand({
      Filters: [
        envFilter(input.envId),
        { Name: "instance-state-name", Values: ["pending", "running", "shutting-down", "stopping", "stopped"] },
      ],
    }),
  );
  const instances = (left.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  if (groupsLeft)
    groupsLeft = (await Promise.all(SLOTS.map((s) => ignoringForeign(ctx, "autoscaling:group", () => findFleet(ctx, s))))).some(Boolean);
  return { done: instances.length === 0 && !groupsLeft };
});

export const deleteLoadBalancer = defineStep("delete the load balancer", async (_input: StepInput, ctx): Promise<Done> => {
  const lb = await ignoringForeign(ctx, "elbv2:load-balancer", () => findLoadBalancer(ctx));
  if (lb?.LoadBalancerArn) {
    const listeners = (await ctx.aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
    for (const l of listeners)
      await attempt(ctx, "elbv2:listener", l.ListenerArn!, () =>
        ctx.aws.elbv2.send(new DeleteListenerCommand({ ListenerArn: l.ListenerArn })),
      );
    await attempt(ctx, "elbv2:load-balancer", lb.LoadBalancerArn, () =>
      ctx.aws.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })),
    );
  }
  let done = !lb || !(await findLoadBalancer(ctx));
  for (const slot of SLOTS) {
    const tg = await ignoringForeign(ctx, "elbv2:target-group", () => findTargetGroup(ctx, slot));
    if (tg?.TargetGroupArn)
      done =
        (await attempt(ctx, "elbv2:target-group", tg.TargetGroupArn, () =>
          ctx.aws.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })),
        )) && done;
  }
  return { done };
});

export const deleteLaunchTemplate = defineStep("delete the launch template", async (_input: StepInput, ctx): Promise<Done> => {
  const name = ctx.names.launchTemplate;
  const found = await ignoringForeign(ctx, "ec2:launch-template", async () => {
    const t = await ctx.aws.ec2
      .send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [name] }))
      .catch((err) => (isNotFound(err) || /InvalidLaunchTemplateName/.test(String((err as Error).name)) ? undefined : Promise.reject(err)));
    const template = t?.LaunchTemplates?.[0];
    if (template) checkOwner(ctx, "A launch template", name, template.Tags);
    return template;
  });
  // By id: the deployer policy's tag condition is checked on the template the id names.
  if (found?.LaunchTemplateId)
    await attempt(ctx, "ec2:launch-template", name, () =>
      ctx.aws.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateId: found.LaunchTemplateId })),
    );
  return { done: true };
});

export interface DeleteDatabaseInput extends StepInput {
  /** The final snapshot's name, or null when the person tearing down chose to skip it. */
  finalSnapshot: string | null;
}

export const deleteDatabase = defineStep("delete the database", async (input: DeleteDatabaseInput, ctx): Promise<Done> => {
  const db = await ignoringForeign(ctx, "rds:db", () => findDatabase(ctx));
  const snapshot = input.finalSnapshot ? `final snapshot ${input.finalSnapshot}` : "no final snapshot (skipped on request)";
  if (db) {
    if (db.DBInstanceStatus !== "deleting") {
      if (input.spec.protected) {
        throw new ServiceError(
          "PRECONDITION_FAILED",
          `${input.spec.name} is protected: its database ${ctx.names.db} keeps deletion protection. Turn protection off in the spec first.`,
        );
      }
      if (db.DeletionProtection) {
        // Protection was lifted in the spec: lift it on the database too, then delete.
        await ctx.aws.rds.send(
          new ModifyDBInstanceCommand({ DBInstanceIdentifier: ctx.names.db, DeletionProtection: false, ApplyImmediately: true }),
        );
        ctx.touch("rds:db", db.DBInstanceArn ?? ctx.names.db, "updated");
      }
      const deleted = await attempt(ctx, "rds:db", db.DBInstanceArn ?? ctx.names.db, () =>
        ctx.aws.rds.send(
          new DeleteDBInstanceCommand({
            DBInstanceIdentifier: ctx.names.db,
            ...(input.finalSnapshot ? { FinalDBSnapshotIdentifier: input.finalSnapshot } : { SkipFinalSnapshot: true }),
            // Automated backups stay for their retention period: a restore remains possible.
            DeleteAutomatedBackups: false,
          }),
        ),
      );
      if (deleted && input.finalSnapshot) ctx.touch("rds:snapshot", input.finalSnapshot, "created");
    }
    return { done: false, summary: snapshot };
  }
  const group = await ignoringForeign(ctx, "rds:subnet-group", () => findSubnetGroup(ctx));
  const gone =
    !group ||
    (await attempt(ctx, "rds:subnet-group", ctx.names.dbSubnetGroup, () =>
      ctx.aws.rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: ctx.names.dbSubnetGroup })),
    ));
  return { done: gone, summary: snapshot };
});
