/**
 * CloudFront conformance through @aws-sdk/client-cloudfront: distributions (ETag / If-Match,
 * InProgress -> Deployed), invalidations, tags, CallerReference idempotency, typed errors.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CreateDistributionCommand,
  CreateDistributionWithTagsCommand,
  CreateInvalidationCommand,
  DeleteDistributionCommand,
  DistributionAlreadyExists,
  DistributionNotDisabled,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetInvalidationCommand,
  InconsistentQuantities,
  InvalidIfMatchVersion,
  InvalidViewerCertificate,
  ListDistributionsCommand,
  ListInvalidationsCommand,
  ListTagsForResourceCommand,
  NoSuchDistribution,
  NoSuchInvalidation,
  NoSuchOrigin,
  NoSuchResource,
  PreconditionFailed,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateDistributionCommand,
  waitUntilDistributionDeployed,
  waitUntilInvalidationCompleted,
  type DistributionConfig,
} from "@aws-sdk/client-cloudfront";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { recordDistributionTraffic } from "../src/services/cloudfront/index.ts";
import { expectError, fastWaiter, startTestCloud, type TestCloud } from "./helpers.ts";

const ALB_DNS = "web-1234567890.us-east-1.elb.amazonaws.com";

function config(callerReference: string, overrides: Partial<DistributionConfig> = {}): DistributionConfig {
  return {
    CallerReference: callerReference,
    Comment: "switchyard test",
    Enabled: true,
    PriceClass: "PriceClass_100",
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: "alb",
          DomainName: ALB_DNS,
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: "alb",
      ViewerProtocolPolicy: "redirect-to-https",
      CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
    },
    ...overrides,
  };
}

let lc: TestCloud;
beforeAll(async () => {
  lc = await startTestCloud({ speed: 200 });
});
afterAll(async () => {
  await lc?.close();
});

describe("CloudFront distributions", () => {
  it("creates a distribution in AWS formats, InProgress, then Deployed (waiter)", async () => {
    const created = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("create-1") }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    const d = created.Distribution!;
    expect(d.Id).toMatch(/^E[A-Z0-9]{13}$/);
    expect(d.DomainName).toMatch(/^d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(d.ARN).toBe(`arn:aws:cloudfront::000000000000:distribution/${d.Id}`);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${d.Id}`);
    expect(created.ETag).toMatch(/^E[A-Z0-9]{13}$/);
    expect(d.Status).toBe("InProgress");
    expect(d.InProgressInvalidationBatches).toBe(0);
    expect(d.LastModifiedTime).toBeInstanceOf(Date);
    const c = d.DistributionConfig!;
    expect(c.Origins?.Items?.[0]).toMatchObject({ Id: "alb", DomainName: ALB_DNS, ConnectionAttempts: 3, ConnectionTimeout: 10 });
    expect(c.Origins?.Items?.[0].CustomOriginConfig).toMatchObject({
      HTTPPort: 80,
      OriginProtocolPolicy: "http-only",
      OriginReadTimeout: 30,
    });
    expect(c.ViewerCertificate).toMatchObject({ CloudFrontDefaultCertificate: true });
    expect(c.Aliases?.Quantity).toBe(0);
    expect(c.PriceClass).toBe("PriceClass_100");
    expect(c.HttpVersion).toBe("http2");

    const result = await waitUntilDistributionDeployed(fastWaiter(lc.cloudfront), { Id: d.Id });
    expect(result.state).toBe("SUCCESS");
    const got = await lc.cloudfront.send(new GetDistributionCommand({ Id: d.Id }));
    expect(got.Distribution?.Status).toBe("Deployed");
    expect(got.ETag).toBe(created.ETag);

    const endpoints = await lc.admin("GET", "endpoints");
    expect(endpoints.body.distributions).toContainEqual(
      expect.objectContaining({
        id: d.Id,
        domainName: d.DomainName,
        status: "Deployed",
        enabled: true,
        origins: [expect.objectContaining({ id: "alb", domainName: ALB_DNS, httpPort: 80 })],
      }),
    );
  });

  it("is global: a client of another region sees the same distribution", async () => {
    const created = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("global-1") }));
    const other = lc.clientsFor("eu-west-1").cloudfront;
    const got = await other.send(new GetDistributionCommand({ Id: created.Distribution!.Id }));
    expect(got.Distribution?.DomainName).toBe(created.Distribution!.DomainName);
    other.destroy();
  });

  it("returns the existing distribution for a repeated CallerReference with the same config, and refuses a different config", async () => {
    const first = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("idem-1") }));
    const again = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("idem-1") }));
    expect(again.Distribution?.Id).toBe(first.Distribution?.Id);
    expect(again.ETag).toBe(first.ETag);
    const err = await expectError(
      lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("idem-1", { Comment: "other" }) })),
    );
    expect(err).toBeInstanceOf(DistributionAlreadyExists);
    expect(err.$metadata.httpStatusCode).toBe(409);
  });

  it("validates origins, quantities and certificates", async () => {
    const noOrigin = await expectError(
      lc.cloudfront.send(
        new CreateDistributionCommand({
          DistributionConfig: config("bad-origin", {
            DefaultCacheBehavior: { TargetOriginId: "nope", ViewerProtocolPolicy: "allow-all", CachePolicyId: "x" },
          }),
        }),
      ),
    );
    expect(noOrigin).toBeInstanceOf(NoSuchOrigin);
    expect(noOrigin.$metadata.httpStatusCode).toBe(404);

    const base = config("bad-quantity");
    const inconsistent = await expectError(
      lc.cloudfront.send(
        new CreateDistributionCommand({ DistributionConfig: { ...base, Origins: { Quantity: 2, Items: base.Origins!.Items } } }),
      ),
    );
    expect(inconsistent).toBeInstanceOf(InconsistentQuantities);

    const alias = await expectError(
      lc.cloudfront.send(
        new CreateDistributionCommand({
          DistributionConfig: config("bad-alias", { Aliases: { Quantity: 1, Items: ["www.example.com"] } }),
        }),
      ),
    );
    expect(alias).toBeInstanceOf(InvalidViewerCertificate);
  });

  it("updates only with the current ETag, returns a new ETag and deploys again", async () => {
    const created = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("update-1") }));
    const id = created.Distribution!.Id!;
    const { DistributionConfig: current, ETag } = await lc.cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    expect(ETag).toBe(created.ETag);

    const missing = await expectError(lc.cloudfront.send(new UpdateDistributionCommand({ Id: id, DistributionConfig: current })));
    expect(missing).toBeInstanceOf(InvalidIfMatchVersion);
    expect(missing.$metadata.httpStatusCode).toBe(400);

    const updated = await lc.cloudfront.send(
      new UpdateDistributionCommand({ Id: id, IfMatch: ETag, DistributionConfig: { ...current!, Comment: "v2" } }),
    );
    expect(updated.ETag).not.toBe(ETag);
    expect(updated.Distribution?.DistributionConfig?.Comment).toBe("v2");
    expect(updated.Distribution?.Status).toBe("InProgress");

    const stale = await expectError(
      lc.cloudfront.send(new UpdateDistributionCommand({ Id: id, IfMatch: ETag, DistributionConfig: { ...current!, Comment: "v3" } })),
    );
    expect(stale).toBeInstanceOf(PreconditionFailed);
    expect(stale.$metadata.httpStatusCode).toBe(412);

    const unknown = await expectError(lc.cloudfront.send(new GetDistributionCommand({ Id: "E0000000000000" })));
    expect(unknown).toBeInstanceOf(NoSuchDistribution);
    expect(unknown.$metadata.httpStatusCode).toBe(404);
  });

  it("deletes only a disabled, deployed distribution", async () => {
    const created = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("delete-1") }));
    const id = created.Distribution!.Id!;
    const enabled = await expectError(lc.cloudfront.send(new DeleteDistributionCommand({ Id: id, IfMatch: created.ETag })));
    expect(enabled).toBeInstanceOf(DistributionNotDisabled);
    expect(enabled.$metadata.httpStatusCode).toBe(409);

    const { DistributionConfig: current, ETag } = await lc.cloudfront.send(new GetDistributionConfigCommand({ Id: id }));
    // Slow the clock so "still deploying" cannot end while we look at it, then jump past the deployment.
    await lc.admin("POST", "clock", { speed: 1 });
    try {
      const disabled = await lc.cloudfront.send(
        new UpdateDistributionCommand({ Id: id, IfMatch: ETag, DistributionConfig: { ...current!, Enabled: false } }),
      );
      const deploying = await expectError(lc.cloudfront.send(new DeleteDistributionCommand({ Id: id, IfMatch: disabled.ETag })));
      expect(deploying).toBeInstanceOf(DistributionNotDisabled);
      await lc.admin("POST", "clock", { advanceMs: 301_000 });
      expect((await lc.cloudfront.send(new GetDistributionCommand({ Id: id }))).Distribution?.Status).toBe("Deployed");

      const stale = await expectError(lc.cloudfront.send(new DeleteDistributionCommand({ Id: id, IfMatch: ETag })));
      expect(stale).toBeInstanceOf(PreconditionFailed);
      const deleted = await lc.cloudfront.send(new DeleteDistributionCommand({ Id: id, IfMatch: disabled.ETag }));
      expect(deleted.$metadata.httpStatusCode).toBe(204);
      expect(await expectError(lc.cloudfront.send(new GetDistributionCommand({ Id: id })))).toBeInstanceOf(NoSuchDistribution);
    } finally {
      await lc.admin("POST", "clock", { speed: 200 });
    }
  });

  it("lists distributions with Marker / MaxItems paging", async () => {
    const first = await lc.cloudfront.send(new ListDistributionsCommand({ MaxItems: 2 }));
    const list = first.DistributionList!;
    expect(list.Quantity).toBe(2);
    expect(list.MaxItems).toBe(2);
    expect(list.IsTruncated).toBe(true);
    expect(list.NextMarker).toBe(list.Items![1].Id);
    expect(list.Items![0]).toMatchObject({
      Status: expect.stringMatching(/InProgress|Deployed/),
      Comment: expect.any(String),
      Enabled: true,
    });
    const ids = new Set(list.Items!.map((d) => d.Id));
    let marker = list.NextMarker;
    while (marker) {
      const page = await lc.cloudfront.send(new ListDistributionsCommand({ MaxItems: 2, Marker: marker }));
      for (const d of page.DistributionList?.Items ?? []) {
        expect(ids.has(d.Id)).toBe(false);
        ids.add(d.Id);
      }
      marker = page.DistributionList?.NextMarker;
    }
    const all = await lc.cloudfront.send(new ListDistributionsCommand({}));
    expect(all.DistributionList?.IsTruncated).toBe(false);
    expect(ids.size).toBe(all.DistributionList?.Quantity);
  });
});

describe("CloudFront invalidations and tags", () => {
  it("creates an invalidation that completes, lists it, and is idempotent on CallerReference", async () => {
    const d = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("inv-1") }));
    const id = d.Distribution!.Id!;
    const batch = { CallerReference: "deploy-42", Paths: { Quantity: 2, Items: ["/index.html", "/assets/*"] } };
    const created = await lc.cloudfront.send(new CreateInvalidationCommand({ DistributionId: id, InvalidationBatch: batch }));
    expect(created.$metadata.httpStatusCode).toBe(201);
    const inv = created.Invalidation!;
    expect(inv.Status).toBe("InProgress");
    expect(inv.InvalidationBatch?.Paths?.Items).toEqual(["/index.html", "/assets/*"]);
    expect(created.Location).toBe(`https://cloudfront.amazonaws.com/2020-05-31/distribution/${id}/invalidation/${inv.Id}`);
    const during = await lc.cloudfront.send(new GetDistributionCommand({ Id: id }));
    expect(during.Distribution?.InProgressInvalidationBatches).toBe(1);

    const again = await lc.cloudfront.send(new CreateInvalidationCommand({ DistributionId: id, InvalidationBatch: batch }));
    expect(again.Invalidation?.Id).toBe(inv.Id);

    const done = await waitUntilInvalidationCompleted(fastWaiter(lc.cloudfront), { DistributionId: id, Id: inv.Id });
    expect(done.state).toBe("SUCCESS");
    const got = await lc.cloudfront.send(new GetInvalidationCommand({ DistributionId: id, Id: inv.Id }));
    expect(got.Invalidation?.Status).toBe("Completed");
    const list = await lc.cloudfront.send(new ListInvalidationsCommand({ DistributionId: id }));
    expect(list.InvalidationList?.Quantity).toBe(1);
    expect(list.InvalidationList?.Items?.[0]).toMatchObject({ Id: inv.Id, Status: "Completed" });

    const unknown = await expectError(lc.cloudfront.send(new GetInvalidationCommand({ DistributionId: id, Id: "INOPE" })));
    expect(unknown).toBeInstanceOf(NoSuchInvalidation);
    const noDist = await expectError(
      lc.cloudfront.send(new CreateInvalidationCommand({ DistributionId: "E0000000000000", InvalidationBatch: batch })),
    );
    expect(noDist).toBeInstanceOf(NoSuchDistribution);
  });

  it("tags on create and by ARN", async () => {
    const created = await lc.cloudfront.send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: { DistributionConfig: config("tags-1"), Tags: { Items: [{ Key: "env", Value: "stg" }] } },
      }),
    );
    const arn = created.Distribution!.ARN!;
    await lc.cloudfront.send(
      new TagResourceCommand({
        Resource: arn,
        Tags: {
          Items: [
            { Key: "team", Value: "web" },
            { Key: "env", Value: "prod" },
          ],
        },
      }),
    );
    let tags = await lc.cloudfront.send(new ListTagsForResourceCommand({ Resource: arn }));
    expect(tags.Tags?.Items).toEqual([
      { Key: "env", Value: "prod" },
      { Key: "team", Value: "web" },
    ]);
    await lc.cloudfront.send(new UntagResourceCommand({ Resource: arn, TagKeys: { Items: ["env"] } }));
    tags = await lc.cloudfront.send(new ListTagsForResourceCommand({ Resource: arn }));
    expect(tags.Tags?.Items).toEqual([{ Key: "team", Value: "web" }]);
    const missing = await expectError(
      lc.cloudfront.send(new ListTagsForResourceCommand({ Resource: "arn:aws:cloudfront::000000000000:distribution/E0000000000000" })),
    );
    expect(missing).toBeInstanceOf(NoSuchResource);
  });

  it("publishes distribution metrics in us-east-1 with Region=Global", async () => {
    const d = await lc.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("metrics-1") }));
    const id = d.Distribution!.Id!;
    const minute = Math.floor(lc.cloud.now() / 60_000) * 60_000 - 60_000;
    recordDistributionTraffic(lc.cloud, id, { requests: 200, bytesDownloaded: 1e6, responses4xx: 10, responses5xx: 2 }, minute);
    const dims = [
      { Name: "DistributionId", Value: id },
      { Name: "Region", Value: "Global" },
    ];
    const res = await lc.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(minute - 60_000),
        EndTime: new Date(minute + 120_000),
        MetricDataQueries: [
          {
            Id: "req",
            MetricStat: { Metric: { Namespace: "AWS/CloudFront", MetricName: "Requests", Dimensions: dims }, Period: 60, Stat: "Sum" },
          },
          {
            Id: "err",
            MetricStat: {
              Metric: { Namespace: "AWS/CloudFront", MetricName: "5xxErrorRate", Dimensions: dims },
              Period: 60,
              Stat: "Average",
            },
          },
        ],
      }),
    );
    expect(res.MetricDataResults?.find((r) => r.Id === "req")?.Values).toEqual([200]);
    expect(res.MetricDataResults?.find((r) => r.Id === "err")?.Values).toEqual([1]);
  });
});

describe("CloudFront persistence", () => {
  it("keeps distributions across a restart and finishes their deployment", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "localcloud-cf-"));
    try {
      let cloud = await startTestCloud({ speed: 20, dataDir });
      const created = await cloud.cloudfront.send(new CreateDistributionCommand({ DistributionConfig: config("restart-1") }));
      await cloud.close();

      cloud = await startTestCloud({ speed: 200, dataDir });
      const got = await cloud.cloudfront.send(new GetDistributionCommand({ Id: created.Distribution!.Id }));
      expect(got.ETag).toBe(created.ETag);
      expect(got.Distribution?.DomainName).toBe(created.Distribution?.DomainName);
      const result = await waitUntilDistributionDeployed(fastWaiter(cloud.cloudfront), { Id: created.Distribution!.Id });
      expect(result.state).toBe("SUCCESS");
      await cloud.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
