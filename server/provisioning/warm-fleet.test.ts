import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud } from "../../localcloud/src/index.ts";
import { awsClients, destroyAwsClients } from "../aws/clients.ts";
import { DescribeRulesCommand, UpdateAutoScalingGroupCommand } from "../aws/sdk.ts";
import { db } from "../db/client.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { spec as specOf } from "../../testing/fixtures.ts";
import * as p from "./index.ts";
import { provision, testEnvironment, until } from "./test-helpers.ts";

/**
 * The warm-fleet bug (issue 17): a slot that still holds the previous version's instances
 * must not count as "filled" with a new version. Against the local cloud, whose Auto Scaling
 * (like AWS's) never replaces running instances when a group's launch template version changes.
 */
let lc: { url: string; close(): Promise<void> };
let dataDir: string;
let accountId: string;
let envId: string = randomUUID();
const spec: EnvironmentSpec = specOf("warm", { capacity: { min: 2, desired: 2, max: 4 }, database: null, cloudfront: false });
const base = () => ({ accountId, envId, spec });
let out: Awaited<ReturnType<typeof provision>>;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "sy-warm-"));
  lc = await startLocalCloud({ port: 0, dataDir, speed: 200 });
  accountId = (
    await db.awsAccount.create({
      data: { name: `lc-${envId.slice(0, 8)}`, defaultRegion: "us-east-1", endpointUrl: lc.url, isLocal: true },
    })
  ).id;
  envId = await testEnvironment(accountId, spec);
  out = await provision(base());
});

afterAll(async () => {
  destroyAwsClients();
  await lc?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const versionsOnBlue = async () => (await p.readStack(base())).fleets.blue!.versions;

describe("filling a slot that holds warm instances of another version", () => {
  it("replaces them, and the wait counts only healthy targets on the new version", async () => {
    const v1 = out.launchTemplate.launchTemplateVersion;
    expect(await versionsOnBlue()).toEqual([{ launchTemplateVersion: v1, appVersion: "v1", instances: 2 }]);

    const v3 = await p.createLaunchTemplateVersion({ ...base(), version: "v3", slot: "blue" });
    expect(v3.launchTemplateVersion).not.toBe(v1);
    // The group is already at this capacity: without the replacement, Auto Scaling would launch nothing.
    const filled = await p.setFleetCapacity({
      ...base(),
      slot: "blue",
      capacity: { min: 2, desired: 2, max: 4 },
      launchTemplateVersion: v3.launchTemplateVersion,
    });
    expect(filled.replaced).toHaveLength(2);
    expect(filled.replaced.every((r) => r.launchTemplateVersion === v1)).toBe(true);

    const first = await p.waitFleetHealthy({ ...base(), slot: "blue", launchTemplateVersion: v3.launchTemplateVersion });
    expect(first.done).toBe(false);
    expect(first.detail.summary).toMatch(new RegExp(`of 2 healthy on launch template version ${v3.launchTemplateVersion}`));

    // A retried step (at least once) finds the old instances already terminating: nothing twice.
    const retried = await p.setFleetCapacity({
      ...base(),
      slot: "blue",
      capacity: { min: 2, desired: 2, max: 4 },
      launchTemplateVersion: v3.launchTemplateVersion,
    });
    expect(retried.replaced.filter((r) => filled.replaced.some((f) => f.instanceId === r.instanceId))).toEqual([]);

    const health = await until(() => p.waitFleetHealthy({ ...base(), slot: "blue", launchTemplateVersion: v3.launchTemplateVersion }), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    expect(health).toMatchObject({ desired: 2, onVersion: 2, onVersionHealthy: 2, otherVersions: [] });
    expect(health.summary).toBe(`2 of 2 healthy on launch template version ${v3.launchTemplateVersion}`);
    expect(await versionsOnBlue()).toEqual([{ launchTemplateVersion: v3.launchTemplateVersion, appVersion: "v3", instances: 2 }]);
    const stack = await p.readStack(base());
    expect(stack.fleets.blue!.servingVersion).toBe("v3");
  });

  it("the drift check reports instances on a version other than the group's, and a live version that is not what serves", async () => {
    const stack = await p.readStack(base());
    expect(p.driftCheck(spec, stack, { liveVersion: "v3" })).toEqual([]);
    expect(p.driftCheck(spec, stack, { liveVersion: "v9" })).toEqual([{ path: "liveVersion (blue)", expected: "v9", actual: "v3" }]);

    // Out of band: someone points the group at another template version. Nothing is replaced.
    const v4 = await p.createLaunchTemplateVersion({ ...base(), version: "v4", slot: "blue" });
    const aws = awsClients(
      { id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url },
      "us-east-1",
    );
    await aws.autoscaling.send(
      new UpdateAutoScalingGroupCommand({
        AutoScalingGroupName: "sy-warm-blue",
        LaunchTemplate: { LaunchTemplateName: "sy-warm", Version: String(v4.launchTemplateVersion) },
      }),
    );
    const drift = p.driftCheck(spec, await p.readStack(base()), { liveVersion: "v3" });
    expect(drift).toContainEqual({
      path: "fleets.blue.launchTemplateVersion (2 instances)",
      expected: v4.launchTemplateVersion,
      actual: `${stack.fleets.blue!.launchTemplateVersion} (v3)`,
    });
  });
});

describe("Switchyard's own probe of the new targets, through the listener", () => {
  it("reaches every new instance while it takes 0% of traffic, checks its version, and leaves no rule behind", async () => {
    const v5 = await p.createLaunchTemplateVersion({ ...base(), version: "v5", slot: "green" });
    await p.setFleetCapacity({
      ...base(),
      slot: "green",
      capacity: { min: 2, desired: 2, max: 4 },
      launchTemplateVersion: v5.launchTemplateVersion,
    });
    await until(() => p.waitFleetHealthy({ ...base(), slot: "green", launchTemplateVersion: v5.launchTemplateVersion }), {
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    const lb = out.loadBalancer;
    const input = {
      ...base(),
      slot: "green" as const,
      launchTemplateVersion: v5.launchTemplateVersion,
      listenerArn: lb.listenerArn,
      targetGroupArn: lb.targetGroupArns.green,
      loadBalancer: { name: "sy-warm-alb", dnsName: lb.dnsName },
      deploymentId: randomUUID(),
    };
    const probe = await p.probeFleet({ ...input, version: "v5" });
    expect(probe).toMatchObject({ ok: true, summary: "2 of 2 new targets answered with version v5" });
    expect(probe.touched.map((t) => `${t.type} ${t.action}`)).toEqual(["elbv2:rule created", "elbv2:rule deleted"]);

    // An app that answers another version than the one rolled out fails the probe.
    const wrong = await p.probeFleet({ ...input, version: "v9", deploymentId: randomUUID() });
    expect(wrong).toMatchObject({ ok: false, summary: expect.stringMatching(/^i-[0-9a-f]+ answered version v5, not v9$/) });

    const aws = awsClients(
      { id: accountId, defaultRegion: "us-east-1", roleArn: null, externalId: null, endpointUrl: lc.url },
      "us-east-1",
    );
    const rules = (await aws.elbv2.send(new DescribeRulesCommand({ ListenerArn: lb.listenerArn }))).Rules ?? [];
    expect(rules.map((r) => r.IsDefault)).toEqual([true]);
  });
});

describe("judging Switchyard's own probe of the new targets", () => {
  const ok = (instanceId: string | null, version: string | null = "v3") => ({ instanceId, status: 200, version, error: null });
  it("passes when every new instance answered with the version rolled out", () => {
    const r = p.judgeProbe([ok("i-1"), ok("i-2")], ["i-1", "i-2"], "v3", false);
    expect(r).toMatchObject({ ok: true, summary: "2 of 2 new targets answered with version v3" });
  });
  it("fails at once when a new instance answers another version", () => {
    const r = p.judgeProbe([ok("i-1"), ok("i-2", "v1")], ["i-1", "i-2"], "v3", false);
    expect(r).toMatchObject({ ok: false, summary: "i-2 answered version v1, not v3" });
  });
  it("ignores answers from instances outside the new fleet (a rule not yet on every ALB node), then fails at the deadline", () => {
    expect(p.judgeProbe([ok("i-old", "v1"), ok("i-1")], ["i-1", "i-2"], "v3", false)).toBeNull();
    const r = p.judgeProbe(
      [ok("i-old", "v1"), ok("i-1"), { instanceId: "i-2", status: 502, version: null, error: null }],
      ["i-1", "i-2"],
      "v3",
      true,
    );
    expect(r).toMatchObject({ ok: false, summary: "1 of 2 new targets answered; i-2 did not (HTTP 502)" });
  });
  it("without instance ids, needs ten good answers in a row", () => {
    const answers = Array.from({ length: 9 }, () => ok(null, null));
    expect(p.judgeProbe(answers, [], "v3", false)).toBeNull();
    expect(p.judgeProbe([...answers, ok(null, null)], [], "v3", false)).toMatchObject({ ok: true });
    expect(
      p.judgeProbe([...answers, { instanceId: null, status: null, version: null, error: "ECONNREFUSED" }], [], "v3", true),
    ).toMatchObject({ ok: false });
  });
});
