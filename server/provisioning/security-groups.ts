/**
 * Security group step (needs ensureNetwork.vpcId):
 *   ensureSecurityGroups  <prefix><name>-alb: 80 (and 443) from anywhere; <prefix><name>-app:
 *                         APP_PORT from the alb group only (also in public subnets, where the
 *                         instances have public IPs); <prefix><name>-db: the engine's port from
 *                         the app group. Egress stays AWS's default (all), which the instances'
 *                         way out (HTTPS to S3, SSM, Secrets Manager, package mirrors) needs.
 * Groups are found by name inside the environment's VPC and must carry its tag.
 */
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  type IpPermission,
  type SecurityGroup,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { defineStep, tagsOf, type StepInput } from "./context.ts";
import { APP_PORT, DB_PORT } from "./network.ts";
import { checkOwner } from "./ownership.ts";

export interface SecurityGroupsOutput {
  albSgId: string;
  appSgId: string;
  dbSgId: string;
}

function hasRule(group: SecurityGroup, port: number, source: { cidr?: string; groupId?: string }): boolean {
  return (group.IpPermissions ?? []).some(
    (p) =>
      p.IpProtocol === "tcp" &&
      p.FromPort === port &&
      p.ToPort === port &&
      (source.cidr ? p.IpRanges?.some((r) => r.CidrIp === source.cidr) : p.UserIdGroupPairs?.some((g) => g.GroupId === source.groupId)),
  );
}

export const ensureSecurityGroups = defineStep(
  "create the security groups",
  async (input: StepInput & { vpcId: string }, ctx): Promise<SecurityGroupsOutput> => {
    const { aws, names, touch } = ctx;
    const roles = ["alb", "app", "db"] as const;
    const found =
      (
        await aws.ec2.send(
          new DescribeSecurityGroupsCommand({
            Filters: [
              { Name: "vpc-id", Values: [input.vpcId] },
              { Name: "group-name", Values: roles.map(names.sg) },
            ],
          }),
        )
      ).SecurityGroups ?? [];
    const groups = {} as Record<(typeof roles)[number], SecurityGroup>;
    for (const role of roles) {
      const name = names.sg(role);
      const group = found.find((g) => g.GroupName === name);
      if (group?.GroupId) {
        checkOwner(ctx, "A security group", name, group.Tags);
        groups[role] = group;
        touch("ec2:security-group", group.GroupId, "found");
        continue;
      }
      const created = await aws.ec2.send(
        new CreateSecurityGroupCommand({
          GroupName: name,
          Description: `Switchyard ${input.spec.name}: ${role}`,
          VpcId: input.vpcId,
          TagSpecifications: [{ ResourceType: "security-group", Tags: tagsOf(input, undefined, { Name: name }) }],
        }),
      );
      groups[role] = { GroupId: created.GroupId, GroupName: name, IpPermissions: [] };
      touch("ec2:security-group", created.GroupId!, "created");
    }
    const dbPort = DB_PORT[input.spec.database?.engine ?? "postgres"];
    const wanted: Array<[(typeof roles)[number], number, { cidr?: string; groupId?: string }]> = [
      ["alb", 80, { cidr: "0.0.0.0/0" }],
      ...(input.spec.certificateArn ? [["alb", 443, { cidr: "0.0.0.0/0" }] as [(typeof roles)[number], number, { cidr: string }]] : []),
      ["app", APP_PORT, { groupId: groups.alb.GroupId }],
      ["db", dbPort, { groupId: groups.app.GroupId }],
    ];
    for (const [role, port, source] of wanted) {
      if (hasRule(groups[role], port, source)) continue;
      const permission: IpPermission = {
        IpProtocol: "tcp",
        FromPort: port,
        ToPort: port,
        ...(source.cidr ? { IpRanges: [{ CidrIp: source.cidr }] } : { UserIdGroupPairs: [{ GroupId: source.groupId }] }),
      };
      await afterCreate(() =>
        aws.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groups[role].GroupId, IpPermissions: [permission] })),
      );
    }
    return { albSgId: groups.alb.GroupId!, appSgId: groups.app.GroupId!, dbSgId: groups.db.GroupId! };
  },
);
