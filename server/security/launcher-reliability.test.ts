/**
 * Issue 14, item 2: `npm start` hung when the app server died by a signal (a signalled child
 * has exitCode null too, so the launcher waited for an 'exit' that had already happened), with
 * the embedded PostgreSQL and the local cloud left running and no supervisor noticing.
 *
 * The real launcher (scripts/start.ts, as `npm start` runs it) on a fresh data directory and
 * free ports: provision a small environment, start a canary rollout, SIGKILL the app server
 * (next-server) in the middle of it. The launcher must exit non-zero within 10 s, with the
 * database and the local cloud stopped. Started again on the same data directory, the rollout
 * completes, and the local cloud shows nothing created twice.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spec } from "../../testing/fixtures.ts";
import {
  ApiClient,
  describeSteps,
  ensureProductionBuild,
  freePort,
  operationSettled,
  root,
  waitForOperation,
  type Operation,
} from "../../testing/servers.ts";
import { waitForHttp } from "../../scripts/lib/process.ts";

const TOKEN = "launcher-admin-token-0123456789abcdef";
let dataDir: string;
let ports: { app: number; cloud: number; pg: number };
const api = new ApiClient("", TOKEN);
const launched: Launcher[] = [];

interface Launcher {
  child: ChildProcess;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  output: () => string;
}

/** The launcher's environment: this process's, without the test database or vitest's markers. */
function launcherEnv(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      k.startsWith("VITEST") ||
      k.startsWith("WORKFLOW_") ||
      ["TEST", "NODE_OPTIONS", "DATABASE_URL", "SWITCHYARD_LOCALCLOUD"].includes(k)
    )
      continue;
    env[k] = v;
  }
  return {
    ...env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    CHECKPOINT_DISABLE: "1",
    PORT: String(ports.app),
    SWITCHYARD_URL: `http://127.0.0.1:${ports.app}`,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_PG_PORT: String(ports.pg),
    SWITCHYARD_LOCALCLOUD: "on",
    LOCALCLOUD_PORT: String(ports.cloud),
    LOCALCLOUD_SPEED: "60",
    LOCALCLOUD_DEFAULT_LOAD: "20",
    SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: "admin@launcher.test",
    SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: "launcher-password-123",
    SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
  };
}

/** `npm start` (tsx scripts/start.ts) in its own process group; resolves once the app answers. */
async function launch(): Promise<Launcher> {
  const child = spawn(path.join(root, "node_modules/.bin/tsx"), [path.join(root, "scripts/start.ts")], {
    cwd: root,
    env: launcherEnv() as NodeJS.ProcessEnv,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  const keep = (d: Buffer) => {
    log += d;
    if (log.length > 400_000) log = log.slice(-200_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const launcher = { child, exit, output: () => log };
  launched.push(launcher);
  await Promise.race([
    waitForHttp(`http://127.0.0.1:${ports.app}/api/health`, 240_000),
    exit.then((e) => Promise.reject(new Error(`the launcher exited during start-up (${e.signal ?? e.code}):\n${log.slice(-4000)}`))),
  ]);
  return launcher;
}

/** Child pids of every process (from /proc). */
function processTree(): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* gone */
    }
  }
  return children;
}

function descendants(pid: number): number[] {
  const tree = processTree();
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of tree.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

const cmdline = (pid: number) => {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
};

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

const cloudUrl = () => `http://127.0.0.1:${ports.cloud}`;
const stats = async () => ((await (await fetch(`${cloudUrl()}/_localcloud/stats`)).json()) as { calls: Record<string, number> }).calls;
const n = (calls: Record<string, number>, op: string) => calls[op] ?? 0;

beforeAll(async () => {
  await ensureProductionBuild(); // the launcher must not build while other test files run servers from .next
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-launcher-"));
  fs.chmodSync(dataDir, 0o755);
  ports = { app: await freePort(), cloud: await freePort(), pg: await freePort() };
}, 600_000);

afterAll(async () => {
  for (const l of launched) {
    try {
      process.kill(-l.child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  }
  // Whatever the launcher left behind on this data directory (a test failure must not leak a postmaster).
  for (const pid of fs
    .readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .map(Number)) {
    if (dataDir && cmdline(pid).includes(dataDir)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("npm start when the app server dies", () => {
  it("exits non-zero within 10 s with the database and local cloud stopped; started again, the rollout completes and nothing is created twice", async () => {
    const first = await launch();
    api.baseUrl = `http://127.0.0.1:${ports.app}`;
    await api.expect(201, "POST", "/api/v1/environments", {
      ...spec("steady", {
        app: {
          version: "v1",
          source: { kind: "al2023", userData: "#!/bin/bash\n# localcloud: boot_seconds=5 latency_ms=5\nexport APP_VERSION={{version}}\n" },
        },
        database: null,
        cloudfront: false,
        capacity: { min: 2, desired: 2, max: 4 },
        rollout: { strategy: "canary", canarySteps: [50, 100], bakeMinutes: 0.1 },
        rollbackWindowMinutes: 0,
      }),
    });
    const provision = await api.expect<Operation>(202, "POST", "/api/v1/environments/steady/provision");
    const provisioned = await waitForOperation(api, "steady", provision.id, operationSettled, { timeoutMs: 120_000, what: "provisioning" });
    expect(provisioned.status, describeSteps(provisioned)).toBe("succeeded");
    const afterProvision = await stats();

    // The rollout, killed while the new fleet comes up or bakes its first shift.
    const rollout = await api.expect<Operation>(202, "POST", "/api/v1/environments/steady/deployments", { version: "v2" });
    let killPoint: Operation | null = null;
    for (const deadline = Date.now() + 90_000; !killPoint; ) {
      const op = await api.expect<Operation>(200, "GET", `/api/v1/environments/steady/deployments/${rollout.id}`);
      const step = (k: string) => op.steps.find((s) => s.key === k)?.status ?? "";
      if (["running", "waiting"].includes(step("wait-healthy")) || step("shift-50") === "running" || operationSettled(op)) killPoint = op;
      else if (Date.now() > deadline) throw new Error(`the rollout never reached wait-healthy:\n${describeSteps(op)}`);
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(killPoint.status, `the rollout ended before the kill:\n${describeSteps(killPoint)}`).toBe("running");
    const atKill = await stats();
    const pgDir = path.join(dataDir, "pg");
    const nextServer = descendants(first.child.pid!).find((p) => cmdline(p).startsWith("next-server"));
    expect(nextServer, `no next-server under the launcher (pid ${first.child.pid})`).toBeDefined();
    const killedAt = Date.now();
    process.kill(nextServer!, "SIGKILL");

    const exit = await Promise.race([first.exit, new Promise<null>((r) => setTimeout(() => r(null), 10_000))]);
    expect(exit, `the launcher was still running 10 s after next-server was killed:\n${first.output().slice(-3000)}`).not.toBeNull();
    expect(exit!.code, `exit ${exit!.code} / ${exit!.signal}`).not.toBe(0);
    expect(exit!.code).not.toBeNull();
    expect(first.output()).toMatch(/next exited \(SIGKILL\); stopping/);
    console.log(`[launcher] exited with ${exit!.code} ${((exit!.at - killedAt) / 1000).toFixed(1)} s after next-server was killed`);
    // Nothing left running: no postmaster on the data directory, nothing on the database's or the cloud's port.
    const leftovers = fs
      .readdirSync("/proc")
      .filter((e) => /^\d+$/.test(e))
      .map(Number)
      .filter((p) => cmdline(p).includes(dataDir));
    expect(leftovers.map((p) => `${p}: ${cmdline(p)}`)).toEqual([]);
    expect(fs.existsSync(path.join(pgDir, "postmaster.pid")), "postmaster.pid left: the database was not stopped cleanly").toBe(false);
    expect(await portOpen(ports.pg)).toBe(false);
    expect(await portOpen(ports.cloud)).toBe(false);
    expect(first.output()).toMatch(/localcloud stopped \(SIGINT\), state written/);

    // Started again: the rollout completes.
    await launch();
    const done = await waitForOperation(api, "steady", rollout.id, operationSettled, {
      timeoutMs: 180_000,
      what: "the rollout after the restart",
    });
    expect(done.status, describeSteps(done)).toBe("succeeded");
    for (const s of done.steps) expect(s.status, `step ${s.key}\n${describeSteps(done)}`).toBe("succeeded");
    const live = await api.expect(200, "GET", "/api/v1/environments/steady/live");
    expect(live.environment.liveVersion).toBe("v2");

    // Nothing created twice: the cloud's call counts (its first life up to the kill, its second
    // life in full) and what it holds.
    const secondLife = await stats();
    for (const op of [
      "ec2:CreateVpc",
      "ec2:CreateLaunchTemplate",
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateTargetGroup",
      "elasticloadbalancing:CreateListener",
      "autoscaling:CreateAutoScalingGroup",
    ]) {
      expect(n(atKill, op) - n(afterProvision, op), `${op} during the rollout before the kill`).toBe(0);
      expect(n(secondLife, op), `${op} after the restart`).toBe(0);
    }
    expect(
      n(atKill, "ec2:CreateLaunchTemplateVersion") -
        n(afterProvision, "ec2:CreateLaunchTemplateVersion") +
        n(secondLife, "ec2:CreateLaunchTemplateVersion"),
      "launch template versions created by the rollout",
    ).toBe(1);
    const ec2 = new EC2Client({ endpoint: cloudUrl(), region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    try {
      const templates = (await ec2.send(new DescribeLaunchTemplatesCommand({}))).LaunchTemplates ?? [];
      expect(templates.map((t) => t.LaunchTemplateName)).toHaveLength(1);
      const versions =
        (await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templates[0].LaunchTemplateId })))
          .LaunchTemplateVersions ?? [];
      expect(versions.map((v) => v.VersionDescription).sort()).toEqual(["v1 (blue)", "v2 (green)"]);
      const vpcs =
        (await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag-key", Values: ["switchyard:environment"] }] }))).Vpcs ?? [];
      expect(vpcs).toHaveLength(1);
    } finally {
      ec2.destroy();
    }
  }, 600_000);
});
