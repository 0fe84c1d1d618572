/**
 * RDS conformance: driven only through @aws-sdk/client-rds (and client-ec2 for the VPC and
 * subnets), against the in-process local cloud at 200x (creating ~6 simulated minutes ~ 2 s).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  CreateDBSubnetGroupCommand,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DBSubnetGroupAlreadyExistsFault,
  DBSubnetGroupDoesNotCoverEnoughAZs,
  DBSubnetGroupNotFoundFault,
  DeleteDBInstanceCommand,
  DeleteDBSubnetGroupCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeEventsCommand,
  InvalidDBInstanceStateFault,
  InvalidDBSubnetGroupStateFault,
  ListTagsForResourceCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  RemoveTagsFromResourceCommand,
  paginateDescribeDBInstances,
  waitUntilDBInstanceAvailable,
  type CreateDBInstanceCommandInput,
  type DBInstance,
} from "@aws-sdk/client-rds";
import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { eventually, expectError, fastWaiter, startTestCloud, type TestCloud } from "./helpers.ts";
import { getDbInstance } from "../src/services/rds/index.ts";

let lc: TestCloud;
let subnets: string[];
let oneAzSubnets: string[];
const PASSWORD = "correct-horse-battery";

const waiterConfig = () => fastWaiter(lc.rds);

async function describeDb(id: string): Promise<DBInstance> {
  const res = await lc.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }));
  return res.DBInstances![0];
}

function dbInput(id: string, extra: Partial<CreateDBInstanceCommandInput> = {}): CreateDBInstanceCommandInput {
  return {
    DBInstanceIdentifier: id,
    Engine: "postgres",
    DBInstanceClass: "db.t3.micro",
    AllocatedStorage: 20,
    MasterUsername: "app",
    MasterUserPassword: PASSWORD,
    DBSubnetGroupName: "app-db",
    ...extra,
  };
}

beforeAll(async () => {
  lc = await startTestCloud({ speed: 200 });
  const vpc = await lc.ec2.send(new CreateVpcCommand({ CidrBlock: "10.30.0.0/16" }));
  const vpcId = vpc.Vpc!.VpcId!;
  subnets = [];
  for (const [i, az] of ["us-east-1a", "us-east-1b", "us-east-1c"].entries()) {
    const sn = await lc.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.30.${i + 1}.0/24`, AvailabilityZone: az }));
    subnets.push(sn.Subnet!.SubnetId!);
  }
  oneAzSubnets = [];
  for (const i of [10, 11]) {
    const sn = await lc.ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: `10.30.${i}.0/24`, AvailabilityZone: "us-east-1a" }));
    oneAzSubnets.push(sn.Subnet!.SubnetId!);
  }
  await lc.rds.send(
    new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "app-db", DBSubnetGroupDescription: "app database", SubnetIds: subnets }),
  );
});

afterAll(async () => {
  await lc?.close();
});

describe("DB subnet groups", () => {
  it("describes the group with its subnets, AZs and ARN", async () => {
    const res = await lc.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "app-db" }));
    const g = res.DBSubnetGroups![0];
    expect(g).toMatchObject({
      DBSubnetGroupName: "app-db",
      DBSubnetGroupDescription: "app database",
      SubnetGroupStatus: "Complete",
      DBSubnetGroupArn: "arn:aws:rds:us-east-1:000000000000:subgrp:app-db",
    });
    expect(g.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(g.Subnets!.map((s) => [s.SubnetIdentifier, s.SubnetAvailabilityZone?.Name, s.SubnetStatus])).toEqual([
      [subnets[0], "us-east-1a", "Active"],
      [subnets[1], "us-east-1b", "Active"],
      [subnets[2], "us-east-1c", "Active"],
    ]);
  });

  it("raises the typed faults: exists, not enough AZs, not found, invalid subnet", async () => {
    const dup = await expectError(
      lc.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "app-db", DBSubnetGroupDescription: "again", SubnetIds: subnets })),
    );
    expect(dup).toBeInstanceOf(DBSubnetGroupAlreadyExistsFault);
    const oneAz = await expectError(
      lc.rds.send(new CreateDBSubnetGroupCommand({ DBSubnetGroupName: "one-az", DBSubnetGroupDescription: "x", SubnetIds: oneAzSubnets })),
    );
    expect(oneAz).toBeInstanceOf(DBSubnetGroupDoesNotCoverEnoughAZs);
    const missing = await expectError(lc.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "nope" })));
    expect(missing).toBeInstanceOf(DBSubnetGroupNotFoundFault);
    const badSubnet = await expectError(
      lc.rds.send(
        new CreateDBSubnetGroupCommand({
          DBSubnetGroupName: "bad",
          DBSubnetGroupDescription: "x",
          SubnetIds: [subnets[0], "subnet-0123456789abcdef0"],
        }),
      ),
    );
    expect(badSubnet.name).toBe("InvalidSubnet");
  });
});

describe("DB instances", () => {
  let created: DBInstance;

  beforeAll(async () => {
    created = (
      await lc.rds.send(new CreateDBInstanceCommand(dbInput("app-single", { Tags: [{ Key: "env", Value: "prod" }], DBName: "app" })))
    ).DBInstance!;
    await lc.rds.send(
      new CreateDBInstanceCommand(
        dbInput("app-multi", {
          MultiAZ: true,
          Engine: "mysql",
          DBInstanceClass: "db.r6g.large",
          AllocatedStorage: 100,
          MasterUsername: "admin",
        }),
      ),
    );
  });

  it("starts creating with AWS fields and never returns the password", async () => {
    expect(created).toMatchObject({
      DBInstanceIdentifier: "app-single",
      DBInstanceStatus: "creating",
      Engine: "postgres",
      EngineVersion: "17.6",
      DBInstanceClass: "db.t3.micro",
      AllocatedStorage: 20,
      MasterUsername: "app",
      DBName: "app",
      MultiAZ: false,
      BackupRetentionPeriod: 1,
      DBInstanceArn: "arn:aws:rds:us-east-1:000000000000:db:app-single",
      TagList: [{ Key: "env", Value: "prod" }],
    });
    expect(created.Endpoint).toBeUndefined();
    expect(created.DbiResourceId).toMatch(/^db-[A-Z2-7]{26}$/);
    expect(created.DBSubnetGroup?.DBSubnetGroupName).toBe("app-db");
    expect(JSON.stringify(created)).not.toContain(PASSWORD);
    expect(JSON.stringify(lc.cloud.state("rds"))).not.toContain(PASSWORD);
  });

  it("becomes available (SDK waiter) with an endpoint and AZs from the subnet group", async () => {
    await waitUntilDBInstanceAvailable(waiterConfig(), { DBInstanceIdentifier: "app-single" });
    const db = await describeDb("app-single");
    expect(db.DBInstanceStatus).toBe("available");
    expect(db.Endpoint?.Address).toMatch(/^app-single\.[a-z0-9]{12}\.us-east-1\.rds\.amazonaws\.com$/);
    expect(db.Endpoint?.Port).toBe(5432);
    expect(db.InstanceCreateTime).toBeInstanceOf(Date);
    expect(db.LatestRestorableTime).toBeInstanceOf(Date);
    expect(["us-east-1a", "us-east-1b", "us-east-1c"]).toContain(db.AvailabilityZone);
    expect(db.SecondaryAvailabilityZone).toBeUndefined();

    await waitUntilDBInstanceAvailable(waiterConfig(), { DBInstanceIdentifier: "app-multi" });
    const multi = await describeDb("app-multi");
    expect(multi).toMatchObject({ Engine: "mysql", MultiAZ: true, DBInstanceClass: "db.r6g.large" });
    expect(multi.Endpoint?.Port).toBe(3306);
    expect(multi.SecondaryAvailabilityZone).toBeDefined();
    expect(multi.SecondaryAvailabilityZone).not.toBe(multi.AvailabilityZone);

    const events = await lc.rds.send(
      new DescribeEventsCommand({ SourceType: "db-instance", SourceIdentifier: "app-single", Duration: 60 * 24 }),
    );
    expect(events.Events!.map((e) => e.Message)).toEqual(["DB instance created", "Backing up DB instance", "Finished DB Instance backup"]);
    expect(events.Events![0]).toMatchObject({
      SourceType: "db-instance",
      SourceArn: "arn:aws:rds:us-east-1:000000000000:db:app-single",
      EventCategories: ["creation"],
    });
  });

  it("rejects duplicates, unknown classes, engines, weak passwords and unknown subnet groups", async () => {
    const dup = await expectError(lc.rds.send(new CreateDBInstanceCommand(dbInput("app-single"))));
    expect(dup).toBeInstanceOf(DBInstanceAlreadyExistsFault);
    const badClass = await expectError(lc.rds.send(new CreateDBInstanceCommand(dbInput("bad-class", { DBInstanceClass: "db.t3.huge" }))));
    expect(badClass.name).toBe("InvalidParameterCombination");
    const badEngine = await expectError(lc.rds.send(new CreateDBInstanceCommand(dbInput("bad-engine", { Engine: "oracle-xe" }))));
    expect(badEngine.name).toBe("InvalidParameterValue");
    const weak = await expectError(lc.rds.send(new CreateDBInstanceCommand(dbInput("weak", { MasterUserPassword: "tiny7" }))));
    expect(weak.name).toBe("InvalidParameterValue");
    expect(weak.message).not.toContain("tiny7");
    const noGroup = await expectError(lc.rds.send(new CreateDBInstanceCommand(dbInput("no-group", { DBSubnetGroupName: "missing" }))));
    expect(noGroup).toBeInstanceOf(DBSubnetGroupNotFoundFault);
    const badId = await expectError(lc.rds.send(new CreateDBInstanceCommand(dbInput("1-starts-with-digit"))));
    expect(badId.name).toBe("InvalidParameterValue");
    const notFound = await expectError(lc.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: "ghost" })));
    expect(notFound).toBeInstanceOf(DBInstanceNotFoundFault);
    expect(notFound.$metadata.httpStatusCode).toBe(404);
  });

  it("refuses ForceFailover on a single-AZ instance, reboots it, and fails a Multi-AZ one over", async () => {
    const single = await expectError(lc.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "app-single", ForceFailover: true })));
    expect(single.name).toBe("InvalidParameterCombination");

    const rebooting = await lc.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "app-single" }));
    expect(rebooting.DBInstance?.DBInstanceStatus).toBe("rebooting");
    const busy = await expectError(lc.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "app-single" })));
    expect(busy).toBeInstanceOf(InvalidDBInstanceStateFault);
    await waitUntilDBInstanceAvailable(waiterConfig(), { DBInstanceIdentifier: "app-single" });

    const before = await describeDb("app-multi");
    const failover = await lc.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: "app-multi", ForceFailover: true }));
    expect(failover.DBInstance?.DBInstanceStatus).toBe("rebooting");
    await waitUntilDBInstanceAvailable(waiterConfig(), { DBInstanceIdentifier: "app-multi" });
    const after = await describeDb("app-multi");
    expect(after.AvailabilityZone).toBe(before.SecondaryAvailabilityZone);
    expect(after.SecondaryAvailabilityZone).toBe(before.AvailabilityZone);

    const record = getDbInstance(lc.cloud, "us-east-1", "app-multi")!;
    expect(record.sim.failovers).toHaveLength(1);
    expect(record.sim.failovers[0].completedAt).toBeGreaterThan(record.sim.failovers[0].startedAt);

    const events = await lc.rds.send(
      new DescribeEventsCommand({
        SourceType: "db-instance",
        SourceIdentifier: "app-multi",
        EventCategories: ["failover"],
        Duration: 60 * 24,
      }),
    );
    expect(events.Events!.map((e) => e.Message)).toEqual(["Multi-AZ instance failover started.", "Multi-AZ instance failover completed."]);
  });

  it("keeps modifications pending without ApplyImmediately and applies them through modifying", async () => {
    const pending = await lc.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "app-single", DBInstanceClass: "db.t3.small" }));
    expect(pending.DBInstance).toMatchObject({
      DBInstanceStatus: "available",
      DBInstanceClass: "db.t3.micro",
      PendingModifiedValues: { DBInstanceClass: "db.t3.small" },
    });

    const applying = await lc.rds.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: "app-single", AllocatedStorage: 40, ApplyImmediately: true }),
    );
    expect(applying.DBInstance?.DBInstanceStatus).toBe("modifying");
    const busy = await expectError(
      lc.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "app-single", AllocatedStorage: 50, ApplyImmediately: true })),
    );
    expect(busy).toBeInstanceOf(InvalidDBInstanceStateFault);
    await waitUntilDBInstanceAvailable(waiterConfig(), { DBInstanceIdentifier: "app-single" });
    const done = await describeDb("app-single");
    expect(done).toMatchObject({ DBInstanceClass: "db.t3.small", AllocatedStorage: 40, PendingModifiedValues: {} });

    const toMultiAz = await lc.rds.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: "app-single", MultiAZ: true, ApplyImmediately: true }),
    );
    expect(toMultiAz.DBInstance).toMatchObject({ DBInstanceStatus: "modifying", MultiAZ: false, PendingModifiedValues: { MultiAZ: true } });
    await waitUntilDBInstanceAvailable(waiterConfig(), { DBInstanceIdentifier: "app-single" });
    const converted = await describeDb("app-single");
    expect(converted.MultiAZ).toBe(true);
    expect(converted.SecondaryAvailabilityZone).toBeDefined();
    expect(converted.SecondaryAvailabilityZone).not.toBe(converted.AvailabilityZone);

    const nothing = await expectError(lc.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: "app-single" })));
    expect(nothing.name).toBe("InvalidParameterCombination");
    const badClass = await expectError(
      lc.rds.send(
        new ModifyDBInstanceCommand({ DBInstanceIdentifier: "app-single", DBInstanceClass: "db.x9.nano", ApplyImmediately: true }),
      ),
    );
    expect(badClass.name).toBe("InvalidParameterCombination");
  });

  it("tags instances by ARN", async () => {
    const arn = "arn:aws:rds:us-east-1:000000000000:db:app-single";
    await lc.rds.send(
      new AddTagsToResourceCommand({
        ResourceName: arn,
        Tags: [
          { Key: "team", Value: "db" },
          { Key: "env", Value: "staging" },
        ],
      }),
    );
    const listed = await lc.rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    expect(listed.TagList).toEqual([
      { Key: "env", Value: "staging" },
      { Key: "team", Value: "db" },
    ]);
    await lc.rds.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["team"] }));
    expect((await describeDb("app-single")).TagList).toEqual([{ Key: "env", Value: "staging" }]);
    const missing = await expectError(
      lc.rds.send(new ListTagsForResourceCommand({ ResourceName: "arn:aws:rds:us-east-1:000000000000:db:ghost" })),
    );
    expect(missing).toBeInstanceOf(DBInstanceNotFoundFault);
  });

  it("protects the subnet group while used, and deletes instances (final snapshot rules, deleting -> gone)", async () => {
    const inUse = await expectError(lc.rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: "app-db" })));
    expect(inUse).toBeInstanceOf(InvalidDBSubnetGroupStateFault);
    const noSnapshot = await expectError(lc.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "app-single" })));
    expect(noSnapshot.name).toBe("InvalidParameterCombination");

    const deleting = await lc.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "app-single", SkipFinalSnapshot: true }));
    expect(deleting.DBInstance?.DBInstanceStatus).toBe("deleting");
    await lc.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: "app-multi", FinalDBSnapshotIdentifier: "app-multi-final" }));
    for (const id of ["app-single", "app-multi"]) {
      await eventually(
        async () =>
          (await expectError(lc.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })))) instanceof DBInstanceNotFoundFault,
      );
    }
    const events = await lc.rds.send(
      new DescribeEventsCommand({
        SourceType: "db-instance",
        SourceIdentifier: "app-single",
        EventCategories: ["deletion"],
        Duration: 60 * 24,
      }),
    );
    expect(events.Events!.map((e) => e.Message)).toEqual(["DB instance deleted"]);
    await lc.rds.send(new DeleteDBSubnetGroupCommand({ DBSubnetGroupName: "app-db" }));
    const gone = await expectError(lc.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: "app-db" })));
    expect(gone).toBeInstanceOf(DBSubnetGroupNotFoundFault);
  });
});

describe("listing", () => {
  it("pages DescribeDBInstances with MaxRecords/Marker and filters, per region", async () => {
    const west = lc.clientsFor("us-west-2");
    for (let i = 0; i < 23; i++) {
      await west.rds.send(
        new CreateDBInstanceCommand({
          ...dbInput(`fleet-${String(i).padStart(2, "0")}`),
          DBSubnetGroupName: undefined,
          Engine: i % 2 ? "mysql" : "postgres",
          MasterUsername: "fleet",
        }),
      );
    }
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of paginateDescribeDBInstances({ client: west.rds, pageSize: 20 }, {})) {
      pages.push(page.DBInstances!.length);
      ids.push(...page.DBInstances!.map((d) => d.DBInstanceIdentifier!));
    }
    expect(pages).toEqual([20, 3]);
    expect(new Set(ids).size).toBe(23);
    const east = await lc.rds.send(new DescribeDBInstancesCommand({}));
    expect(east.DBInstances!.some((d) => d.DBInstanceIdentifier!.startsWith("fleet-"))).toBe(false);

    const mysql = await west.rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: "engine", Values: ["mysql"] }] }));
    expect(mysql.DBInstances).toHaveLength(11);
    const byId = await west.rds.send(
      new DescribeDBInstancesCommand({
        Filters: [{ Name: "db-instance-id", Values: ["fleet-03", "arn:aws:rds:us-west-2:000000000000:db:fleet-04"] }],
      }),
    );
    expect(byId.DBInstances!.map((d) => d.DBInstanceIdentifier)).toEqual(["fleet-03", "fleet-04"]);
    const badFilter = await expectError(west.rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: "flavour", Values: ["x"] }] })));
    expect(badFilter.name).toBe("InvalidParameterValue");
    const badMax = await expectError(west.rds.send(new DescribeDBInstancesCommand({ MaxRecords: 10 })));
    expect(badMax.name).toBe("InvalidParameterValue");
  });

  it("requires a source type with a source identifier in DescribeEvents", async () => {
    const err = await expectError(lc.rds.send(new DescribeEventsCommand({ SourceIdentifier: "app-single" })));
    expect(err.name).toBe("InvalidParameterCombination");
  });
});
