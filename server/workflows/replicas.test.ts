/**
 * Scale-out: two Switchyard server processes (`next start`, different ports) on one
 * PostgreSQL with the Postgres workflow world. Rollouts started through either complete,
 * every step runs exactly once, and an approval given through one server resumes a
 * rollout started through the other.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type RunningLocalCloud } from "../../localcloud/src/index.ts";
import { ensureLocalAccount } from "../accounts/accounts.ts";
import { createApiToken } from "../auth/tokens.ts";
import { admin as adminActor, spec } from "../../testing/fixtures.ts";
import {
  ApiClient,
  describeSteps,
  operationSettled,
  startAppServer,
  stopAllServers,
  testDatabaseUrl,
  waitForOperation,
  type AppServer,
  type Operation,
} from "../../testing/servers.ts";

const TOKEN = "replicas-admin-token-0123456789abcdef";
const ENV = "replicated";
const bootstrapEnv = {
  SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: "admin@replicas.test",
  SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: "replicas-password-1234",
  SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
};

let cloud: RunningLocalCloud;
let dataDir: string;
let a: AppServer;
let b: AppServer;
/** Admin through A; the deployers alice and bob through A and through B. */
let adminA: ApiClient;
let aliceA: ApiClient, aliceB: ApiClient, bobA: ApiClient, bobB: ApiClient;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-replicas-"));
  cloud = await startLocalCloud({ port: 0, dataDir, speed: 60, defaultLoadRps: 20 });
  await ensureLocalAccount(cloud.url);
  // Both replicas start together and both carry the bootstrap settings: one of them creates the first admin.
  [a, b] = await Promise.all([startAppServer({ name: "A", env: bootstrapEnv }), startAppServer({ name: "B", env: bootstrapEnv })]);
  const alice = await createApiToken({ actor: adminActor, input: { name: "alice", role: "deployer" } });
  const bob = await createApiToken({ actor: adminActor, input: { name: "bob", role: "deployer" } });
  adminA = new ApiClient(a.url, TOKEN);
  aliceA = new ApiClient(a.url, alice.token);
  aliceB = new ApiClient(b.url, alice.token);
  bobA = new ApiClient(a.url, bob.token);
  bobB = new ApiClient(b.url, bob.token);
}, 600_000);

afterAll(async () => {
  await stopAllServers();
  await cloud?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The workflow engine's own record of a run's steps: every step must have run exactly once. */
async function engineSteps(runId: string) {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    const steps = await client.query<{ step_name: string; status: string; attempt: number }>(
      `SELECT step_name, status, attempt FROM workflow.workflow_steps WHERE run_id = $1 ORDER BY created_at`,
      [runId],
    );
    const started = await client.query<{ correlation_id: string; n: string }>(
      `SELECT correlation_id, count(*) AS n FROM workflow.workflow_events WHERE run_id = $1 AND type = 'step_started' GROUP BY correlation_id`,
      [runId],
    );
    return { steps: steps.rows, startedTwice: started.rows.filter((r) => Number(r.n) !== 1) };
  } finally {
    await client.end();
  }
}

async function runIdOf(deploymentId: string): Promise<string> {
  const { db } = await import("../db/client.ts");
  const d = await db.deployment.findUniqueOrThrow({ where: { id: deploymentId }, select: { runId: true } });
  if (!d.runId) throw new Error(`deployment ${deploymentId} has no workflow run`);
  return d.runId;
}

/** Starts a protected rollout through `starter`, approves it through `approver`, waits for it, and checks every step ran once. */
async function approvedRollout(version: string, starter: ApiClient, selfApprover: ApiClient, approver: ApiClient, reader: ApiClient) {
  const started = await starter.expect<Operation>(202, "POST", `/api/v1/environments/${ENV}/deployments`, { version });
  expect(started.status).toBe("awaiting_approval");
  expect(started.startedBy).toBe("token:alice");

  // The workflow reaches its approval hook (the step shows running) and waits there.
  const waiting = await waitForOperation(
    reader,
    ENV,
    started.id,
    (op) => op.steps.find((s) => s.key === "approval")?.status === "running" || operationSettled(op),
    {
      timeoutMs: 30_000,
      what: `rollout ${version} to wait for approval`,
    },
  );
  expect(waiting.status, describeSteps(waiting)).toBe("awaiting_approval");
  await new Promise((r) => setTimeout(r, 1_000));
  const still = await reader.expect<Operation>(200, "GET", `/api/v1/environments/${ENV}/deployments/${started.id}`);
  expect(still.steps.find((s) => s.key === "launch-template")?.status, `nothing runs before the approval:\n${describeSteps(still)}`).toBe(
    "pending",
  );

  // Four eyes: the starter cannot approve their own rollout, on either server.
  const self = await selfApprover.call("POST", `/api/v1/environments/${ENV}/deployments/${started.id}/approve`);
  expect(self.status, JSON.stringify(self.body)).toBe(403);

  const approved = await approver.expect<Operation>(200, "POST", `/api/v1/environments/${ENV}/deployments/${started.id}/approve`);
  expect(approved.approvedBy).toBe("token:bob");

  const done = await waitForOperation(reader, ENV, started.id, operationSettled, {
    timeoutMs: 120_000,
    what: `rollout ${version} to complete after the approval`,
  });
  const steps = describeSteps(done);
  expect(done.status, steps).toBe("succeeded");
  expect(done.steps.map((s) => s.key)).toEqual([
    "approval",
    "launch-template",
    "fill-idle",
    "wait-healthy",
    "probe-new",
    "shift-50",
    "shift-100",
    "promote",
    "keep-warm",
    "scale-down-old",
  ]);
  for (const s of done.steps) {
    expect(s.status, `step ${s.key}\n${steps}`).toBe("succeeded");
    expect(s.attempts, `step ${s.key} ran more than once\n${steps}`).toBe(1);
  }

  const engine = await engineSteps(await runIdOf(started.id));
  expect(engine.steps.length).toBeGreaterThan(10);
  for (const s of engine.steps)
    expect({ step: s.step_name, status: s.status, attempt: s.attempt }).toEqual({ step: s.step_name, status: "completed", attempt: 1 });
  expect(engine.startedTwice, "steps the engine started more than once").toEqual([]);
  return done;
}

describe("two Switchyard servers on one database", () => {
  it("run a rollout started on one and approved on the other, each step once, and the next rollout too", async () => {
    const t0 = Date.now();
    const timings: Record<string, number> = {};
    const mark = (k: string) => (timings[k] = Math.round((Date.now() - t0) / 100) / 10);

    await adminA.expect(201, "POST", "/api/v1/environments", {
      ...spec(ENV, {
        app: {
          version: "v1",
          source: { kind: "al2023", userData: "#!/bin/bash\n# localcloud: boot_seconds=5 latency_ms=5\nexport APP_VERSION={{version}}\n" },
        },
        database: null,
        cloudfront: false,
        capacity: { min: 2, desired: 2, max: 4 },
        rollout: { strategy: "canary", canarySteps: [50, 100], bakeMinutes: 0.1 },
        rollbackWindowMinutes: 0,
        protected: true,
      }),
    });
    const provision = await adminA.expect<Operation>(202, "POST", `/api/v1/environments/${ENV}/provision`);
    const provisioned = await waitForOperation(adminA, ENV, provision.id, operationSettled, { timeoutMs: 90_000, what: "provisioning" });
    expect(provisioned.status, describeSteps(provisioned)).toBe("succeeded");
    mark("provisioned");

    // Started through B, approved through A.
    await approvedRollout("v2", aliceB, aliceA, bobA, aliceA);
    mark("v2-complete");
    let live = await aliceB.expect(200, "GET", `/api/v1/environments/${ENV}/live`);
    expect(live.environment.liveVersion).toBe("v2");

    // Started through A, approved through B.
    await approvedRollout("v3", aliceA, aliceB, bobB, aliceB);
    mark("v3-complete");
    live = await aliceA.expect(200, "GET", `/api/v1/environments/${ENV}/live`);
    expect(live.environment.liveVersion).toBe("v3");
    expect(live.environment.liveSlot).toBe("blue");
    expect(live.environment.busy).toBe(false);

    // Both replicas are still up and serving.
    for (const s of [a, b]) expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    console.log(`[replicas] timings (s since the test began): ${JSON.stringify(timings)}`);
  }, 300_000);
});
