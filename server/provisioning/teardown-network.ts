/**
 * The last teardown steps (see teardown.ts for the order):
 *   deleteSecurityGroups   after the fleets, load balancer and database let go of them
 *   deleteNetwork          the S3 endpoint, NAT gateways (waited for: their interfaces hold the
 *                          subnets, their addresses the internet gateway), Elastic IPs, subnets,
 *                          route tables, internet gateway, VPC; all found by tag
 *   deleteInstanceRole     the instance profile and role Switchyard created (never a given one)
 *   deleteParameters       /switchyard/<name>/...
 */
import {
  DeleteInstanceProfileCommand,
  DeleteInternetGatewayCommand,
  DeleteNatGatewayCommand,
  DeleteParametersCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteRouteTableCommand,
  DeleteSecurityGroupCommand,
  DeleteSubnetCommand,
  DeleteVpcCommand,
  DeleteVpcEndpointsCommand,
  DescribeAddressesCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  DetachInternetGatewayCommand,
  DetachRolePolicyCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListParameterTagsCommand,
  ReleaseAddressCommand,
  RemoveRoleFromInstanceProfileCommand,
  RevokeSecurityGroupIngressCommand,
} from "../aws/sdk.ts";
import { isNotFound } from "../aws/errors.ts";
import { defineStep, envFilter, type StepContext, type StepInput } from "./context.ts";
import { INLINE_POLICY } from "./instance-role.ts";
import { current } from "./parameters.ts";
import { checkOwner, ignoringForeign } from "./ownership.ts";
import { attempt, type Done } from "./teardown.ts";

async function vpcOf(ctx: StepContext, envId: string): Promise<string | undefined> {
  return (await ctx.aws.ec2.send(new DescribeVpcsCommand({ Filters: [envFilter(envId)] }))).Vpcs?.[0]?.VpcId;
}

export const deleteSecurityGroups = defineStep("delete the security groups", async (input: StepInput, ctx): Promise<Done> => {
  const vpcId = await vpcOf(ctx, input.envId);
  if (!vpcId) return { done: true };
  const groups =
    (await ctx.aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, envFilter(input.envId)] })))
      .SecurityGroups ?? [];
  // Rules that name another group keep that group alive: revoke them first.
  for (const g of groups) {
    const refs = (g.IpPermissions ?? []).filter((p) => p.UserIdGroupPairs?.length);
    if (refs.length) await ctx.aws.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: g.GroupId, IpPermissions: refs }));
  }
  let done = true;
  for (const role of ["db", "app", "alb"] as const) {
    const g = groups.find((x) => x.GroupName === ctx.names.sg(role));
    if (g?.GroupId)
      done =
        (await attempt(ctx, "ec2:security-group", g.GroupId, () =>
          ctx.aws.ec2.send(new DeleteSecurityGroupCommand({ GroupId: g.GroupId })),
        )) && done;
  }
  return { done };
});

/** Endpoints, NAT gateways and their addresses; done when the NAT gateways are gone. */
async function deleteEgress(ctx: StepContext, envId: string, vpcId: string | undefined): Promise<boolean> {
  const { ec2 } = ctx.aws;
  if (vpcId) {
    const endpoints =
      (await ec2.send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }, envFilter(envId)] })))
        .VpcEndpoints ?? [];
    // The wire's states are lowercase ("available", "deleting"), whatever the SDK's enum says.
    const live = endpoints.filter((e) => !["deleted", "deleting"].includes(String(e.State).toLowerCase())).map((e) => e.VpcEndpointId!);
    if (live.length) {
      await ec2.send(new DeleteVpcEndpointsCommand({ VpcEndpointIds: live }));
      for (const id of live) ctx.touch("ec2:vpc-endpoint", id, "deleted");
    }
  }
  const nats = ((await ec2.send(new DescribeNatGatewaysCommand({ Filter: [envFilter(envId)] }))).NatGateways ?? []).filter(
    (n) => n.State !== "deleted",
  );
  for (const n of nats) {
    if (n.State === "pending" || n.State === "available" || n.State === "failed")
      await attempt(ctx, "ec2:nat-gateway", n.NatGatewayId!, () => ec2.send(new DeleteNatGatewayCommand({ NatGatewayId: n.NatGatewayId })));
  }
  if (nats.length) return false; // deleting: their addresses and interfaces are still held
  const addresses = (await ec2.send(new DescribeAddressesCommand({ Filters: [envFilter(envId)] }))).Addresses ?? [];
  let done = true;
  for (const a of addresses)
    done =
      (await attempt(ctx, "ec2:elastic-ip", a.AllocationId!, () =>
        ec2.send(new ReleaseAddressCommand({ AllocationId: a.AllocationId })),
      )) && done;
  return done;
}

export const deleteNetwork = defineStep("delete the network", async (input: StepInput, ctx): Promise<Done> => {
  const { ec2 } = ctx.aws;
  const env = envFilter(input.envId);
  const vpcId = await vpcOf(ctx, input.envId);
  if (!(await deleteEgress(ctx, input.envId, vpcId))) return { done: false, summary: "waiting for the NAT gateways to be deleted" };
  let done = true;
  const inVpc = vpcId ? [{ Name: "vpc-id", Values: [vpcId] }, env] : [env];
  const subnets = (await ec2.send(new DescribeSubnetsCommand({ Filters: inVpc }))).Subnets ?? [];
  for (const s of subnets)
    done = (await attempt(ctx, "ec2:subnet", s.SubnetId!, () => ec2.send(new DeleteSubnetCommand({ SubnetId: s.SubnetId })))) && done;
  // Deleting a subnet removes its route table association; a table still associated is "in use": next pass.
  const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: inVpc }))).RouteTables ?? [];
  for (const t of tables)
    done =
      (await attempt(ctx, "ec2:route-table", t.RouteTableId!, () =>
        ec2.send(new DeleteRouteTableCommand({ RouteTableId: t.RouteTableId })),
      )) && done;
  const igws = (await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [env] }))).InternetGateways ?? [];
  for (const igw of igws) {
    for (const a of igw.Attachments ?? []) {
      if (a.VpcId)
        await attempt(ctx, "ec2:internet-gateway-attachment", `${igw.InternetGatewayId}/${a.VpcId}`, () =>
          ec2.send(new DetachInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId, VpcId: a.VpcId })),
        );
    }
    done =
      (await attempt(ctx, "ec2:internet-gateway", igw.InternetGatewayId!, () =>
        ec2.send(new DeleteInternetGatewayCommand({ InternetGatewayId: igw.InternetGatewayId })),
      )) && done;
  }
  if (vpcId && done) done = await attempt(ctx, "ec2:vpc", vpcId, () => ec2.send(new DeleteVpcCommand({ VpcId: vpcId })));
  return { done: done && vpcId ? !(await vpcOf(ctx, input.envId)) : done };
});

export const deleteInstanceRole = defineStep("delete the instance role", async (input: StepInput, ctx): Promise<Done> => {
  if (input.spec.app.instanceProfileArn) return { done: true };
  const { iam } = ctx.aws;
  const name = ctx.names.instanceRole;
  const orNothing = <T>(p: Promise<T>) => p.catch((err) => (isNotFound(err) ? undefined : Promise.reject(err)));
  const profile = await ignoringForeign(ctx, "iam:instance-profile", async () => {
    const p = (await orNothing(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: name }))))?.InstanceProfile;
    if (p) checkOwner(ctx, "An instance profile", name, p.Tags);
    return p;
  });
  if (profile) {
    for (const r of profile.Roles ?? [])
      await orNothing(iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: name, RoleName: r.RoleName })));
    await attempt(ctx, "iam:instance-profile", profile.Arn ?? name, () =>
      iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: name })),
    );
  }
  const role = await ignoringForeign(ctx, "iam:role", async () => {
    const r = (await orNothing(iam.send(new GetRoleCommand({ RoleName: name }))))?.Role;
    if (r) checkOwner(ctx, "An IAM role", name, r.Tags);
    return r;
  });
  if (!role) return { done: true };
  for (const p of (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name }))).AttachedPolicies ?? []) {
    await orNothing(iam.send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: p.PolicyArn })));
  }
  await orNothing(iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: INLINE_POLICY })));
  return { done: await attempt(ctx, "iam:role", role.Arn ?? name, () => iam.send(new DeleteRoleCommand({ RoleName: name }))) };
});

export const deleteParameters = defineStep("delete the delivery contract's parameters", async (_input: StepInput, ctx): Promise<Done> => {
  const names = [...(await current(ctx)).keys()];
  if (!names.length) return { done: true };
  const ours = await ignoringForeign(ctx, "ssm:parameter", async () => {
    checkOwner(
      ctx,
      "An SSM parameter",
      names[0],
      (await ctx.aws.ssm.send(new ListParameterTagsCommand({ ResourceType: "Parameter", ResourceId: names[0] }))).TagList,
    );
    return true;
  });
  if (!ours) return { done: true };
  // DeleteParameters takes at most 10 names per call.
  for (let i = 0; i < names.length; i += 10) {
    await ctx.aws.ssm.send(new DeleteParametersCommand({ Names: names.slice(i, i + 10) }));
    for (const n of names.slice(i, i + 10)) ctx.touch("ssm:parameter", n, "deleted");
  }
  return { done: true };
});
