/**
 * EC2 conformance through the real SDK v3 client: instances with their simulated lifecycle (SDK
 * waiters included), filters, paging and EC2's error codes for bad launches.
 */
import { describe, it, expect } from "vitest";
import {
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  DeleteSubnetCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceStatusCommand,
  DescribeInstancesCommand,
  RunInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  waitUntilInstanceRunning,
  waitUntilInstanceStopped,
  waitUntilInstanceTerminated,
} from "@aws-sdk/client-ec2";
import { getInstance, instanceUserData } from "../src/services/ec2/index.ts";
import { ec2, imageId, lc, network, useEc2Cloud } from "./ec2-fixture.ts";
import { eventually, expectError, fastWaiter } from "./helpers.ts";

// One cloud for the file; tests use distinct CIDRs instead of resetting it.
useEc2Cloud({ quotas: { "vpcs-per-region": 20 } });

describe("instances", () => {
  it("runs instances from a launch template into a subnet, through pending to running, and terminates them", async () => {
    const { vpcId, subnets } = await network("10.7.0.0/16", ["us-east-1b"]);
    const userData = Buffer.from("# localcloud: boot_seconds=20 latency_ms=30 error_rate=0.0 health=ok\n").toString("base64");
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web", VpcId: vpcId }));
    await ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: "run-test",
        LaunchTemplateData: {
          ImageId: imageId,
          InstanceType: "t3.small",
          UserData: userData,
          SecurityGroupIds: [sg.GroupId!],
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "app", Value: "shop" }] }],
        },
      }),
    );
    const run = await ec2.send(
      new RunInstancesCommand({
        MinCount: 3,
        MaxCount: 3,
        SubnetId: subnets[0].SubnetId,
        LaunchTemplate: { LaunchTemplateName: "run-test", Version: "$Latest" },
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "env", Value: "test" }] }],
      }),
    );
    expect(run.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(run.Instances).toHaveLength(3);
    const first = run.Instances![0];
    expect(first.State).toEqual({ Code: 0, Name: "pending" });
    expect(first).toMatchObject({
      ImageId: imageId,
      InstanceType: "t3.small",
      SubnetId: subnets[0].SubnetId,
      VpcId: vpcId,
      Placement: expect.objectContaining({ AvailabilityZone: "us-east-1b" }),
    });
    expect(first.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(first.PrivateIpAddress).toMatch(/^10\.7\.0\.\d+$/);
    expect(new Set(run.Instances!.map((i) => i.PrivateIpAddress)).size).toBe(3);
    expect(first.SecurityGroups).toEqual([{ GroupId: sg.GroupId, GroupName: "web" }]);
    const tags = Object.fromEntries(first.Tags!.map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({ app: "shop", env: "test", "aws:ec2launchtemplate:version": "1" });
    expect(tags["aws:ec2launchtemplate:id"]).toMatch(/^lt-/);
    const ids = run.Instances!.map((i) => i.InstanceId!);

    await waitUntilInstanceRunning(fastWaiter(ec2), { InstanceIds: ids });
    const running = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "instance-state-name", Values: ["running"] },
          { Name: "tag:app", Values: ["shop"] },
        ],
      }),
    );
    expect(running.Reservations).toHaveLength(1);
    expect(running.Reservations![0].Instances!.map((i) => i.State?.Code)).toEqual([16, 16, 16]);
    // The data plane reads the user data kept on the instance.
    expect(instanceUserData(getInstance(lc.cloud, ids[0])!)).toContain("boot_seconds=20");
    const attribute = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: ids[0], Attribute: "userData" }));
    expect(attribute.UserData?.Value).toBe(userData);
    const statuses = await ec2.send(new DescribeInstanceStatusCommand({ InstanceIds: ids }));
    expect(statuses.InstanceStatuses!.map((s) => s.InstanceState?.Name)).toEqual(["running", "running", "running"]);
    expect(["initializing", "ok"]).toContain(statuses.InstanceStatuses![0].InstanceStatus?.Status);

    const terminated = await ec2.send(new TerminateInstancesCommand({ InstanceIds: [ids[0]] }));
    expect(terminated.TerminatingInstances).toEqual([
      { InstanceId: ids[0], PreviousState: { Code: 16, Name: "running" }, CurrentState: { Code: 32, Name: "shutting-down" } },
    ]);
    await waitUntilInstanceTerminated(fastWaiter(ec2), { InstanceIds: [ids[0]] });
    const gone = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[0]] }));
    expect(gone.Reservations![0].Instances![0]).toMatchObject({
      State: { Code: 48, Name: "terminated" },
      StateReason: { Code: "Client.UserInitiatedShutdown" },
    });
    expect(gone.Reservations![0].Instances![0].StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    const stillThere = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "subnet-id", Values: [subnets[0].SubnetId!] }] }));
    expect(stillThere.Reservations![0].Instances!.map((i) => i.InstanceId).sort()).toEqual(ids.slice(1).sort());
    expect((await expectError(ec2.send(new DeleteSubnetCommand({ SubnetId: subnets[0].SubnetId })))).name).toBe("DependencyViolation");

    // Terminated instances stay visible for about an hour, then vanish.
    await lc.advance(3_700_000);
    await eventually(
      async () =>
        (await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: [ids[0]] })))).name === "InvalidInstanceID.NotFound",
    );
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: ids.slice(1) }));
  });

  it("stops and starts an instance, and replays RunInstances per ClientToken", async () => {
    const { subnets } = await network("10.8.0.0/16", ["us-east-1c"]);
    const input = {
      MinCount: 1,
      MaxCount: 1,
      ImageId: imageId,
      InstanceType: "t3.micro" as const,
      SubnetId: subnets[0].SubnetId,
      ClientToken: "run-once",
    };
    const run = await ec2.send(new RunInstancesCommand(input));
    const replay = await ec2.send(new RunInstancesCommand(input));
    expect(replay.Instances!.map((i) => i.InstanceId)).toEqual(run.Instances!.map((i) => i.InstanceId));
    const id = run.Instances![0].InstanceId!;
    await waitUntilInstanceRunning(fastWaiter(ec2), { InstanceIds: [id] });
    const stopping = await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }));
    expect(stopping.StoppingInstances![0].CurrentState).toEqual({ Code: 64, Name: "stopping" });
    await waitUntilInstanceStopped(fastWaiter(ec2), { InstanceIds: [id] });
    const starting = await ec2.send(new StartInstancesCommand({ InstanceIds: [id] }));
    expect(starting.StartingInstances![0]).toMatchObject({ PreviousState: { Name: "stopped" }, CurrentState: { Name: "pending" } });
    await waitUntilInstanceRunning(fastWaiter(ec2), { InstanceIds: [id] });
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    const notStartable = await eventually(async () => {
      const err = await expectError(ec2.send(new StartInstancesCommand({ InstanceIds: [id] })));
      return err.name === "IncorrectInstanceState" ? err : undefined;
    });
    expect(notStartable.message).toContain(id);
  });

  it("filters and pages DescribeInstances and rejects bad launches with EC2's codes", async () => {
    const { vpcId, subnets } = await network("10.9.0.0/16", ["us-east-1a", "us-east-1d"]);
    for (const subnet of subnets) {
      await ec2.send(
        new RunInstancesCommand({
          MinCount: 3,
          MaxCount: 3,
          ImageId: imageId,
          InstanceType: "t3.micro",
          SubnetId: subnet.SubnetId,
          TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "batch", Value: "paging" }] }],
        }),
      );
    }
    const filters = [{ Name: "vpc-id", Values: [vpcId] }];
    const byZone = await ec2.send(
      new DescribeInstancesCommand({ Filters: [...filters, { Name: "availability-zone", Values: ["us-east-1d"] }] }),
    );
    expect(byZone.Reservations!.flatMap((r) => r.Instances!).map((i) => i.SubnetId)).toEqual(Array(3).fill(subnets[1].SubnetId));
    const byKey = await ec2.send(
      new DescribeInstancesCommand({
        Filters: [
          { Name: "tag-key", Values: ["batch"] },
          { Name: "instance-type", Values: ["t3.*"] },
        ],
      }),
    );
    expect(byKey.Reservations!.flatMap((r) => r.Instances!)).toHaveLength(6);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 5, NextToken: token }));
      seen.push(...page.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId!)));
      token = page.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(6);

    const combination = await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: [seen[0]], MaxResults: 5 })));
    expect(combination.name).toBe("InvalidParameterCombination");
    expect((await expectError(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: "no-such-filter", Values: ["x"] }] })))).name).toBe(
      "InvalidParameterValue",
    );
    expect((await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] })))).name).toBe(
      "InvalidInstanceID.NotFound",
    );
    expect((await expectError(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["instance-1"] })))).name).toBe(
      "InvalidInstanceID.Malformed",
    );
    const base = { MinCount: 1, MaxCount: 1, ImageId: imageId, SubnetId: subnets[0].SubnetId };
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, ImageId: "ami-0123456789abcdef0" })))).name).toBe(
      "InvalidAMIID.NotFound",
    );
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, SubnetId: "subnet-0123456789abcdef0" })))).name).toBe(
      "InvalidSubnetID.NotFound",
    );
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, InstanceType: "m7g.large" })))).name).toBe(
      "InvalidParameterValue",
    );
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, SecurityGroupIds: ["sg-0123456789abcdef0"] })))).name).toBe(
      "InvalidGroup.NotFound",
    );
    expect((await expectError(ec2.send(new RunInstancesCommand({ ...base, MinCount: 3, MaxCount: 2 })))).name).toBe(
      "InvalidParameterValue",
    );
    expect(
      (await expectError(ec2.send(new RunInstancesCommand({ ...base, LaunchTemplate: { LaunchTemplateId: "lt-0123456789abcdef0" } }))))
        .name,
    ).toBe("InvalidLaunchTemplateId.NotFound");
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: seen }));
  });
});
