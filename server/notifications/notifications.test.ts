import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admin, deployer, localAccount, viewer } from "../../testing/fixtures.ts";
import { db } from "../db/client.ts";
import { env } from "../env.ts";
import { finishOperation } from "../operations/finish.ts";
import { stepStarted, stepSucceeded } from "../operations/timeline.ts";
import { createChannel, deleteChannel, listChannels, sendTestEvent, updateChannel } from "./channels.ts";
import { startDeliveryLoop, stopDeliveryLoop } from "./deliver.ts";
import { verifySignature } from "./sign.ts";

/** A real receiver: records every request; `plan` says how to answer the next ones ("500", "reset", then "ok"). */
interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: "ok" | "500" | "reset";
}
const received: Received[] = [];
let plan: Array<"500" | "reset"> = [];
let failAll = false;
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const answer = failAll ? "500" : (plan.shift() ?? "ok");
    received.push({ path: req.url ?? "", headers: req.headers, body, answered: answer });
    if (answer === "reset") req.socket.destroy();
    else if (answer === "500") res.writeHead(500).end("receiver down");
    else res.writeHead(200).end("ok");
  });
});
let base = "";

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const backoff = { baseMs: 40, maxMs: 300, maxAttempts: 30 };

describe("notifications", () => {
  let envId = "";
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    base = `http://127.0.0.1:${port}`;
    // The operator's explicit allowance for a receiver on this machine (like LOCALCLOUD_PORT for the local cloud).
    env.SWITCHYARD_NOTIFY_LOCAL_PORTS.push(port);
    const account = await localAccount();
    envId = (
      await db.environment.create({
        data: { name: "shop", activeName: "shop", accountId: account.id, region: "us-east-1", status: "ready" },
      })
    ).id;
  });
  afterAll(async () => {
    await stopDeliveryLoop();
    server.close();
  });

  it("lets only admins configure channels, checks URLs against the SSRF rules, audits without the secret", async () => {
    const body = { kind: "webhook", name: "ci", url: `${base}/x` };
    for (const who of [viewer, deployer])
      await expect(createChannel({ actor: who, input: { environment: "shop", body } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const url of ["http://169.254.169.254/latest", "http://127.0.0.1:1/x", "http://10.0.0.8/hook", "ftp://example.com/x"])
      await expect(createChannel({ actor: admin, input: { environment: "shop", body: { ...body, url } } })).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
        fields: { url: [expect.any(String)] },
      });
    await expect(
      createChannel({ actor: admin, input: { environment: "shop", body: { ...body, events: ["nope"] } } }),
    ).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });
    const made = await createChannel({ actor: admin, input: { environment: "shop", body } });
    expect(made.signingSecret).toMatch(/^whsec_/);
    const row = await db.notificationChannel.findUniqueOrThrow({ where: { id: made.channel.id } });
    expect(JSON.stringify(row)).not.toContain(made.signingSecret);
    await expect(
      updateChannel({ actor: deployer, input: { environment: "shop", id: made.channel.id, body: { enabled: false } } }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await deleteChannel({ actor: admin, input: { environment: "shop", id: made.channel.id } });
    const audit = await db.auditEvent.findMany({ where: { action: { startsWith: "notification_channel." } }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["notification_channel.create", "notification_channel.delete"]);
    expect(JSON.stringify(audit)).not.toContain(made.signingSecret!);
  });

  it("delivers signed events in order, through a receiver outage and a restart of the delivery loop", async () => {
    const { channel, signingSecret } = await createChannel({
      actor: admin,
      input: { environment: "shop", body: { kind: "webhook", name: "ops", url: `${base}/hook` } },
    });
    received.length = 0;
    failAll = true;
    // A rollout that rolls back by itself, through the real timeline and finish hooks.
    const d = await db.deployment.create({
      data: {
        environmentId: envId,
        kind: "rollout",
        strategy: "canary",
        toVersion: "v2",
        fromVersion: "v1",
        specVersion: 1,
        startedBy: "deployer@example.com",
        steps: { create: [{ key: "launch-template", label: "New launch template version", position: 0 }] },
      },
    });
    await stepStarted(d.id, "launch-template");
    await stepStarted(d.id, "launch-template"); // a retried step: nothing is emitted twice
    await stepSucceeded(d.id, "launch-template");
    await finishOperation(d.id, { status: "rolled_back", reason: "Rolled back at 10%: 5xx rate 9.1% above 5%" });

    startDeliveryLoop({ intervalMs: 25, backoff, alarmWatchMs: 0 });
    await until("the first event to be retried", () => received.length >= 3);
    await stopDeliveryLoop(); // the process goes away mid-outage
    const pending = await db.notificationDelivery.findMany({ where: { channelId: channel.id }, orderBy: { seq: "asc" } });
    expect(pending.map((p) => [p.eventType, p.status])).toEqual([
      ["deployment.started", "pending"],
      ["deployment.step", "pending"],
      ["deployment.finished", "pending"],
      ["deployment.auto_rollback", "pending"],
    ]);
    // Later events wait behind the one being retried (order), and nothing reached the receiver.
    expect(pending.slice(1).every((p) => p.attempts === 0)).toBe(true);
    expect(new Set(received.map((r) => JSON.parse(r.body).type))).toEqual(new Set(["deployment.started"]));

    // The receiver comes back after two connection resets; a new loop (a restarted server) sends everything.
    failAll = false;
    plan = ["reset", "reset"];
    startDeliveryLoop({ intervalMs: 25, backoff, alarmWatchMs: 0 });
    await until(
      "every event delivered",
      async () => (await db.notificationDelivery.count({ where: { channelId: channel.id, status: "delivered" } })) === 4,
    );
    await stopDeliveryLoop();

    const accepted = received.filter((r) => r.answered === "ok");
    expect(accepted.map((r) => JSON.parse(r.body).type)).toEqual([
      "deployment.started",
      "deployment.step",
      "deployment.finished",
      "deployment.auto_rollback",
    ]);
    for (const r of received) {
      expect(r.headers["content-type"]).toBe("application/json");
      const ok = verifySignature({
        secret: signingSecret!,
        body: r.body,
        timestamp: String(r.headers["x-switchyard-timestamp"]),
        signature: String(r.headers["x-switchyard-signature"]),
      });
      expect(ok).toBe(true);
    }
    // Tampering and replay are refused by the same check.
    const last = accepted[accepted.length - 1];
    const sig = {
      secret: signingSecret!,
      timestamp: String(last.headers["x-switchyard-timestamp"]),
      signature: String(last.headers["x-switchyard-signature"]),
    };
    expect(verifySignature({ ...sig, body: last.body.replace("v2", "v3") })).toBe(false);
    expect(verifySignature({ ...sig, body: last.body, nowSeconds: Number(sig.timestamp) + 600 })).toBe(false);
    expect(JSON.parse(last.body)).toMatchObject({
      environment: { name: "shop" },
      deployment: { id: d.id, toVersion: "v2", status: "rolled_back" },
    });

    // The delivery log: the first event's attempts with what the receiver answered.
    const [log] = await listChannels({ actor: viewer, input: { environment: "shop" } });
    const first = log.deliveries.find((x) => x.eventType === "deployment.started")!;
    expect(first.status).toBe("delivered");
    expect(first.attempts).toBeGreaterThanOrEqual(5);
    expect(first.attemptLog[0]).toMatchObject({ statusCode: 200, attempt: first.attempts });
    expect(first.attemptLog.slice(1, 3).every((a) => a.statusCode === null && /ECONNRESET|socket hang up/.test(a.error ?? ""))).toBe(true);
    expect(first.attemptLog.slice(3).every((a) => a.statusCode === 500)).toBe(true);
    // Retries back off: each wait at least the base doubled per attempt (40, 80, 160 ms...).
    const times = [...first.attemptLog].reverse().map((a) => Date.parse(a.at));
    for (let i = 1; i < Math.min(times.length, 4); i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(40 * 2 ** (i - 1) - 5);
    await updateChannel({ actor: admin, input: { environment: "shop", id: channel.id, body: { enabled: false } } });
  });

  it("sends Slack's message JSON to a Slack incoming webhook, unsigned, and logs the answer", async () => {
    const { channel, signingSecret } = await createChannel({
      actor: admin,
      input: { environment: "shop", body: { kind: "slack", name: "#deploys", url: `${base}/services/T000/B000/XXXXsecret` } },
    });
    expect(signingSecret).toBeNull();
    expect(channel.url).not.toContain("XXXXsecret");
    received.length = 0;
    await sendTestEvent({ actor: admin, input: { environment: "shop", id: channel.id } });
    startDeliveryLoop({ intervalMs: 25, backoff, alarmWatchMs: 0 });
    await until("the Slack message", () => received.length === 1);
    await stopDeliveryLoop();
    const msg = JSON.parse(received[0].body);
    expect(received[0].path).toBe("/services/T000/B000/XXXXsecret");
    expect(msg.text).toContain("*shop*: Test event sent by admin@example.com");
    expect(msg.blocks[0]).toMatchObject({ type: "section", text: { type: "mrkdwn" } });
    expect(received[0].headers["x-switchyard-signature"]).toBeUndefined();
    await until(
      "the log",
      async () =>
        (await listChannels({ actor: viewer, input: { environment: "shop" } })).find((c) => c.id === channel.id)?.deliveries[0]
          ?.lastStatusCode === 200,
    );
  });
});
