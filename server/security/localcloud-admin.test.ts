/**
 * Issue 14, item 11: the local cloud's admin API accepted cross-origin simple POSTs and any
 * Host header, so any web page a developer opened could reset it or inject faults (and, by
 * DNS rebinding, read it). Now requests a browser sends for another origin, and admin calls
 * naming a foreign Host, are refused; the AWS SDK and the AWS CLI (no Origin, no
 * Sec-Fetch-Site, Host = the endpoint) work as before.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type RunningLocalCloud } from "../../localcloud/src/index.ts";

let cloud: RunningLocalCloud;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-lc-admin-"));
  cloud = await startLocalCloud({ port: 0, dataDir, speed: 10, defaultLoadRps: 0 });
  port = Number(new URL(cloud.url).port);
});

afterAll(async () => {
  await cloud?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A request with exactly these headers (fetch cannot set Host). */
function send(method: string, p: string, headers: Record<string, string>, body = ""): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: p,
        headers: { host: `127.0.0.1:${port}`, "content-length": String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        let data = "";
        res.on("data", (d) => (data += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const faults = async () => JSON.parse((await send("GET", "/_localcloud/faults", {})).body).faults as unknown[];
const form = { "content-type": "application/x-www-form-urlencoded" };

describe("the local cloud refuses web pages", () => {
  it("refuses cross-origin and cross-site admin calls (a page resetting the cloud or injecting faults)", async () => {
    const added = await send(
      "POST",
      "/_localcloud/faults",
      { "content-type": "application/json" },
      JSON.stringify({ match: "ec2:DescribeVpcs", latencyMs: 1 }),
    );
    expect(added.status).toBe(201);
    const attempts: Array<Record<string, string>> = [
      { origin: "http://evil.example", "content-type": "text/plain" },
      { origin: "null", "content-type": "text/plain" },
      { origin: `http://localhost:${port + 1}`, "sec-fetch-site": "same-site" },
      { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors" },
      { "sec-fetch-site": "same-site" },
    ];
    for (const headers of attempts) {
      for (const [method, route, body] of [
        ["POST", "/_localcloud/reset", ""],
        ["DELETE", "/_localcloud/faults", ""],
        ["POST", "/_localcloud/faults", JSON.stringify({ match: "*", error: "InternalError", rate: 1 })],
        ["POST", "/_localcloud/clock", JSON.stringify({ speed: 1000 })],
        ["GET", "/_localcloud/stats", ""],
      ]) {
        const r = await send(method, route, headers, body);
        expect(r.status, `${method} ${route} with ${JSON.stringify(headers)}: ${r.body}`).toBe(403);
      }
    }
    expect(await faults()).toHaveLength(1);
    expect(JSON.parse((await send("GET", "/_localcloud/clock", {})).body).speed).toBe(10);
  });

  it("refuses admin calls with a foreign Host (DNS rebinding), from browsers and tools alike", async () => {
    for (const host of ["evil.example", `evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `localhost:${port + 1}`]) {
      expect((await send("GET", "/_localcloud/stats", { host })).status, host).toBe(403);
      expect(
        (await send("POST", "/_localcloud/reset", { host, "sec-fetch-site": "same-origin", origin: `http://${host}` })).status,
        host,
      ).toBe(403);
    }
    expect(await faults()).toHaveLength(1);
  });

  it("refuses a cross-site form POST to the AWS API (no signature is checked there)", async () => {
    const before = JSON.parse((await send("GET", "/_localcloud/stats", {})).body).calls["ec2:CreateVpc"] ?? 0;
    const r = await send(
      "POST",
      "/",
      { ...form, origin: "http://evil.example" },
      "Action=CreateVpc&Version=2016-11-15&CidrBlock=10.9.0.0%2F16",
    );
    expect(r.status).toBe(403);
    const r2 = await send("GET", "/?Action=CreateVpc&Version=2016-11-15&CidrBlock=10.8.0.0%2F16", { "sec-fetch-site": "cross-site" });
    expect(r2.status).toBe(403);
    expect(JSON.parse((await send("GET", "/_localcloud/stats", {})).body).calls["ec2:CreateVpc"] ?? 0).toBe(before);
  });

  it("serves tools and same-origin pages as before", async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await send("GET", "/_localcloud/health", { host })).status, host).toBe(200);
    }
    expect((await send("GET", "/_localcloud/stats", { origin: `http://127.0.0.1:${port}`, "sec-fetch-site": "same-origin" })).status).toBe(
      200,
    );
    expect((await send("GET", "/_localcloud/health", { "sec-fetch-site": "none" })).status).toBe(200);
    // Node's fetch (sec-fetch-mode: cors, no Origin) as the app, the tests and the e2e helpers use it.
    expect((await fetch(`${cloud.url}/_localcloud/health`)).status).toBe(200);
    expect((await fetch(`http://localhost:${port}/_localcloud/endpoints`)).status).toBe(200);

    for (const endpoint of [cloud.url, `http://localhost:${port}`]) {
      const ec2 = new EC2Client({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
      try {
        expect(Array.isArray((await ec2.send(new DescribeVpcsCommand({}))).Vpcs)).toBe(true);
      } finally {
        ec2.destroy();
      }
    }
  });

  it.skipIf(!fs.existsSync("/usr/bin/aws"))("serves the AWS CLI", async () => {
    // Asynchronously: the cloud answers from this very process.
    const { stdout } = await promisify(execFile)(
      "/usr/bin/aws",
      ["--endpoint-url", cloud.url, "--region", "us-east-1", "--output", "json", "ec2", "describe-vpcs"],
      {
        env: { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_EC2_METADATA_DISABLED: "true", AWS_PAGER: "" },
        timeout: 60_000,
      },
    );
    expect(JSON.parse(stdout).Vpcs).toBeDefined();
  });
});
