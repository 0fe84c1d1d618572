/**
 * The EC2 test files' one set-up: each file calls `useEc2Cloud()` once at its top level and
 * imports `lc`, `ec2` and `imageId` from here (live bindings, set in beforeAll). Every test
 * file gets its own module instance, so its own cloud.
 *
 *   import { ec2, lc, useEc2Cloud } from "./ec2-fixture.ts";
 *   useEc2Cloud({ resetBeforeEach: true });
 */
import { CreateSubnetCommand, CreateVpcCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { al2023 } from "./ec2-net-helpers.ts";
import { startTestCloud, type TestCloud } from "./helpers.ts";

export let lc: TestCloud;
export let ec2: EC2Client;
/** The region's Amazon Linux 2023 image. */
export let imageId: string;

export function useEc2Cloud(opts: { resetBeforeEach?: boolean; quotas?: Record<string, number> } = {}): void {
  beforeAll(async () => {
    lc = await startTestCloud({ speed: 200 });
    ec2 = lc.ec2;
    if (opts.quotas) await lc.admin("POST", "quotas", { quotas: opts.quotas });
    imageId = await al2023(ec2);
  });
  afterAll(async () => lc?.close());
  if (opts.resetBeforeEach) beforeEach(async () => lc.reset());
}

/** A VPC with one subnet per zone (`<first two octets>.<i>.0/24`); the SDK's Subnet objects. */
export async function network(cidr = "10.0.0.0/16", zones = ["us-east-1a", "us-east-1b"]) {
  const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }));
  const prefix = cidr.split(".").slice(0, 2).join(".");
  const subnets = [];
  for (const [i, zone] of zones.entries()) {
    const { Subnet } = await ec2.send(
      new CreateSubnetCommand({ VpcId: Vpc!.VpcId, CidrBlock: `${prefix}.${i}.0/24`, AvailabilityZone: zone }),
    );
    subnets.push(Subnet!);
  }
  return { vpcId: Vpc!.VpcId!, subnets };
}
