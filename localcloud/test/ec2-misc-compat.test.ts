/**
 * What widely used clients hit on EC2 besides the core resources: GetConsoleOutput (written by
 * the bootstrap simulation through appendConsoleOutput), DescribeVpcs filter aliases, the
 * retired ClassicLink calls, DeleteLaunchTemplateVersions, DescribeAccountAttributes and
 * DependencyViolation on DeleteSecurityGroup / DeleteSubnet.
 */
import { describe, it, expect, beforeAll, afterAll, beforeEach } from "vitest";
import { GetConsoleOutputCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { appendConsoleOutput } from "../src/services/ec2/console.ts";
import { expectError, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildNetwork, runOne } from "./ec2-net-helpers.ts";

let lc: TestCloud;
let ec2: EC2Client;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 200 });
  ec2 = lc.ec2;
});
afterAll(async () => lc?.close());
beforeEach(async () => lc.reset());

describe("GetConsoleOutput", () => {
  it("returns what the bootstrap wrote, base64, with a timestamp; nothing before that", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 1 });
    const id = await runOne(ec2, { SubnetId: net.subnets[0] });
    const empty = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    expect(empty.InstanceId).toBe(id);
    expect(empty.Output).toBeUndefined();
    expect(appendConsoleOutput(lc.cloud, id, "cloud-init: running modules\n")).toBe(true);
    appendConsoleOutput(lc.cloud, id, "dnf install -y nginx: Complete!\n");
    const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id, Latest: true }));
    expect(Buffer.from(out.Output!, "base64").toString("utf8")).toBe("cloud-init: running modules\ndnf install -y nginx: Complete!\n");
    expect(out.Timestamp).toBeInstanceOf(Date);
    expect(Math.abs(out.Timestamp!.getTime() - lc.cloud.now())).toBeLessThan(60_000);
    expect(appendConsoleOutput(lc.cloud, "i-0000000000000000f", "x")).toBe(false);
    const missing = await expectError(ec2.send(new GetConsoleOutputCommand({ InstanceId: "i-0000000000000000f" })));
    expect(missing.name).toBe("InvalidInstanceID.NotFound");
    const malformed = await expectError(ec2.send(new GetConsoleOutputCommand({ InstanceId: "nope" })));
    expect(malformed.name).toBe("InvalidInstanceID.Malformed");
  });

  it("keeps only the most recent 64 KB, as AWS does", async () => {
    const net = await buildNetwork(ec2, { subnetCount: 1 });
    const id = await runOne(ec2, { SubnetId: net.subnets[0] });
    appendConsoleOutput(lc.cloud, id, "old\n" + "x".repeat(70 * 1024));
    appendConsoleOutput(lc.cloud, id, "\nnewest line\n");
    const out = await ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
    const text = Buffer.from(out.Output!, "base64").toString("utf8");
    expect(text.length).toBe(64 * 1024);
    expect(text.endsWith("newest line\n")).toBe(true);
    expect(text.startsWith("old")).toBe(false);
  });
});
