/**
 * Issue 14, item 8: an account's endpoint URL accepted any address (169.254.169.254, the
 * embedded database's port...), and the text of whatever answered was shown to viewers in step
 * errors. Now the URL must resolve to public addresses only, except the configured local
 * cloud; names are resolved before the check and again at connect time; a local cloud's
 * answer cannot point Switchyard's probes elsewhere; and only admins read error text that
 * quotes such an endpoint.
 */
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAccount, updateAccount } from "../accounts/accounts.ts";
import { listenerBaseUrl } from "../aws/data-plane.ts";
import { db } from "../db/client.ts";
import { createEnvironment } from "../environments/create.ts";
import { ServiceError } from "../errors.ts";
import { currentOperation, getOperation, listOperations } from "../operations/queries.ts";
import { admin, actor, localAccount, spec, viewer } from "../../testing/fixtures.ts";
import { endpointUrlProblem, forbiddenAddress, guardedLookup } from "./endpoint-url.ts";

const deployer = actor("deployer");
const SSRF_URLS = [
  "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
  "http://169.254.170.2/v2/credentials",
  "http://[fd00:ec2::254]/latest/meta-data/",
  "http://[::ffff:169.254.169.254]/",
  "http://[::ffff:a9fe:a9fe]/",
  "http://[64:ff9b::a9fe:a9fe]/",
  "http://100.100.100.200/latest/meta-data/",
  "http://127.0.0.1:54329/",
  "http://127.0.0.1:5432/",
  "http://127.1:22/",
  "http://2130706433:8080/",
  "http://0x7f000001:6379/",
  "http://[::1]:3000/",
  "http://localhost:9200/",
  "http://0.0.0.0:4566/x",
  "http://10.0.0.5/",
  "http://172.20.1.1/",
  "http://192.168.1.1/",
  "http://[fe80::1]/",
  "file:///etc/passwd",
  "gopher://127.0.0.1:6379/_FLUSHALL",
  "http://user:pass@203.0.113.7/",
];

async function refused(url: string, name = `ssrf-${Math.random().toString(36).slice(2, 8)}`) {
  const err = await createAccount({ actor: admin, input: { name, defaultRegion: "us-east-1", mode: "endpoint", endpointUrl: url } }).catch(
    (e: unknown) => e,
  );
  expect(err, url).toBeInstanceOf(ServiceError);
  expect((err as ServiceError).code, url).toBe("VALIDATION_FAILED");
  expect((err as ServiceError).fields?.endpointUrl?.[0], url).toBeTruthy();
  return (err as ServiceError).fields!.endpointUrl![0];
}

describe("endpoint URLs", () => {
  beforeAll(async () => {
    await localAccount();
  });

  it.each(SSRF_URLS)("refuses %s", async (url) => {
    await refused(url);
  });

  it("says why: metadata, loopback, private", async () => {
    expect(await refused("http://169.254.169.254/")).toMatch(/link-local.*metadata/);
    expect(await refused("http://localhost:5432/")).toMatch(
      /localhost resolves to .*loopback.*local cloud's \(http:\/\/127\.0\.0\.1:4566\)/,
    );
    expect(await refused("http://10.1.2.3/")).toMatch(/private/);
    expect(await db.awsAccount.count({ where: { name: { startsWith: "ssrf-" } } })).toBe(0);
  });

  it("refuses them on update too, and for the local account", async () => {
    const acct = await createAccount({
      actor: admin,
      input: { name: "public-ep", defaultRegion: "us-east-1", mode: "endpoint", endpointUrl: "https://203.0.113.7:8443" },
    });
    const err = await updateAccount({
      actor: admin,
      input: {
        id: acct.id,
        data: { name: "public-ep", defaultRegion: "us-east-1", mode: "endpoint", endpointUrl: "http://169.254.169.254/" },
      },
    }).catch((e: unknown) => e);
    expect((err as ServiceError).fields?.endpointUrl).toBeDefined();
    const local = await db.awsAccount.findUniqueOrThrow({ where: { name: "local" } });
    const err2 = await updateAccount({
      actor: admin,
      input: { id: local.id, data: { name: "local", defaultRegion: "us-east-1", mode: "endpoint", endpointUrl: "http://127.0.0.1:54329" } },
    }).catch((e: unknown) => e);
    expect((err2 as ServiceError).fields?.endpointUrl).toBeDefined();
  });

  it("accepts public addresses and the configured local cloud (LOCALCLOUD_PORT, or the local account's URL)", async () => {
    for (const [name, url] of [
      ["lc-port", "http://127.0.0.1:4566"],
      ["lc-name", "http://localhost:4566/"],
      ["lc-v6", "http://[::1]:4566"],
      ["public-v4", "http://198.51.100.20:4566"],
      ["public-v6", "https://[2600:1f18::1]/"],
    ]) {
      await expect(
        createAccount({ actor: admin, input: { name, defaultRegion: "us-east-1", mode: "endpoint", endpointUrl: url } }),
        url,
      ).resolves.toBeTruthy();
    }
    // The local account's own URL (a local cloud on another port), e.g. as tests register it.
    await db.awsAccount.update({ where: { name: "local" }, data: { endpointUrl: "http://127.0.0.1:45999" } });
    await expect(
      createAccount({
        actor: admin,
        input: { name: "lc-same", defaultRegion: "us-east-1", mode: "endpoint", endpointUrl: "http://127.0.0.1:45999" },
      }),
    ).resolves.toBeTruthy();
  });

  it("resolves names first: a name resolving to any private address is refused", async () => {
    const exempt = { port: 4566 };
    const fake = (answers: string[]) => async () => answers;
    expect(await endpointUrlProblem("https://rebind.example/", exempt, fake(["169.254.169.254"]))).toMatch(
      /resolves to 169\.254\.169\.254/,
    );
    expect(await endpointUrlProblem("https://mixed.example/", exempt, fake(["52.94.1.1", "10.0.0.1"]))).toMatch(/resolves to 10\.0\.0\.1/);
    expect(await endpointUrlProblem("https://v6.example/", exempt, fake(["fd00:ec2::254"]))).toMatch(/private/);
    expect(await endpointUrlProblem("https://ok.example/", exempt, fake(["52.94.1.1", "2600:1f18::1"]))).toBeNull();
    expect(await endpointUrlProblem("https://nx.example/", exempt, async () => Promise.reject(new Error("ENOTFOUND")))).toMatch(
      /does not resolve/,
    );
  });

  it("classifies addresses, IPv4 inside IPv6 included", () => {
    for (const ip of [
      "169.254.169.254",
      "127.0.0.1",
      "10.0.0.1",
      "172.16.0.1",
      "192.168.0.1",
      "100.64.0.1",
      "0.0.0.0",
      "::1",
      "::",
      "fe80::1",
      "fd00::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "64:ff9b::7f00:1",
      "2002:7f00:1::",
      "224.0.0.1",
      "255.255.255.255",
    ]) {
      expect(forbiddenAddress(ip), ip).not.toBeNull();
    }
    for (const ip of ["8.8.8.8", "52.94.1.1", "172.32.0.1", "2600:1f18::1", "::ffff:8.8.8.8"]) expect(forbiddenAddress(ip), ip).toBeNull();
  });

  it("checks again at connect time: the agents of endpoint accounts refuse a name that now resolves to loopback", async () => {
    const server = net.createServer((s) => s.end()).listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as net.AddressInfo).port;
    const agent = new http.Agent({ lookup: guardedLookup });
    const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
      http.get({ host: "localhost", port, agent }, () => resolve(new Error("connected") as NodeJS.ErrnoException)).on("error", resolve);
    });
    expect(err.code).toBe("EFORBIDDENADDRESS");
    expect(err.message).toMatch(/does not connect to localhost/);
    server.close();
  });

  it("follows a local cloud's listener only on the endpoint's own host", async () => {
    let answer = "";
    const fakeCloud = http.createServer((_req, res) => res.end(answer)).listen(0, "127.0.0.1");
    await new Promise((r) => fakeCloud.once("listening", r));
    const url = `http://127.0.0.1:${(fakeCloud.address() as net.AddressInfo).port}`;
    const account = { id: "x", defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: url };
    const lb = { name: "shop-alb", dnsName: "shop-alb.local", port: 80 };
    const endpoints = (listenerUrl: string) =>
      JSON.stringify({ loadBalancers: [{ name: "shop-alb", dnsName: "shop-alb.local", listeners: [{ port: 80, url: listenerUrl }] }] });
    try {
      answer = endpoints("http://169.254.169.254/latest/meta-data");
      await expect(listenerBaseUrl(account, lb)).rejects.toThrow(/another host/);
      answer = endpoints("http://10.0.0.8:80/");
      await expect(listenerBaseUrl(account, lb)).rejects.toThrow(/another host/);
      answer = endpoints("http://127.0.0.1:40123/");
      await expect(listenerBaseUrl(account, lb)).resolves.toBe("http://127.0.0.1:40123");
    } finally {
      fakeCloud.close();
    }
  });
});

describe("error text that quotes a foreign endpoint", () => {
  let deploymentId: string;
  const secretText = 'HTTP 200 from 10.0.0.7: {"AccessKeyId":"ASIA..."} (whatever answered)';

  beforeAll(async () => {
    await createAccount({
      actor: admin,
      input: { name: "foreign-ep", defaultRegion: "us-east-1", mode: "endpoint", endpointUrl: "https://198.51.100.30" },
    });
    await createEnvironment({ actor: admin, input: spec("foreign", { account: "foreign-ep" }) });
    await createEnvironment({ actor: admin, input: spec("homely", { account: "local" }) });
    const make = async (envName: string) => {
      const env = await db.environment.findUniqueOrThrow({ where: { activeName: envName } });
      const d = await db.deployment.create({
        data: {
          environmentId: env.id,
          kind: "provision",
          status: "failed",
          reason: `Failed: ${secretText}`,
          specVersion: 1,
          startedBy: "admin@example.com",
          steps: { create: [{ key: "network", label: "Network", position: 0, status: "failed", error: secretText }] },
        },
      });
      await db.environment.update({ where: { id: env.id }, data: { lockDeploymentId: d.id } });
      return d.id;
    };
    deploymentId = await make("foreign");
    await make("homely");
  });

  afterAll(async () => {
    await db.environment.updateMany({ data: { lockDeploymentId: null } });
  });

  it("is shown to admins", async () => {
    const op = await getOperation({ actor: admin, input: { name: "foreign", id: deploymentId } });
    expect(op.steps[0].error).toBe(secretText);
    expect(op.reason).toContain(secretText);
  });

  it("is replaced for viewers and deployers by a generic message with a reference, in every read", async () => {
    for (const who of [viewer, deployer]) {
      const op = await getOperation({ actor: who, input: { name: "foreign", id: deploymentId } });
      const listed = (await listOperations({ actor: who, input: { name: "foreign" } }))[0];
      const current = (await currentOperation({ actor: who, input: { name: "foreign" } }))!;
      for (const o of [op, listed, current]) {
        expect(JSON.stringify(o)).not.toContain("10.0.0.7");
        expect(o.reason).toMatch(new RegExp(`shown to admins only \\(reference ${deploymentId}\\)`));
      }
      expect(op.steps[0].error).toMatch(new RegExp(`reference ${deploymentId}/network`));
    }
  });

  it("from the configured local cloud stays readable by everyone", async () => {
    const op = (await listOperations({ actor: viewer, input: { name: "homely" } }))[0];
    expect(op.reason).toContain(secretText);
  });
});
