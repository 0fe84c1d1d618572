/**
 * Eventual consistency (--consistency-lag / POST /_localcloud/consistency): for the lag after a
 * create, Describe* by the new id answers the service's NotFound error, then the resource
 * appears. Speed 1, so only advance() moves simulated time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
} from "@aws-sdk/client-ec2";
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateDBInstanceCommand, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { expectError, startTestCloud, type TestCloud } from "./helpers.ts";

let lc: TestCloud;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 1 });
});

afterAll(() => lc?.close());

describe("consistency lag", () => {
  it("is 0 by default: a new VPC is visible at once", async () => {
    expect((await lc.admin("GET", "consistency")).body).toEqual({ lagSeconds: 0 });
    const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.1.0.0/16" }));
    const { Vpcs } = await lc.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }));
    expect(Vpcs!.map((v) => v.VpcId)).toEqual([Vpc!.VpcId]);
  });

  it("rejects an invalid setting", async () => {
    expect((await lc.admin("POST", "consistency", { lagSeconds: -1 })).status).toBe(400);
    expect((await lc.admin("POST", "consistency", { lag: 5 })).status).toBe(400);
  });

  it("hides new EC2 resources from Describe* by id for the lag, with EC2's NotFound codes", async () => {
    expect((await lc.admin("POST", "consistency", { lagSeconds: 30 })).body).toEqual({ lagSeconds: 30 });
    const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.2.0.0/16" }));
    const vpcId = Vpc!.VpcId!;
    const err = await expectError(lc.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })));
    expect(err.name).toBe("InvalidVpcID.NotFound");
    expect(err.message).toBe(`The vpc ID '${vpcId}' does not exist`);
    // Calls that take the id as a parameter (not Describe*) are not delayed here.
    const { Subnet } = await lc.ec2.send(
      new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: "10.2.1.0/24", AvailabilityZone: "us-east-1a" }),
    );
    expect((await expectError(lc.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [Subnet!.SubnetId!] })))).name).toBe(
      "InvalidSubnetID.NotFound",
    );
    const { GroupId } = await lc.ec2.send(new CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: "web", Description: "web" }));
    expect((await expectError(lc.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] })))).name).toBe(
      "InvalidGroup.NotFound",
    );
    // A listing without ids is not affected.
    const { Vpcs: all } = await lc.ec2.send(new DescribeVpcsCommand({}));
    expect(all!.some((v) => v.VpcId === vpcId)).toBe(true);

    await lc.advance(30_000);
    expect((await lc.ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs).toHaveLength(1);
    expect((await lc.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [Subnet!.SubnetId!] }))).Subnets).toHaveLength(1);
    expect((await lc.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [GroupId!] }))).SecurityGroups).toHaveLength(1);
  });

  it("answers TargetGroupNotFound and DBInstanceNotFound while ELBv2 and RDS catch up", async () => {
    const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.3.0.0/16" }));
    const { TargetGroups } = await lc.elbv2.send(
      new CreateTargetGroupCommand({ Name: "lagged", Protocol: "HTTP", Port: 80, VpcId: Vpc!.VpcId! }),
    );
    const arn = TargetGroups![0].TargetGroupArn!;
    expect((await expectError(lc.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] })))).name).toBe(
      "TargetGroupNotFoundException",
    );
    expect((await expectError(lc.elbv2.send(new DescribeTargetGroupsCommand({ Names: ["lagged"] })))).name).toBe(
      "TargetGroupNotFoundException",
    );
    await lc.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: "lagged-db",
        DBInstanceClass: "db.t3.micro",
        Engine: "postgres",
        MasterUsername: "app",
        MasterUserPassword: "secret-password",
        AllocatedStorage: 20,
      }),
    );
    const dbErr = await expectError(lc.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "lagged-db" })));
    expect(dbErr.name).toBe("DBInstanceNotFoundFault");
    expect(dbErr.$metadata.httpStatusCode).toBe(404);

    await lc.advance(31_000);
    expect((await lc.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))).TargetGroups).toHaveLength(1);
    expect((await lc.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "lagged-db" }))).DBInstances).toHaveLength(1);
  });

  it("switches off with 0: nothing is hidden any more", async () => {
    await lc.admin("POST", "consistency", { lagSeconds: 0 });
    const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.4.0.0/16" }));
    expect((await lc.ec2.send(new DescribeVpcsCommand({ VpcIds: [Vpc!.VpcId!] }))).Vpcs).toHaveLength(1);
  });
});
