import { beforeAll, describe, expect, it } from "vitest";
import { admin, localAccount, spec, viewer } from "../../testing/fixtures.ts";
import { db } from "../db/client.ts";
import { readDeployMetrics } from "./read.ts";
import { createApiToken } from "../auth/tokens.ts";
import { GET } from "../../app/api/v1/deploy-metrics/route.ts";

/**
 * A seeded history with known answers. Times are relative to `now`:
 *   shop  spec v1 (app v1, -61d), v2 (app v2, -10d), v3 (app v3, -5d), v4 (still v3, -5d+1h)
 *     R0 v1 succeeded -60d+1h (lead 25 h; only in the 90-day window)
 *     R1 v2 succeeded -10d+2h (lead 2 h)
 *     R2 v3 shifted -5d+2h10m, auto-rolled back -5d+3h (restore 50 min)
 *     R3 v3 succeeded -4d+4h (lead 28 h from spec v3), rolled back by hand -4d+5h (restore 60 min)
 *     R4 v4-api (not in the spec) requested -2d, succeeded -2d+30m (lead 30 min)
 *     R5 cancelled -1d (neither a deploy nor a failure)
 *     R6 v5 failed before any shift -1d+1h (a failure without restore time)
 *   blog  spec v1 (app v1, -40d); R7 v1 succeeded -3d+6h (lead 37 d 6 h = 894 h)
 */
const H = 3_600_000;
const D = 24 * H;
const M = 60_000;

describe("deploy metrics", () => {
  const now = Date.now();
  const at = (ms: number) => new Date(now + ms);

  beforeAll(async () => {
    const account = await localAccount();
    const mkEnv = async (name: string, versions: Array<[string, number]>) => {
      const env = await db.environment.create({
        data: { name, activeName: name, accountId: account.id, region: "us-east-1", status: "ready" },
      });
      for (const [i, [app, when]] of versions.entries())
        await db.environmentSpecVersion.create({
          data: {
            environmentId: env.id,
            version: i + 1,
            spec: spec(name, { app: { version: app } }) as object,
            createdBy: "x",
            createdAt: at(when),
          },
        });
      return env;
    };
    const shop = await mkEnv("shop", [
      ["v1", -61 * D],
      ["v2", -10 * D],
      ["v3", -5 * D],
      ["v3", -5 * D + H],
    ]);
    const blog = await mkEnv("blog", [["v1", -40 * D]]);
    const op = async (
      environmentId: string,
      o: {
        kind?: string;
        status: string;
        to: string;
        from?: string;
        specVersion: number;
        created: number;
        finished: number;
        shift?: number;
      },
    ) =>
      db.deployment.create({
        data: {
          environmentId,
          kind: o.kind ?? "rollout",
          status: o.status,
          toVersion: o.to,
          fromVersion: o.from ?? null,
          specVersion: o.specVersion,
          startedBy: "deployer@example.com",
          createdAt: at(o.created),
          finishedAt: at(o.finished),
          steps: {
            create: [
              { key: "launch-template", label: "x", position: 0, status: "succeeded", startedAt: at(o.created) },
              ...(o.shift !== undefined ? [{ key: "shift-10", label: "x", position: 1, status: "failed", startedAt: at(o.shift) }] : []),
            ],
          },
        },
      });
    await op(shop.id, { status: "succeeded", to: "v1", specVersion: 1, created: -60 * D, finished: -60 * D + H, shift: -60 * D + 30 * M });
    await op(shop.id, {
      status: "succeeded",
      to: "v2",
      specVersion: 2,
      created: -10 * D + H,
      finished: -10 * D + 2 * H,
      shift: -10 * D + 90 * M,
    });
    await op(shop.id, {
      status: "rolled_back",
      to: "v3",
      from: "v2",
      specVersion: 4,
      created: -5 * D + 2 * H,
      finished: -5 * D + 3 * H,
      shift: -5 * D + 2 * H + 10 * M,
    });
    await op(shop.id, {
      status: "succeeded",
      to: "v3",
      from: "v2",
      specVersion: 4,
      created: -4 * D,
      finished: -4 * D + 4 * H,
      shift: -4 * D + H,
    });
    await op(shop.id, {
      kind: "rollback",
      status: "succeeded",
      to: "v2",
      from: "v3",
      specVersion: 4,
      created: -4 * D + 4.5 * H,
      finished: -4 * D + 5 * H,
    });
    await op(shop.id, {
      status: "succeeded",
      to: "v4-api",
      from: "v2",
      specVersion: 4,
      created: -2 * D,
      finished: -2 * D + 30 * M,
      shift: -2 * D + 10 * M,
    });
    await op(shop.id, { status: "cancelled", to: "v5", specVersion: 4, created: -1 * D - H, finished: -1 * D });
    await op(shop.id, { status: "failed", to: "v5", specVersion: 4, created: -1 * D + 10 * M, finished: -1 * D + H });
    await op(blog.id, { status: "succeeded", to: "v1", specVersion: 1, created: -3 * D, finished: -3 * D + 6 * H, shift: -3 * D + H });
    await db.auditEvent.create({
      data: {
        at: at(-2 * D),
        actorKind: "user",
        actorLabel: "deployer@example.com",
        action: "environment.drill.terminate-instance",
        targetType: "environment",
        targetId: shop.id,
        targetLabel: "shop",
        after: { kind: "terminate-instance", message: "Terminated i-1", detectionMs: 20_000, recoveryMs: 95_000 },
      },
    });
  });

  it("gives the known figures over 30 days, overall and per environment", async () => {
    const m = await readDeployMetrics({ actor: viewer, input: { days: "30" } });
    expect(m.overall).toEqual({
      deploys: 4,
      deploysPerDay: 0.133,
      endedRollouts: 6,
      failedChanges: 3,
      changeFailureRatePercent: 50,
      leadTimeMedianMs: 15 * H, // median of 0.5 h, 2 h, 28 h, 894 h
      restoreMedianMs: 55 * M, // median of 50 and 60 minutes
    });
    const shop = m.environments.find((e) => e.name === "shop");
    expect(shop).toMatchObject({ deploys: 3, endedRollouts: 5, failedChanges: 3, changeFailureRatePercent: 60, leadTimeMedianMs: 2 * H });
    expect(m.environments.find((e) => e.name === "blog")).toMatchObject({
      deploys: 1,
      changeFailureRatePercent: 0,
      leadTimeMedianMs: 894 * H,
    });
    expect(m.incidents.map((i) => [i.cause, i.version, i.restoreMs])).toEqual([
      ["manual-rollback", "v3", 60 * M],
      ["auto-rollback", "v3", 50 * M],
    ]);
    expect(m.daily.reduce((n, d) => n + d.deploys, 0)).toBe(4);
    expect(m.daily.reduce((n, d) => n + d.failures, 0)).toBe(3);
    expect(m.gameDays).toEqual([
      expect.objectContaining({ environmentName: "shop", kind: "terminate-instance", detectionMs: 20_000, recoveryMs: 95_000 }),
    ]);
  });

  it("narrows to 7 and widens to 90 days, and to one environment", async () => {
    const week = await readDeployMetrics({ actor: viewer, input: { days: 7 } });
    expect(week.overall).toMatchObject({
      deploys: 3,
      endedRollouts: 5,
      failedChanges: 3,
      changeFailureRatePercent: 60,
      leadTimeMedianMs: 28 * H,
    });
    const quarter = await readDeployMetrics({ actor: viewer, input: { days: 90 } });
    expect(quarter.overall).toMatchObject({ deploys: 5, endedRollouts: 7, changeFailureRatePercent: 42.86, leadTimeMedianMs: 25 * H });
    const blog = await readDeployMetrics({ actor: admin, input: { days: 30, environment: "blog" } });
    expect(blog.overall).toMatchObject({ deploys: 1, failedChanges: 0, leadTimeMedianMs: 894 * H, restoreMedianMs: null });
    expect(blog.gameDays).toEqual([]);
  });

  it("answers GET /api/v1/deploy-metrics to an API token, 400 for another window", async () => {
    const { token } = await createApiToken({ actor: admin, input: { name: "metrics", role: "viewer" } });
    const get = (q: string) =>
      GET(new Request(`http://localhost/api/v1/deploy-metrics${q}`, { headers: { authorization: `Bearer ${token}` } }), {
        params: Promise.resolve({}),
      });
    const res = await get("?days=7&environment=shop");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.overall).toMatchObject({ deploys: 2, failedChanges: 3, endedRollouts: 4, changeFailureRatePercent: 75 });
    expect(body.gameDays).toHaveLength(1);
    const bad = await get("?days=abc");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/7, 30 or 90/);
  });

  it("refuses other windows and unknown environments with a message", async () => {
    await expect(readDeployMetrics({ actor: viewer, input: { days: 14 } })).rejects.toThrow(/7, 30 or 90/);
    await expect(readDeployMetrics({ actor: viewer, input: { environment: "nope" } })).rejects.toThrow(/No environment named "nope"/);
  });
});
