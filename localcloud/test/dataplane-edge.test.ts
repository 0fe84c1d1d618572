/**
 * Data plane, edge and restart: a CloudFront distribution's local port forwards to its ALB
 * origin, caches cacheable GETs (X-Cache Hit/Miss), honours the origin's Cache-Control, is
 * purged by CreateInvalidation; every request leaves one traffic record. After a restart the
 * instances, listener ports and distribution ports serve again, on the same ports.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CreateDistributionCommand, CreateInvalidationCommand } from "@aws-sdk/client-cloudfront";
import { CreateRuleCommand, DeleteRuleCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { eventually, startTestCloud, type TestCloud } from "./helpers.ts";
import { buildWebStack, waitForHealthy, type WebStack } from "./stack-helpers.ts";
import { onTraffic, type TrafficRecord } from "../src/dataplane/index.ts";

let lc: TestCloud;
let stack: WebStack;
let distributionId: string;
let edgeUrl: string;
const traffic: TrafficRecord[] = [];
const unsubscribe = onTraffic((r) => traffic.push(r));

async function get(url: string) {
  const res = await fetch(url);
  return { status: res.status, xCache: res.headers.get("x-cache"), age: res.headers.get("age"), body: await res.json() };
}

beforeAll(async () => {
  lc = await startTestCloud({ speed: 100 });
  stack = await buildWebStack(lc, { name: "edge", fleets: [{ name: "app", version: "v3", capacity: 2 }] });
  await waitForHealthy(lc, stack.fleets.app.targetGroupArn, 2);
  const { Distribution } = await lc.cloudfront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: "edge-1",
        Comment: "dataplane test",
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
  edgeUrl = await eventually(
    async () => (await lc.admin("GET", "endpoints")).body.distributions.find((d: any) => d.id === distributionId)?.url,
  );
});

/** The restarted cloud is given its data dir explicitly, so its close() keeps it: removed here. */
let restartedDataDir: string | undefined;

afterAll(async () => {
  unsubscribe();
  await lc?.close();
  if (restartedDataDir) rmSync(restartedDataDir, { recursive: true, force: true });
});

describe("CloudFront distribution ports", () => {
  it("serves from the ALB origin on a miss, then from the edge cache, and records both", async () => {
    expect(edgeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const before = traffic.length;
    const miss = await get(`${edgeUrl}/home`);
    expect(miss).toMatchObject({ status: 200, xCache: "Miss from cloudfront", body: { version: "v3", path: "/home" } });
    const hit = await get(`${edgeUrl}/home`);
    expect(hit.xCache).toBe("Hit from cloudfront");
    expect(hit.body).toEqual(miss.body); // the same stored response, not a second trip to an instance
    expect(Number(hit.age)).toBeGreaterThanOrEqual(0);
    const records = traffic.slice(before);
    expect(
      records.filter((r) => r.kind === "cloudfront" && r.distributionId === distributionId).map((r) => [r.status, r.cacheHit ?? false]),
    ).toEqual([
      [200, false],
      [200, true],
    ]);
    // Only the miss reached the ALB.
    expect(records.filter((r) => r.kind === "alb" && r.loadBalancerArn === stack.loadBalancerArn)).toHaveLength(1);
  });

  it("keeps what the origin marks no-store only for the policy's MinTTL, and CreateInvalidation purges cached paths", async () => {
    // CachingOptimized has MinTTL 1 s, which AWS applies even over no-store; 100 ms wall is 10 simulated s here.
    expect((await get(`${edgeUrl}/cart?cache_control=no-store`)).xCache).toBe("Miss from cloudfront");
    await new Promise((r) => setTimeout(r, 100));
    expect((await get(`${edgeUrl}/cart?cache_control=no-store`)).xCache).toBe("Miss from cloudfront");
    expect((await get(`${edgeUrl}/home`)).xCache).toBe("Hit from cloudfront"); // DefaultTTL one day

    await get(`${edgeUrl}/static/app.js`);
    await get(`${edgeUrl}/static/app.css`);
    expect((await get(`${edgeUrl}/static/app.js`)).xCache).toBe("Hit from cloudfront");
    await lc.cloudfront.send(
      new CreateInvalidationCommand({
        DistributionId: distributionId,
        InvalidationBatch: { CallerReference: "inv-1", Paths: { Quantity: 1, Items: ["/static/*"] } },
      }),
    );
    expect((await get(`${edgeUrl}/static/app.js`)).xCache).toBe("Miss from cloudfront");
    expect((await get(`${edgeUrl}/static/app.css`)).xCache).toBe("Miss from cloudfront");
    expect((await get(`${edgeUrl}/home`)).xCache).toBe("Hit from cloudfront"); // outside the invalidated paths
  });

  it("answers 502 itself when its origin is not a load balancer it can reach", async () => {
    const { Distribution } = await lc.cloudfront.send(
      new CreateDistributionCommand({
        DistributionConfig: {
          CallerReference: "edge-nowhere",
          Comment: "no origin",
          Enabled: true,
          Origins: {
            Quantity: 1,
            Items: [
              {
                Id: "x",
                DomainName: "nowhere.example.com",
                CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
              },
            ],
          },
          DefaultCacheBehavior: {
            TargetOriginId: "x",
            ViewerProtocolPolicy: "allow-all",
            CachePolicyId: "658327ea-f89d-4fab-a63d-7e88639e58f6",
          },
        },
      }),
    );
    const url = await eventually(
      async () => (await lc.admin("GET", "endpoints")).body.distributions.find((d: any) => d.id === Distribution!.Id)?.url,
    );
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(502);
    await res.text();
    expect(traffic.some((r) => r.distributionId === Distribution!.Id && r.status === 502 && r.source === "elb")).toBe(true);
  });
});

describe("origin custom headers", () => {
  it("are added to every request CloudFront sends its origin, so an ALB rule can tell CloudFront's requests from others", async () => {
    const { Rules } = await lc.elbv2.send(
      new CreateRuleCommand({
        ListenerArn: stack.listenerArn,
        Priority: 7,
        Conditions: [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: "X-Origin-Secret", Values: ["s3cret"] } }],
        Actions: [
          {
            Type: "fixed-response",
            FixedResponseConfig: { StatusCode: "200", ContentType: "text/plain", MessageBody: "came through CloudFront" },
          },
        ],
      }),
    );
    try {
      const { Distribution } = await lc.cloudfront.send(
        new CreateDistributionCommand({
          DistributionConfig: {
            CallerReference: "edge-secret",
            Comment: "origin header",
            Enabled: true,
            Origins: {
              Quantity: 1,
              Items: [
                {
                  Id: "alb",
                  DomainName: stack.dnsName,
                  CustomHeaders: { Quantity: 1, Items: [{ HeaderName: "X-Origin-Secret", HeaderValue: "s3cret" }] },
                  CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
                },
              ],
            },
            DefaultCacheBehavior: {
              TargetOriginId: "alb",
              ViewerProtocolPolicy: "allow-all",
              CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
            },
          },
        }),
      );
      const url = await eventually(
        async () => (await lc.admin("GET", "endpoints")).body.distributions.find((d: any) => d.id === Distribution!.Id)?.url,
      );
      expect(await (await fetch(`${url}/via-edge`)).text()).toBe("came through CloudFront");
      // The other distribution sends no such header: its requests reach the app as before.
      expect(((await get(`${edgeUrl}/not-secret`)).body as { version: string }).version).toBe("v3");
    } finally {
      await lc.elbv2.send(new DeleteRuleCommand({ RuleArn: Rules![0].RuleArn! }));
    }
  });
});

describe("restart", () => {
  it("brings instance apps, listener ports and distribution ports back from the persisted state, on the same ports", async () => {
    const dataDir = lc.dataDir;
    const { body: before } = await lc.admin("GET", "endpoints");
    await lc.close({ keepData: true });
    // The ports are closed with the cloud.
    await expect(fetch(`${stack.url}/`)).rejects.toThrow();

    lc = await startTestCloud({ speed: 100, dataDir });
    const { body: after } = (await eventually(async () => {
      const r = await lc.admin("GET", "endpoints");
      const lb = r.body.loadBalancers.find((l: any) => l.arn === stack.loadBalancerArn);
      const d = r.body.distributions.find((x: any) => x.id === distributionId);
      return lb?.listeners.length && d?.url ? r : undefined;
    }))!;
    const lbBefore = before.loadBalancers.find((l: any) => l.arn === stack.loadBalancerArn);
    const lbAfter = after.loadBalancers.find((l: any) => l.arn === stack.loadBalancerArn);
    expect(lbAfter.listeners).toEqual(lbBefore.listeners);
    expect(after.distributions.find((x: any) => x.id === distributionId).url).toBe(edgeUrl);
    const res = await eventually(async () => {
      const r = await fetch(`${stack.url}/again`);
      return r.status === 200 ? r.json() : undefined;
    });
    expect(res).toMatchObject({ version: "v3", path: "/again" });
    expect((await get(`${edgeUrl}/fresh`)).status).toBe(200);
    restartedDataDir = dataDir;
  });
});
