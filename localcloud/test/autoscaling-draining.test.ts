/**
 * Scale-in waits for connection draining, as on AWS: the instance Auto Scaling picks is
 * deregistered from its target group at once (draining, no new requests), stays `running` for
 * the group's deregistration delay, and only then is terminated; the activity says
 * WaitingForELBConnectionDraining meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeScalingActivitiesCommand, SetDesiredCapacityCommand } from "@aws-sdk/client-auto-scaling";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { eventually, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, targetStates, waitForHealthy, type WebStack } from "./stack-helpers.ts";
import { simNow } from "./metrics-helpers.ts";

const DELAY_SECONDS = 120;
let lc: TestCloud;
let stack: WebStack;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 50 });
  stack = await buildWebStack(lc, {
    name: "drain",
    fleets: [{ name: "app", version: "v1", capacity: 2, minSize: 1, deregistrationDelay: DELAY_SECONDS }],
  });
  await waitForHealthy(lc, stack.fleets.app.targetGroupArn, 2);
}, 30_000);

afterAll(() => lc?.close());

async function instanceState(id: string): Promise<string> {
  const { Reservations } = await lc.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
  return Reservations![0].Instances![0].State!.Name!;
}

describe("scale-in with a deregistration delay", () => {
  it("keeps the instance running while its target drains, then terminates it", async () => {
    const fleet = stack.fleets.app;
    const before = await targetStates(lc, fleet.targetGroupArn);
    const scaledAt = await simNow(lc);
    await lc.autoscaling.send(new SetDesiredCapacityCommand({ AutoScalingGroupName: fleet.autoScalingGroupName, DesiredCapacity: 1 }));

    const draining: string = await eventually(async () => {
      const states = await targetStates(lc, fleet.targetGroupArn);
      return Object.keys(before).find((id) => states[id]?.state === "draining") ?? "";
    });
    expect(await instanceState(draining)).toBe("running");
    const { Activities } = await lc.autoscaling.send(
      new DescribeScalingActivitiesCommand({ AutoScalingGroupName: fleet.autoScalingGroupName }),
    );
    expect(Activities![0]).toMatchObject({
      Description: `Terminating EC2 instance: ${draining}`,
      StatusCode: "WaitingForELBConnectionDraining",
    });

    // Half-way through the delay: still draining, still running.
    await eventually(async () => (await simNow(lc)) - scaledAt >= (DELAY_SECONDS / 2) * 1000);
    expect((await targetStates(lc, fleet.targetGroupArn))[draining]?.state).toBe("draining");
    expect(await instanceState(draining)).toBe("running");

    await eventually(async () => (await instanceState(draining)) !== "running", { timeoutMs: 20_000, intervalMs: 20 });
    const stoppedAfter = (await simNow(lc)) - scaledAt;
    expect(stoppedAfter).toBeGreaterThanOrEqual(DELAY_SECONDS * 1000);
    // A poll at speed 50 is about a simulated second; the ticks add a few more.
    expect(stoppedAfter).toBeLessThan((DELAY_SECONDS + 15) * 1000);
    expect((await targetStates(lc, fleet.targetGroupArn))[draining]).toBeUndefined();
    const other = Object.keys(before).find((id) => id !== draining)!;
    expect((await targetStates(lc, fleet.targetGroupArn))[other]?.state).toBe("healthy");
  }, 30_000);
});
