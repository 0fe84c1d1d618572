/**
 * Teardown steps, in reverse dependency order. Each is idempotent and resumable and returns
 * `done: false` while AWS is still letting go of something (call again after a durable sleep):
 *   1. disableDistribution        (distribution.ts)
 *   2. deleteAlarms
 *   3. deleteFleets               scale both groups to 0, ForceDelete, done when instances are gone
 *   4. deleteLoadBalancer         listener, ALB, then both target groups
 *   5. deleteLaunchTemplate
 *   6. deleteDatabase             DB instance (SkipFinalSnapshot), then its subnet group once gone
 *   7. deleteDistribution         (distribution.ts; after waitDistributionDeployed)
 *   8. deleteSecurityGroups       (after 3, 4, 6: their network interfaces hold the groups)
 *   9. deleteNetwork              subnets, route table, internet gateway, VPC (after 8)
 * Steps 2, 5 and 7 depend on nothing but 1 (for 7); 3, 4 and 6 may run in parallel.
 */
import {
  DeleteAlarmsCommand,
  DeleteAutoScalingGroupCommand,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DeleteInternetGatewayCommand,
  DeleteLaunchTemplateCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteTargetGroupCommand,
  DeleteVpcCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeListenersCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DisassociateRouteTableCommand,
  RevokeSecurityGroupIngressCommand,
  UpdateAutoScalingGroupCommand,
} from "../aws/sdk.ts";
import { isInUse, isNotFound } from "../aws/errors.ts";
import { allAlarmNames, describeAlarms } from "./alarms.ts";
import { defineStep, envFilter, SLOTS, type StepContext, type StepInput } from "./context.ts";
import { findDatabase } from "./database.ts";
import { findFleet } from "./fleet.ts";
import { findLoadBalancer, findTargetGroup } from "./load-balancer.ts";

export { deleteDistribution, disableDistribution } from "./distribution.ts";

type Done = { done: boolean };

/** Runs a delete; a missing resource is already deleted, a busy one means "not yet". */
async function attempt(ctx: StepContext, type: string, id: string, call: () => Promise<unknown>): Promise<boolean> {
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

export const deleteAlarms = defineStep("delete the alarms", async (input: StepInput, ctx): Promise<Done> => {
  const names = allAlarmNames(input.spec);
  for (const client of ctx.region === "us-east-1" ? [ctx.aws.cloudwatch] : [ctx.aws.cloudwatch, ctx.aws.cloudwatchGlobal]) {
    const existing = (await describeAlarms(client, names)).map((a) => a.AlarmName!).filter(Boolean);
    if (!existing.length) continue;
    await client.send(new DeleteAlarmsCommand({ AlarmNames: existing }));
    for (const name of existing) ctx.touch("cloudwatch:alarm", name, "deleted");
  }
  return { done: true };
});

export const deleteFleets = defineStep("delete the fleets", async (input: StepInput, ctx): Promise<Done> => {
  for (const slot of SLOTS) {
    const group = await findFleet(ctx, slot);
    if (!group) continue;
    const name = ctx.names.asg(slot);
    await ctx.aws.autoscaling.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, DesiredCapacity: 0, MaxSize: 0 }));
    await attempt(ctx, "autoscaling:group", group.AutoScalingGroupARN ?? name, () => ctx.aws.autoscaling.send(new DeleteAutoScalingGroupCommand({ AutoScalingGroupName: name, ForceDelete: true })));
  }
  const left = await ctx.aws.ec2.send(
    new DescribeInstancesCommand({ Filters: [envFilter(input.envId), { Name: "instance-state-name", Values: ["pending", "running", "shutting-down", "stopping", "stopped"] }] }),
  );
  const instances = (left.Reservations ?? []).flatMap((r) => r.Instances ?? []);
  const groupsLeft = (await Promise.all(SLOTS.map((s) => findFleet(ctx, s)))).some(Boolean);
  return { done: instances.length === 0 && !groupsLeft };
});

export const deleteLoadBalancer = defineStep("delete the load balancer", async (_input: StepInput, ctx): Promise<Done> => {
  const lb = await findLoadBalancer(ctx);
  if (lb?.LoadBalancerArn) {
    const listeners = (await ctx.aws.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? [];
    for (const l of listeners) await attempt(ctx, "elbv2:listener", l.ListenerArn!, () => ctx.aws.elbv2.send(new DeleteListenerCommand({ ListenerArn: l.ListenerArn })));
    await attempt(ctx, "elbv2:load-balancer", lb.LoadBalancerArn, () => ctx.aws.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.LoadBalancerArn })));
  }
  let done = !(await findLoadBalancer(ctx));
  for (const slot of SLOTS) {
    const tg = await findTargetGroup(ctx, slot);
    if (tg?.TargetGroupArn) done = (await attempt(ctx, "elbv2:target-group", tg.TargetGroupArn, () => ctx.aws.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.TargetGroupArn })))) && done;
  }
  return { done };
});

export const deleteLaunchTemplate = defineStep("delete the launch template", async (_input: StepInput, ctx): Promise<Done> => {
  await attempt(ctx, "ec2:launch-template", ctx.names.launchTemplate, () => ctx.aws.ec2.send(new DeleteLaunchTemplateCommand({ LaunchTemplateName: ctx.names.launchTemplate })));
  return { done: true };
});

export const deleteDatabase = defineStep("delete the database", async (_input: StepInput, ctx): Promise<Done> => {
  const db = await findDatabase(ctx);
  if (db) {
    if (db.DBInstanceStatus !== "deleting") {
      await attempt(ctx, "rds:db", db.DBInstanceArn ?? ctx.names.db, () =>
        ctx.aws.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: ctx.names.db, SkipFinalSnapshot: true, DeleteAutomatedBackups: true })),
      );
    }
    return { done: false };
  }
  const gone = await attempt(ctx, "rds:subnet-group", ctx.names.dbSubnetGroup, () => ctx.aws.rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: ctx.names.dbSubnetGroup })));
  return { done: gone };
});

async function vpcOf(ctx: StepContext, envId: string): Promise<string | undefined> {
  return (await ctx.aws.ec2.send(new DescribeVpcsCommand({ Filters: [envFilter(envId)] }))).Vpcs?.[0]?.VpcId;
}

export const deleteSecurityGroups = defineStep("delete the security groups", async (input: StepInput, ctx): Promise<Done> => {
  const vpcId = await vpcOf(ctx, input.envId);
  if (!vpcId) return { done: true };
  const groups = (await ctx.aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, envFilter(input.envId)] }))).SecurityGroups ?? [];
  // Rules that name another group keep that group alive: revoke them first.
  for (const g of groups) {
    const refs = (g.IpPermissions ?? []).filter((p) => p.UserIdGroupPairs?.length);
    if (refs.length) await ctx.aws.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: refs }));
  }
  let done = true;
  for (const role of ["db", "app", "alb"] as const) {
    const g = groups.find((x) => x.GroupName === ctx.names.sg(role));
    if (g?.GroupId) done = (await attempt(ctx, "ec2:security-group", g.GroupId, () => ctx.aws.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })))) && done;
  }
  return { done };
});

export const deleteNetwork = defineStep("delete the network", async (input: StepInput, ctx): Promise<Done> => {
  const { ec2 } = ctx.aws;
  const env = envFilter(input.envId);
  let done = true;
  const vpcId = await vpcOf(ctx, input.envId);
  const inVpc = vpcId ? [{ Name: "vpc-id", Values: [vpcId] }, env] : [env];
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: inVpc }))).Subnets ?? [];
  for (const s of subnets) done = (await attempt(ctx, "ec2:subnet", s.SubnetId!, () => ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId })))) && done;
  const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: inVpc }))).RouteTables ?? [];
  for (const t of tables) {
    for (const a of t.Associations ?? []) {
      if (!a.Main && a.RouteTableAssociationId) await attempt(ctx, "ec2:route-table-association", a.RouteTableAssociationId, () => ec2.send(new DisassociateRouteTableCommand({ AssociationId: a.RouteTableAssociationId })));
    }
    done = (await attempt(ctx, "ec2:route-table", t.RouteTableId!, () => ec2.send(new DeleteRouteTableCommand({ RouteTableId: t.RouteTableId })))) && done;
  }
  const igws = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [env] }))).InternetGateways ?? [];
  for (const igw of igws) {
    for (const a of igw.Attachments ?? []) {
      if (a.VpcId) await attempt(ctx, "ec2:internet-gateway-attachment", `${igw.InternetGatewayId}/${a.VpcId}`, () => ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId, VpcId: a.VpcId })));
    }
    done = (await attempt(ctx, "ec2:internet-gateway", igw.InternetGatewayId!, () => ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId })))) && done;
  }
  if (vpcId && done) done = await attempt(ctx, "ec2:vpc", vpcId, () => ec2.send(new DeleteVpcCommand({ VpcId: vpcId })));
  return { done: done && !!vpcId ? !(await vpcOf(ctx, input.envId)) : done };
});
