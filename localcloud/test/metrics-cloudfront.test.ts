/**
 * AWS/CloudFront metrics from real traffic through a distribution's local port (sent by the
 * load generator): Requests and the 5xx error rate in us-east-1 with DistributionId and
 * Region=Global, per minute with requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateDistributionCommand } from "@aws-sdk/client-cloudfront";
import { eventually, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, waitForHealthy, type WebStack } from "./stack-helpers.ts";
import { series, simNow } from "./metrics-helpers.ts";
import { FINAL_AFTER_MINUTE_END_MS } from "../src/sim/metric-delay.ts";

let lc: TestCloud;
let stack: WebStack;
let distributionId: string;

beforeAll(async () => {
  lc = await startTestCloud({ speed: 100 });
  stack = await buildWebStack(lc, { name: "cdn", fleets: [{ name: "app", version: "v1", capacity: 2, error_rate: 0.2 }] });
  await waitForHealthy(lc, stack.fleets.app.targetGroupArn, 2);
  const { Distribution } = await lc.cloudfront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: "cdn-metrics",
        Comment: "metrics test",
        Enabled: true,
        Origins: {
          Quantity: 1,
          Items: [
            {
              Id: "alb",
              DomainName: stack.dnsName,
              CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
            },
          ],
        },
        DefaultCacheBehavior: {
          TargetOriginId: "alb",
          ViewerProtocolPolicy: "allow-all",
          CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
        },
      },
    }),
  );
  distributionId = Distribution!.Id!;
  await eventually(async () => (await lc.admin("GET", "endpoints")).body.distributions.find((d: any) => d.id === distributionId)?.url);
});

afterAll(async () => {
  await lc?.admin("DELETE", "load");
  await lc?.close();
});

describe("AWS/CloudFront from traffic", () => {
  it("counts the distribution's requests and error rate as the load generator saw them", async () => {
    const start = (await simNow(lc)) - 60_000;
    // no-store: the edge keeps responses only for the policy's 1 s MinTTL, so most requests reach the (erring) origin.
    const { status, body } = await lc.admin("POST", "load", {
      target: distributionId,
      rps: 60,
      durationSeconds: 200,
      path: "/api?cache_control=no-store",
    });
    expect(status).toBe(201);
    expect(body.load.targetKind).toBe("distribution");
    const done = await eventually(
      async () => {
        const { body: b } = await lc.admin("GET", `load/${body.load.id}`);
        return b.load.status === "finished" && b.load.inFlight === 0 ? b.load : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(done.sent).toBeGreaterThan(60);
    // CloudWatch shows a minute 1-3 minutes after it ends, and completes it within 40 s more: wait that out.
    await lc.advance(60_000 + FINAL_AFTER_MINUTE_END_MS);
    const end = (await simNow(lc)) + 60_000;
    const dims = { DistributionId: distributionId, Region: "Global" };
    const requests = await series(lc, {
      namespace: "AWS/CloudFront",
      metric: "Requests",
      stat: "Sum",
      dims,
      start,
      end,
      region: "us-east-1",
    });
    const total = requests.values.reduce((a, b) => a + b, 0);
    expect(Math.abs(total - done.sent)).toBeLessThanOrEqual(done.sent * 0.01);
    const rate = await series(lc, {
      namespace: "AWS/CloudFront",
      metric: "5xxErrorRate",
      stat: "Average",
      dims,
      start,
      end,
      region: "us-east-1",
    });
    // Rates are per minute: weight them by that minute's requests to get the 5xx count back.
    const byMinute = new Map(requests.timestamps.map((t, i) => [t, requests.values[i]]));
    const errors = rate.timestamps.reduce((sum, t, i) => sum + (rate.values[i] * (byMinute.get(t) ?? 0)) / 100, 0);
    const sent5xx = Object.entries(done.statuses as Record<string, number>)
      .filter(([s]) => s.startsWith("5"))
      .reduce((a, [, n]) => a + n, 0);
    expect(sent5xx).toBeGreaterThan(0);
    expect(Math.round(errors)).toBe(sent5xx);
  });
});
