/**
 * Instance bootstrap: the app comes up only when the instance's network path and role allow
 * what its user data needs; otherwise it never listens (ELB: Target.FailedHealthChecks) and
 * GetConsoleOutput says which line failed and why.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateVpcEndpointCommand, DescribeRouteTablesCommand, GetConsoleOutputCommand } from "@aws-sdk/client-ec2";
import {
  AddRoleToInstanceProfileCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from "@aws-sdk/client-iam";
import { eventually, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildNetwork, runOne, type TestNetwork } from "./ec2-net-helpers.ts";
import { EC2_TRUST, iamClient, policy } from "./iam-helpers.ts";
import { buildWebStack, targetStates } from "./stack-helpers.ts";

let lc: TestCloud;
let iam: IAMClient;
let net: TestNetwork;
let mainTable: string;

const b64 = (s: string) => Buffer.from(s).toString("base64");

async function instanceState(id: string): Promise<string | undefined> {
  const { body } = await lc.admin<{ instances: Array<{ id: string; state: string }> }>("GET", "instances");
  return body.instances.find((i) => i.id === id)?.state;
}

/** Waits until the bootstrap of `id` is decided (serving or failed); returns the state and the console text. */
async function bootstrapped(id: string): Promise<{ state: string; console: string }> {
  const state: string = await eventually(async () => {
    const s = await instanceState(id);
    return s === "serving" || s === "failed" ? s : "";
  });
  const { Output } = await lc.ec2.send(new GetConsoleOutputCommand({ InstanceId: id }));
  return { state, console: Buffer.from(Output ?? "", "base64").toString("utf8") };
}

beforeAll(async () => {
  lc = await startTestCloud({ speed: 50 });
  iam = iamClient(lc.url);
  // A private subnet: the VPC's main route table has only the local route.
  net = await buildNetwork(lc.ec2, { cidr: "10.60.0.0/16", subnetCount: 1 });
  const { RouteTables } = await lc.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [net.vpcId] }] }));
  mainTable = RouteTables![0].RouteTableId!;
  await iam.send(new CreateRoleCommand({ RoleName: "app-role", AssumeRolePolicyDocument: EC2_TRUST }));
  await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: "app-profile" }));
  await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "app-profile", RoleName: "app-role" }));
}, 30_000);

afterAll(async () => {
  iam?.destroy();
  await lc?.close();
});

const DNF = "#!/bin/bash\nset -e\n# localcloud: boot_seconds=5\ndnf install -y nginx\nsystemctl start nginx\n";
const ARTIFACT = "#!/bin/bash\nset -euo pipefail\naws s3 cp s3://my-artifacts/app-v2.tgz /tmp/app.tgz\ntar xzf /tmp/app.tgz -C /opt\n";

describe("instance bootstrap", () => {
  it("comes up as before when the user data needs nothing", async () => {
    const id = await runOne(lc.ec2, { SubnetId: net.subnets[0], UserData: b64("#!/bin/bash\n# just start the app\necho starting app\n") });
    const { state, console } = await bootstrapped(id);
    expect(state).toBe("serving");
    expect(console).toContain("+ echo starting app");
    expect(console).toMatch(/Cloud-init v\. 22\.2\.2 finished at .*Up [\d.]+ seconds/);
  });

  it("never listens when dnf has no way to S3, and the console says which line and why", async () => {
    const id = await runOne(lc.ec2, { SubnetId: net.subnets[0], UserData: b64(DNF) });
    const { state, console } = await bootstrapped(id);
    expect(state).toBe("failed");
    expect(console).toContain("+ dnf install -y nginx");
    expect(console).toContain(
      `dnf: cannot reach the repository: no route to S3 from ${net.subnets[0]} (route table ${mainTable}): no NAT gateway, no internet gateway route with a public IP, no S3 gateway endpoint`,
    );
    expect(console).toContain("Failed to run module scripts_user");
    // set -e: nothing after the failing line ran.
    expect(console).not.toContain("+ systemctl start nginx");
    // The app never comes up, however long we wait.
    await lc.advance(10 * 60_000);
    expect(await instanceState(id)).toBe("failed");
  });

  it("comes up once an S3 gateway endpoint serves the route table (a new instance: cloud-init runs once)", async () => {
    const { VpcEndpoint } = await lc.ec2.send(
      new CreateVpcEndpointCommand({ VpcId: net.vpcId, ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIds: [mainTable] }),
    );
    const id = await runOne(lc.ec2, { SubnetId: net.subnets[0], UserData: b64(DNF) });
    const { state, console } = await bootstrapped(id);
    expect(state).toBe("serving");
    expect(console).toContain(`dnf: ok (S3 via S3 gateway endpoint ${VpcEndpoint!.VpcEndpointId} (route table ${mainTable}))`);
    expect(console).toContain("+ systemctl start nginx");
  });

  it("fails aws s3 cp without an instance profile: no credentials", async () => {
    const id = await runOne(lc.ec2, { SubnetId: net.subnets[0], UserData: b64(ARTIFACT) });
    const { state, console } = await bootstrapped(id);
    expect(state).toBe("failed");
    expect(console).toContain("aws s3 cp: Unable to locate credentials: no instance profile");
  });

  it("fails aws s3 cp when the role may not read the object, naming role, action and ARN; a fixed role serves the next instance", async () => {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "app-role",
        PolicyName: "other-bucket",
        PolicyDocument: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::other-bucket/*" }),
      }),
    );
    const denied = await runOne(lc.ec2, { SubnetId: net.subnets[0], UserData: b64(ARTIFACT), IamInstanceProfile: { Name: "app-profile" } });
    const first = await bootstrapped(denied);
    expect(first.state).toBe("failed");
    expect(first.console).toContain(
      "aws s3 cp: AccessDenied: role app-role has no policy allowing s3:GetObject on arn:aws:s3:::my-artifacts/app-v2.tgz",
    );

    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "app-role",
        PolicyName: "artifacts",
        PolicyDocument: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::my-artifacts/*" }),
      }),
    );
    const allowed = await runOne(lc.ec2, {
      SubnetId: net.subnets[0],
      UserData: b64(ARTIFACT),
      IamInstanceProfile: { Name: "app-profile" },
    });
    const second = await bootstrapped(allowed);
    expect(second.state).toBe("serving");
    expect(second.console).toContain("aws s3 cp: ok (S3 via S3 gateway endpoint");
    expect(second.console).toContain("s3:GetObject allowed");
    // The instance that failed stays failed: user data does not run again.
    expect(await instanceState(denied)).toBe("failed");
  });

  it("fails a secret read with no path to Secrets Manager, whatever the role allows", async () => {
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: "app-role",
        PolicyName: "secrets",
        PolicyDocument: policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*" }),
      }),
    );
    const script = "#!/bin/bash\nDB=$(aws secretsmanager get-secret-value --secret-id shop/db --query SecretString --output text)\n";
    const id = await runOne(lc.ec2, { SubnetId: net.subnets[0], UserData: b64(script), IamInstanceProfile: { Name: "app-profile" } });
    const { state, console } = await bootstrapped(id);
    expect(state).toBe("failed");
    expect(console).toContain(
      `aws secretsmanager get-secret-value: cannot reach secretsmanager: no route to secretsmanager from ${net.subnets[0]} (route table ${mainTable})`,
    );
  });

  it("registers the failed instances' targets as AWS reports a refusing target: Target.FailedHealthChecks", async () => {
    // buildWebStack's subnets have no way out: dnf cannot reach S3.
    const stack = await buildWebStack(lc, {
      name: "boot",
      fleets: [{ name: "app", version: "v1", capacity: 1, script: "dnf install -y nginx" }],
    });
    const reasons = await eventually(
      async () => {
        const states = Object.values(await targetStates(lc, stack.fleets.app.targetGroupArn));
        return states.length && states.every((s) => s.state === "unhealthy") ? states.map((s) => s.reason) : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(reasons).toEqual(["Target.FailedHealthChecks"]);
  }, 40_000);
});
