/**
 * Core conformance, JSON and REST protocols: the awsJson1_0 codec and query form (CloudWatch)
 * and the restXml codec (CloudFront), driven through the real SDK v3 clients against test-only
 * fake service modules, with error rendering and gzip. Query codecs are in core-codecs-query.test.ts.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import {
  CloudWatchClient,
  PutMetricDataCommand,
  GetMetricDataCommand,
  DeleteAlarmsCommand,
  ResourceNotFound,
} from "@aws-sdk/client-cloudwatch";
import {
  CloudFrontClient,
  CreateDistributionCommand,
  GetDistributionCommand,
  UpdateDistributionCommand,
  ListDistributionsCommand,
  DeleteDistributionCommand,
  NoSuchDistribution,
  type DistributionConfig,
} from "@aws-sdk/client-cloudfront";
import { AwsError } from "../src/core/types.ts";
import { startLocalCloud, type RunningLocalCloud } from "../src/index.ts";
import { clientConfig, expectError, fakeService } from "./helpers.ts";

const created = new Date("2026-11-27T10:00:00.000Z");

const cloudwatch = fakeService("monitoring", {
  PutMetricData: () => undefined,
  GetMetricData: (input) => ({
    MetricDataResults: input.MetricDataQueries.map((q: any) => ({
      Id: q.Id,
      Label: q.Id,
      Timestamps: [created, created.getTime() + 60_000],
      Values: [1.5, 2],
      StatusCode: "Complete",
    })),
  }),
  DeleteAlarms: () => {
    throw new AwsError("ResourceNotFound", "alarm does not exist");
  },
});

const cloudfront = fakeService("cloudfront", {
  CreateDistribution: (input) => ({
    Distribution: distribution(input.DistributionConfig),
    ETag: "E2QWRUHAPOMQZL",
    Location: "https://cloudfront.amazonaws.com/2020-05-31/distribution/E123456789ABCD",
  }),
  GetDistribution: (input) => {
    if (input.Id !== "E123456789ABCD") throw new AwsError("NoSuchDistribution", "The specified distribution does not exist.");
    return { Distribution: distribution(config("ref-1")), ETag: "ETAG1" };
  },
  UpdateDistribution: (input) => ({ Distribution: distribution(input.DistributionConfig), ETag: `after-${input.IfMatch}` }),
  ListDistributions: (input) => ({
    DistributionList: { Marker: input.Marker ?? "", MaxItems: Number(input.MaxItems ?? 100), IsTruncated: false, Quantity: 0, Items: [] },
  }),
  DeleteDistribution: () => undefined,
});

function config(ref: string): DistributionConfig {
  return {
    CallerReference: ref,
    Comment: "blue & green",
    Enabled: true,
    Aliases: { Quantity: 2, Items: ["a.example.com", "b.example.com"] },
    Origins: {
      Quantity: 1,
      Items: [
        {
          Id: "alb",
          DomainName: "web-1.us-east-1.elb.amazonaws.com",
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: "http-only" },
        },
      ],
    },
    DefaultCacheBehavior: { TargetOriginId: "alb", ViewerProtocolPolicy: "redirect-to-https", MinTTL: 0 },
  };
}

function distribution(cfg: any) {
  return {
    Id: "E123456789ABCD",
    ARN: "arn:aws:cloudfront::000000000000:distribution/E123456789ABCD",
    Status: "InProgress",
    LastModifiedTime: created,
    InProgressInvalidationBatches: 0,
    DomainName: "d111111abcdef8.cloudfront.net",
    DistributionConfig: cfg,
  };
}

let lc: RunningLocalCloud;
let dataDir: string;
const cfg = () => clientConfig(lc.url);

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "localcloud-core-"));
  lc = await startLocalCloud({
    port: 0,
    dataDir,
    speed: 100,
    services: { monitoring: cloudwatch.module, cloudfront: cloudfront.module },
  });
});

afterAll(async () => {
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(url: string, form: string) {
  const res = await fetch(url, { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

describe("CloudWatch: awsJson1_0 and the query form", () => {
  it("parses JSON input with epoch-second timestamps and returns numbers for timestamps", async () => {
    const client = new CloudWatchClient(cfg());
    await client.send(
      new PutMetricDataCommand({
        Namespace: "App",
        MetricData: [
          { MetricName: "Latency", Value: 12.5, Unit: "Milliseconds", Timestamp: created, Dimensions: [{ Name: "Env", Value: "prod" }] },
        ],
      }),
    );
    expect(cloudwatch.seen.PutMetricData).toEqual({
      Namespace: "App",
      MetricData: [
        { MetricName: "Latency", Value: 12.5, Unit: "Milliseconds", Timestamp: created, Dimensions: [{ Name: "Env", Value: "prod" }] },
      ],
    });
    const out = await client.send(
      new GetMetricDataCommand({
        StartTime: new Date(created.getTime() - 3_600_000),
        EndTime: created,
        MetricDataQueries: [{ Id: "m1", MetricStat: { Metric: { Namespace: "App", MetricName: "Latency" }, Period: 60, Stat: "Average" } }],
      }),
    );
    expect(out.MetricDataResults?.[0].Timestamps).toEqual([created, new Date(created.getTime() + 60_000)]);
    expect(out.MetricDataResults?.[0].Values).toEqual([1.5, 2]);
    expect(cloudwatch.seen.GetMetricData.StartTime).toEqual(new Date(created.getTime() - 3_600_000));
  });

  it("accepts gzip bodies (the SDK compresses PutMetricData of 10 KiB or more)", async () => {
    const data = Array.from({ length: 400 }, (_, i) => ({
      MetricName: `Metric${i}`,
      Value: i,
      Dimensions: [{ Name: "Instance", Value: `i-${String(i).padStart(17, "0")}` }],
    }));
    await new CloudWatchClient(cfg()).send(new PutMetricDataCommand({ Namespace: "Big", MetricData: data.slice(0, 400) }));
    expect(cloudwatch.seen.PutMetricData.MetricData).toHaveLength(400);
    expect(cloudwatch.seen.PutMetricData.MetricData[399]).toMatchObject({ MetricName: "Metric399", Value: 399 });
    // And a hand-made gzip request on the query form.
    const body = gzipSync(
      Buffer.from("Action=PutMetricData&Version=2010-08-01&Namespace=Gz&MetricData.member.1.MetricName=X&MetricData.member.1.Value=3"),
    );
    const res = await fetch(lc.url, {
      method: "POST",
      body,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" },
    });
    expect(res.status).toBe(200);
    expect(cloudwatch.seen.PutMetricData).toEqual({ Namespace: "Gz", MetricData: [{ MetricName: "X", Value: 3 }] });
  });

  it("renders errors with x-amzn-query-error so the SDK raises the typed exception", async () => {
    const e = await expectError(new CloudWatchClient(cfg()).send(new DeleteAlarmsCommand({ AlarmNames: ["nope"] })));
    expect(e).toBeInstanceOf(ResourceNotFound);
    expect(e.$metadata.httpStatusCode).toBe(404);
    const raw = await fetch(lc.url, {
      method: "POST",
      body: '{"AlarmNames":["nope"]}',
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.DeleteAlarms" },
    });
    expect(raw.headers.get("x-amzn-query-error")).toBe("ResourceNotFound;Sender");
    expect(JSON.parse(await raw.text())).toEqual({ __type: "com.amazonaws.cloudwatch#ResourceNotFound", message: "alarm does not exist" });
    const missing = await fetch(lc.url, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.DeleteAlarms" },
    });
    expect(missing.headers.get("x-amzn-query-error")).toBe("MissingParameter;Sender");
  });

  it("answers the query form (awscli) in XML with the result wrapper", async () => {
    const res = await post(
      lc.url,
      "Action=GetMetricData&Version=2010-08-01&StartTime=2026-11-27T09:00:00Z&EndTime=2026-11-27T10:00:00Z&MetricDataQueries.member.1.Id=q1&MetricDataQueries.member.1.Expression=SEARCH",
    );
    expect(res.status).toBe(200);
    expect(res.body).toContain('<GetMetricDataResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><GetMetricDataResult>');
    expect(res.body).toContain(
      "<Timestamps><member>2026-11-27T10:00:00.000Z</member><member>2026-11-27T10:01:00.000Z</member></Timestamps>",
    );
    expect(cloudwatch.seen.GetMetricData.StartTime).toEqual(new Date("2026-11-27T09:00:00Z"));
  });

  it("answers an unknown target with UnknownOperationException", async () => {
    const raw = await fetch(lc.url, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.Frobnicate" },
    });
    expect(raw.status).toBe(400);
    expect(((await raw.json()) as { __type: string }).__type).toContain("UnknownOperationException");
  });
});

describe("restXml codec (CloudFront)", () => {
  it("round-trips a DistributionConfig payload and returns ETag and Location headers", async () => {
    const out = await new CloudFrontClient(cfg()).send(new CreateDistributionCommand({ DistributionConfig: config("ref-9") }));
    expect(cloudfront.seen.CreateDistribution.DistributionConfig).toEqual(config("ref-9"));
    expect(out.ETag).toBe("E2QWRUHAPOMQZL");
    expect(out.Location).toBe("https://cloudfront.amazonaws.com/2020-05-31/distribution/E123456789ABCD");
    expect(out.Distribution?.Id).toBe("E123456789ABCD");
    expect(out.Distribution?.LastModifiedTime).toEqual(created);
    expect(out.Distribution?.DistributionConfig?.Aliases?.Items).toEqual(["a.example.com", "b.example.com"]);
    expect(out.Distribution?.DistributionConfig?.Comment).toBe("blue & green");
    expect(out.$metadata.httpStatusCode).toBe(201);
  });

  it("reads URI labels, If-Match headers and query strings", async () => {
    const client = new CloudFrontClient(cfg());
    const got = await client.send(new GetDistributionCommand({ Id: "E123456789ABCD" }));
    expect(got.ETag).toBe("ETAG1");
    expect(got.Distribution?.DistributionConfig?.Origins?.Items?.[0].CustomOriginConfig?.HTTPPort).toBe(80);
    const updated = await client.send(
      new UpdateDistributionCommand({ Id: "E123456789ABCD", IfMatch: "ETAG1", DistributionConfig: { ...config("ref-1"), Enabled: false } }),
    );
    expect(cloudfront.seen.UpdateDistribution).toMatchObject({ Id: "E123456789ABCD", IfMatch: "ETAG1" });
    expect(cloudfront.seen.UpdateDistribution.DistributionConfig.Enabled).toBe(false);
    expect(updated.ETag).toBe("after-ETAG1");
    const list = await client.send(new ListDistributionsCommand({ MaxItems: 7, Marker: "E1" }));
    expect(cloudfront.seen.ListDistributions).toEqual({ MaxItems: "7", Marker: "E1" });
    expect(list.DistributionList).toMatchObject({ Marker: "E1", MaxItems: 7, IsTruncated: false, Quantity: 0 });
    const deleted = await client.send(new DeleteDistributionCommand({ Id: "E123456789ABCD", IfMatch: "ETAG2" }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    expect(cloudfront.seen.DeleteDistribution).toEqual({ Id: "E123456789ABCD", IfMatch: "ETAG2" });
  });

  it("renders typed errors with the model's status (NoSuchDistribution 404)", async () => {
    const e = await expectError(new CloudFrontClient(cfg()).send(new GetDistributionCommand({ Id: "EMISSING" })));
    expect(e).toBeInstanceOf(NoSuchDistribution);
    expect(e.$metadata.httpStatusCode).toBe(404);
    expect(e.message).toBe("The specified distribution does not exist.");
  });
});
