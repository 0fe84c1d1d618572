/**
 * Data plane, target group stickiness on a weighted forward (TargetGroupStickinessConfig): a
 * client that brings the ALB's AWSALBTG cookie stays on its target group across weight
 * changes, even at weight 0, as long as the group is in the forward and the cookie is fresh;
 * without stickiness the cookie is ignored and the weights decide every request.
 */
import { ModifyListenerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, waitForHealthy, type WebStack } from "./stack-helpers.ts";

let lc: TestCloud;
let stack: WebStack;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 100 });
  stack = await buildWebStack(lc, {
    fleets: [
      { name: "blue", version: "v1", capacity: 1 },
      { name: "green", version: "v2", capacity: 1 },
    ],
    weights: { blue: 100, green: 0 },
  });
  await waitForHealthy(lc, stack.fleets.blue.targetGroupArn, 1);
  await waitForHealthy(lc, stack.fleets.green.targetGroupArn, 1);
});

afterAll(async () => {
  await lc?.close();
});

const forward = (weights: { blue: number; green: number }, sticky: boolean) =>
  lc.elbv2.send(
    new ModifyListenerCommand({
      ListenerArn: stack.listenerArn,
      DefaultActions: [
        {
          Type: "forward",
          ForwardConfig: {
            TargetGroups: [
              { TargetGroupArn: stack.fleets.blue.targetGroupArn, Weight: weights.blue },
              { TargetGroupArn: stack.fleets.green.targetGroupArn, Weight: weights.green },
            ],
            TargetGroupStickinessConfig: sticky ? { Enabled: true, DurationSeconds: 300 } : { Enabled: false },
          },
        },
      ],
    }),
  );

async function version(cookie?: string): Promise<{ version: string; cookies: string[] }> {
  const res = await fetch(`${stack.url}/`, { headers: cookie ? { cookie } : {} });
  const body = (await res.json()) as { version: string };
  return { version: body.version, cookies: res.headers.getSetCookie() };
}

describe("target group stickiness", () => {
  it("keeps a client on the target group its cookie names, whatever the weights, only while stickiness is on", async () => {
    await forward({ blue: 0, green: 100 }, true);
    const first = await version();
    expect(first.version).toBe("v2");
    expect(first.cookies.map((c) => c.split("=")[0])).toEqual(["AWSALBTG", "AWSALBTGCORS"]);
    expect(first.cookies[1]).toMatch(/SameSite=None; Secure/);
    const cookie = first.cookies[0].split(";")[0];

    // The weights move all traffic to blue: the sticky client stays on green, a new one goes to blue.
    await forward({ blue: 100, green: 0 }, true);
    for (let i = 0; i < 10; i++) expect((await version(cookie)).version).toBe("v2");
    expect((await version()).version).toBe("v1");

    // Stickiness off (a rollback sends everyone back): the cookie no longer counts, and none is set.
    await forward({ blue: 100, green: 0 }, false);
    const after = await version(cookie);
    expect(after).toEqual({ version: "v1", cookies: [] });

    // A forged or expired cookie counts for nothing.
    await forward({ blue: 100, green: 0 }, true);
    const expired = Buffer.from(`${stack.fleets.green.targetGroupArn}|${Date.now() - 1000}`).toString("base64url");
    expect((await version(`AWSALBTG=${expired}`)).version).toBe("v1");
    expect((await version("AWSALBTG=garbage")).version).toBe("v1");
  });
});
