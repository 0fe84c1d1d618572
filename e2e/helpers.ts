import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";

export const ADMIN = { name: "Ada Admin", email: "ada@example.com", password: "correct-horse-battery-staple" };
export const VIEWER = { name: "Vic Viewer", email: "vic@example.com", password: "viewer-password-123" };
/** A second admin: a token acts for the person who created it, so two people's tokens need two creators. */
export const SECOND_ADMIN = { name: "Bea Admin", email: "bea@example.com", password: "second-admin-password-1" };

export async function signIn(page: Page, who: { email: string; password: string }) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/environments$/);
}

/** An admin (signed in on `page`) invites `who` with `role`; they accept the invitation in a fresh browser context. */
export async function inviteAndAccept(page: Page, browser: Browser, who: { name?: string; email: string; password: string }, role: string) {
  await page.goto("/admin/users");
  const form = page.getByRole("form", { name: "Invite someone" });
  await form.getByLabel("Email").fill(who.email);
  await form.getByLabel("Role", { exact: true }).selectOption(role);
  await form.getByRole("button", { name: /invite/i }).click();
  const link = await page.getByTestId("invite-link").inputValue();
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await p.goto(link);
  await p.getByLabel("Name").fill(who.name ?? who.email.split("@")[0]);
  await p.getByLabel("Password").fill(who.password);
  await p.getByRole("button", { name: "Create account" }).click();
  await expect(p).toHaveURL(/\/environments$/);
  await ctx.close();
}

/** Full-page screenshot for the docs (docs/screenshots/<name>.png). */
export async function shot(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: false });
}

/** Creates an API token in the admin UI and returns it (shown once). */
export async function createToken(page: Page, name: string, role: string) {
  await page.goto("/admin/tokens");
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill(name);
  await form.getByLabel("Role", { exact: true }).selectOption(role);
  await form.getByRole("button", { name: /create/i }).click();
  const token = await page.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^swy_/);
  return token;
}

export const LOCALCLOUD = `http://127.0.0.1:${process.env.E2E_LOCALCLOUD_PORT ?? 4599}`;

/**
 * The origin header CloudFront sends to an environment's load balancer (it answers nothing
 * else when the environment has CloudFront), read from the listener's rule in the local cloud.
 */
export async function originHeader(lbName: string): Promise<Record<string, string>> {
  const elb = new ElasticLoadBalancingV2Client({
    endpoint: LOCALCLOUD,
    region: "us-east-1",
    credentials: { accessKeyId: "e2e", secretAccessKey: "e2e" },
  });
  const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: [lbName] }))).LoadBalancers![0];
  const listener = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners!.find(
    (l) => l.Port === 80,
  )!;
  const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listener.ListenerArn }))).Rules ?? [];
  const header = rules
    .flatMap((r) => r.Conditions ?? [])
    .find((c) => c.HttpHeaderConfig?.HttpHeaderName === "X-Switchyard-Origin")?.HttpHeaderConfig;
  elb.destroy();
  return header?.Values?.[0] ? { [header.HttpHeaderName!]: header.Values[0] } : {};
}

/** Asks the environment's load balancer (through the local cloud's real listener port) which version answers, as CloudFront would ask it. */
export async function versionsServed(lbName: string, n = 20): Promise<string[]> {
  const endpoints = await (await fetch(`${LOCALCLOUD}/_localcloud/endpoints`)).json();
  const lb = endpoints.loadBalancers.find((l: { name: string }) => l.name === lbName);
  const url = lb.listeners[0].url as string;
  let headers: Record<string, string> = {};
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let res = await fetch(url, { headers });
    if (res.status === 403 && !Object.keys(headers).length) {
      await res.arrayBuffer();
      headers = await originHeader(lbName);
      res = await fetch(url, { headers });
    }
    out.push(((await res.json()) as { version: string }).version);
  }
  return out;
}

/** Requests the local cloud's load generator sent to this load balancer that failed (non-2xx/3xx or no answer), and how many it sent. */
export async function loadCounters(lbName: string): Promise<{ sent: number; failed: number }> {
  const { loads } = (await (await fetch(`${LOCALCLOUD}/_localcloud/load`)).json()) as {
    loads: Array<{ target: string; targetRef?: string; sent: number; failed: number }>;
  };
  const mine = loads.filter((l) => l.target === lbName || l.targetRef?.includes(`/app/${lbName}/`));
  return { sent: mine.reduce((a, l) => a + l.sent, 0), failed: mine.reduce((a, l) => a + l.failed, 0) };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export interface OperationJson {
  status: string;
  reason: string | null;
  steps: Array<{
    key: string;
    label: string;
    status: string;
    attempts: number;
    detail: Record<string, unknown> | null;
    error: string | null;
  }>;
}

/** Polls a deployment through the REST API until it reaches one of `statuses`. */
export async function waitForOperation(
  request: APIRequestContext,
  token: string,
  name: string,
  id: string,
  statuses: string[],
  timeoutMs = 120_000,
): Promise<OperationJson> {
  const deadline = Date.now() + timeoutMs;
  let last: OperationJson | null = null;
  while (Date.now() < deadline) {
    last = await (await request.get(`/api/v1/environments/${name}/deployments/${id}`, { headers: bearer(token) })).json();
    if (last && statuses.includes(last.status)) return last;
    // A quarter second: the next test step starts soon after the operation ends (a GET is cheap).
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`deployment ${id} still ${last?.status}: ${JSON.stringify(last?.steps.map((s) => [s.key, s.status]))}`);
}

/** Creates an environment through the API and provisions it; fails the test unless it succeeds. */
export async function provisionViaApi(request: APIRequestContext, token: string, spec: Record<string, unknown>) {
  await waitProvisionedViaApi(request, token, spec.name as string, await startProvisioningViaApi(request, token, spec));
}

/**
 * Creates an environment through the API and starts provisioning it; returns the operation's id.
 * A spec's first test can start every environment it needs at once, so later tests find theirs
 * ready (waitProvisionedViaApi) instead of provisioning one after another.
 */
export async function startProvisioningViaApi(request: APIRequestContext, token: string, spec: Record<string, unknown>): Promise<string> {
  const created = await request.post("/api/v1/environments", { headers: bearer(token), data: spec });
  expect(created.status(), await created.text()).toBe(201);
  const op = await request.post(`/api/v1/environments/${spec.name}/provision`, { headers: bearer(token) });
  expect(op.status(), await op.text()).toBe(202);
  return (await op.json()).id;
}

/** Waits for a provisioning operation to end; fails the test unless it succeeded. */
export async function waitProvisionedViaApi(request: APIRequestContext, token: string, name: string, id: string) {
  const done = await waitForOperation(request, token, name, id, ["succeeded", "failed"]);
  expect(done.status, done.reason ?? "").toBe("succeeded");
}

/** Starts a rollout of `version` and waits for it to end. */
export async function rollOutViaApi(
  request: APIRequestContext,
  token: string,
  name: string,
  version: string,
  strategy?: string,
): Promise<OperationJson> {
  const started = await request.post(`/api/v1/environments/${name}/deployments`, {
    headers: bearer(token),
    data: { version, ...(strategy ? { strategy } : {}) },
  });
  expect(started.status(), await started.text()).toBe(202);
  return waitForOperation(request, token, name, (await started.json()).id, ["succeeded", "rolled_back", "failed", "cancelled"]);
}

/** User data whose `# localcloud:` directives set how the instances behave (valid shell on AWS too). */
export const userDataWith = (extra: string) =>
  `#!/bin/bash\n# localcloud: boot_seconds=5 latency_ms=5 ${extra}\nAPP_VERSION={{version}} /opt/app/start\n`;

/** A small environment for API tests: 2 instances, no database, no CloudFront. */
export function apiSpec(name: string, over: Record<string, unknown> = {}) {
  return {
    name,
    account: "local",
    region: "us-east-1",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    app: { version: "v1", source: { kind: "al2023", userData: userDataWith("error_rate=0") } },
    instanceType: "t3.small",
    capacity: { min: 2, desired: 2, max: 4 },
    scaling: { metric: "cpu", target: 60 },
    healthCheck: {
      path: "/health",
      intervalSeconds: 10,
      timeoutSeconds: 5,
      healthyThreshold: 2,
      unhealthyThreshold: 2,
      gracePeriodSeconds: 30,
    },
    database: null,
    cloudfront: false,
    rollout: { strategy: "canary", canarySteps: [50, 100], bakeMinutes: 0.1 },
    autoRollback: { max5xxRatePercent: 2, maxP95LatencyMs: 800 },
    rollbackWindowMinutes: 30,
    protected: false,
    ...over,
  };
}
