/**
 * AWS/RDS metrics from the simulation: connections from the app fleet, storage, latency; a
 * Multi-AZ failover (RebootDBInstance ForceFailover) drops every connection to 0 for its
 * 90 simulated seconds and leaves latency high for a few minutes after.
 * Speed 1 and explicit clock steps of 10 s: each step is one sample, so the windows are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import {
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
  RebootDBInstanceCommand,
} from "@aws-sdk/client-rds";
import { startTestCloud, type TestCloud } from "./helpers.ts";
import { series, simNow } from "./metrics-helpers.ts";

let lc: TestCloud;
const DB = "orders-db";

/** Move simulated time forward in 10 s steps (one tick, so one metrics sample, per step). */
async function step(seconds: number): Promise<void> {
  for (let s = 0; s < seconds; s += 10) await lc.advance(10_000);
}

async function dbStatus(): Promise<string> {
  return (await lc.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: DB }))).DBInstances![0].DBInstanceStatus!;
}

beforeAll(async () => {
  lc = await startTestCloud({ speed: 1 });
  const { Vpc } = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.40.0.0/16" }));
  const subnets: string[] = [];
  for (const [i, az] of ["us-east-1a", "us-east-1b"].entries()) {
    const { Subnet } = await lc.ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId!, CidrBlock: `10.40.${i + 1}.0/24`, AvailabilityZone: az }),
    );
    subnets.push(Subnet!.SubnetId!);
  }
  await lc.rds.send(
    new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "orders", DBSubnetGroupDescription: "orders", SubnetIds: subnets }),
  );
  await lc.rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: DB,
      Engine: "postgres",
      DBInstanceClass: "db.t3.medium",
      AllocatedStorage: 50,
      MasterUsername: "app",
      MasterUserPassword: "correct-horse-battery",
      DBSubnetGroupName: "orders",
      MultiAZ: true,
      BackupRetentionPeriod: 0,
    }),
  );
  // The app fleet: two running instances keep a connection pool each.
  const imageId = (await lc.ec2.send(new DescribeImagesCommand({ Owners: ["amazon"] }))).Images![0].ImageId!;
  await lc.ec2.send(
    new RunInstancesCommand({ ImageId: imageId, InstanceType: "t3.micro", MinCount: 2, MaxCount: 2, SubnetId: subnets[0] }),
  );
  await lc.advance(600_000);
  expect(await dbStatus()).toBe("available");
});

afterAll(() => lc?.close());

describe("AWS/RDS", () => {
  it("drops connections to 0 during a failover and shows the latency spike after it", async () => {
    const start = await simNow(lc);
    await step(180);
    await lc.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: DB, ForceFailover: true }));
    const failoverAt = await simNow(lc);
    await step(60);
    expect(await dbStatus()).toBe("rebooting");
    await step(60);
    expect(await dbStatus()).toBe("available");
    await step(240);
    const end = await simNow(lc);
    const dims = { DBInstanceIdentifier: DB };

    const minimum = await series(lc, { namespace: "AWS/RDS", metric: "DatabaseConnections", stat: "Minimum", dims, start, end });
    const before = minimum.values.filter((_, i) => minimum.timestamps[i] + 60_000 <= failoverAt);
    const during = minimum.values.filter(
      (_, i) => minimum.timestamps[i] <= failoverAt + 60_000 && minimum.timestamps[i] + 60_000 > failoverAt,
    );
    const after = minimum.values.filter((_, i) => minimum.timestamps[i] >= failoverAt + 120_000);
    expect(before.length).toBeGreaterThanOrEqual(2);
    for (const v of before) expect(v).toBeGreaterThanOrEqual(4);
    expect(Math.min(...during)).toBe(0);
    expect(after.length).toBeGreaterThanOrEqual(2);
    for (const v of after) expect(v).toBeGreaterThanOrEqual(4);

    const latency = await series(lc, { namespace: "AWS/RDS", metric: "ReadLatency", stat: "p90", dims, start, end });
    const latencyBefore = Math.max(...latency.values.filter((_, i) => latency.timestamps[i] + 60_000 <= failoverAt));
    const latencyAfter = Math.max(...latency.values.filter((_, i) => latency.timestamps[i] >= failoverAt + 60_000));
    expect(latencyBefore).toBeLessThan(0.005);
    expect(latencyAfter).toBeGreaterThan(latencyBefore * 3);
  });

  it("publishes storage, memory and CPU every minute", async () => {
    const end = await simNow(lc);
    const start = end - 10 * 60_000;
    const dims = { DBInstanceIdentifier: DB };
    const free = await series(lc, { namespace: "AWS/RDS", metric: "FreeStorageSpace", stat: "Minimum", dims, start, end });
    expect(free.values.length).toBeGreaterThanOrEqual(8);
    for (const v of free.values) {
      expect(v).toBeGreaterThan(45 * 1024 ** 3);
      expect(v).toBeLessThan(50 * 1024 ** 3);
    }
    const cpu = await series(lc, { namespace: "AWS/RDS", metric: "CPUUtilization", stat: "Average", dims, start, end });
    for (const v of cpu.values) expect(v).toBeGreaterThan(0);
    const memory = await series(lc, { namespace: "AWS/RDS", metric: "FreeableMemory", stat: "Average", dims, start, end });
    // db.t3.medium has 4 GiB.
    for (const v of memory.values) expect(v).toBeLessThan(4 * 1024 ** 3);
  });
});
