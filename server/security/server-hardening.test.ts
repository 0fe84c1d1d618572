/**
 * Issue 14, items 7, 9 and 11 on a real `next start` (the guard in instrumentation.ts):
 *   - security headers on pages, API responses, static files and errors; the CSP nonce is on
 *     every script Next.js renders, and differs per request;
 *   - the workflow endpoints refuse callers without the engine's secret with an empty 404,
 *     while the engine's own deliveries still run a whole provisioning;
 *   - a path Next.js cannot decode is a 400, not its 500.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCloud, type RunningLocalCloud } from "../../localcloud/src/index.ts";
import { ensureLocalAccount } from "../accounts/accounts.ts";
import { spec } from "../../testing/fixtures.ts";
import {
  ApiClient,
  describeSteps,
  operationSettled,
  startAppServer,
  stopAllServers,
  waitForOperation,
  type AppServer,
  type Operation,
} from "../../testing/servers.ts";

const TOKEN = "hardening-admin-token-0123456789abcdef";
let server: AppServer;
let cloud: RunningLocalCloud;
let dataDir: string;
const api = new ApiClient("", TOKEN);

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sy-hardening-"));
  cloud = await startLocalCloud({ port: 0, dataDir, speed: 60, defaultLoadRps: 0 });
  await ensureLocalAccount(cloud.url);
  server = await startAppServer({
    name: "hardening",
    env: {
      SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: "admin@hardening.test",
      SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: "hardening-password-1",
      SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
    },
  });
  api.baseUrl = server.url;
}, 600_000);

afterAll(async () => {
  await stopAllServers();
  await cloud?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A raw request: exactly this target, no client-side normalisation. */
function raw(
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body = "",
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        method,
        path: target,
        headers: { "content-length": String(Buffer.byteLength(body)), ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function expectSecurityHeaders(h: http.IncomingHttpHeaders, what: string) {
  expect(h["x-frame-options"], what).toBe("DENY");
  expect(h["x-content-type-options"], what).toBe("nosniff");
  expect(h["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"], what).toMatch(/camera=\(\), microphone=\(\), geolocation=\(\)/);
  const csp = String(h["content-security-policy"]);
  expect(csp, what).toMatch(/frame-ancestors 'none'/);
  expect(csp, what).toMatch(/default-src ('self'|'none')/);
  expect(csp, what).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  return csp;
}

const bearer = { authorization: `Bearer ${TOKEN}` };

describe("security headers", () => {
  it("are on every page, with a nonce per request on every script Next.js renders", async () => {
    const nonces = new Set<string>();
    for (const page of ["/sign-in", "/sign-in?next=%2Fenvironments", "/invite/not-a-real-invite"]) {
      const r = await raw("GET", page);
      expect(r.status, page).toBe(200);
      const csp = expectSecurityHeaders(r.headers, page);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(nonce, page).toBeTruthy();
      expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'/);
      nonces.add(nonce!);
      const scripts = [...r.text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
      expect(scripts.length, page).toBeGreaterThan(2);
      for (const s of scripts) expect(s, `${page}: ${s}`).toContain(`nonce="${nonce}"`);
    }
    expect(nonces.size).toBe(3);
  });

  it("are on redirects, errors and static files", async () => {
    const redirect = await raw("GET", "/environments");
    expect(redirect.status).toBe(307);
    expectSecurityHeaders(redirect.headers, "redirect to sign-in");
    expectSecurityHeaders((await raw("GET", "/setup")).headers, "/setup (redirects once an admin exists)");
    const missing = await raw("GET", "/api/no-such-route");
    expect(missing.status).toBe(404);
    expectSecurityHeaders(missing.headers, "404 page");
    const signIn = await raw("GET", "/sign-in");
    const asset = /<script src="(\/_next\/static\/[^"]+\.js)"/.exec(signIn.text)![1];
    const js = await raw("GET", asset);
    expect(js.status).toBe(200);
    expectSecurityHeaders(js.headers, asset);
  });

  it("are on every API answer: success, refusal, validation error, OpenAPI, health", async () => {
    const answers = [
      ["GET /api/health", await raw("GET", "/api/health"), 200],
      ["GET /api/v1/openapi.json", await raw("GET", "/api/v1/openapi.json"), 200],
      ["GET /api/v1/environments (no token)", await raw("GET", "/api/v1/environments"), 401],
      ["GET /api/v1/environments", await raw("GET", "/api/v1/environments", bearer), 200],
      [
        "POST /api/v1/environments null",
        await raw("POST", "/api/v1/environments", { ...bearer, "content-type": "application/json" }, "null"),
        400,
      ],
      ["GET /api/v1/environments/nope", await raw("GET", "/api/v1/environments/nope", bearer), 404],
      ["PUT /api/v1/environments", await raw("PUT", "/api/v1/environments", bearer), 405],
    ] as const;
    for (const [what, r, status] of answers) {
      expect(r.status, what).toBe(status);
      expectSecurityHeaders(r.headers, what);
    }
  });
});

describe("malformed URLs", () => {
  it("are a JSON 400, not Next.js's 500, on the API and on pages", async () => {
    for (const target of [
      "/api/v1/environments/%E0%A4%A",
      "/api/v1/environments/x%ZZ/deployments",
      "/environments/%C0",
      "/api/v1/environments/a%00b",
      "/api/v1/environments?q=%00",
    ]) {
      const r = await raw("GET", target, bearer);
      expect(r.status, `${target}: ${r.text.slice(0, 200)}`).toBe(400);
      expect(JSON.parse(r.text).error.code).toBe("VALIDATION_FAILED");
      expectSecurityHeaders(r.headers, target);
    }
  });
});

describe("the workflow endpoints", () => {
  it("refuse everyone but the engine with an empty 404, in every spelling, and echo nothing", async () => {
    const body = JSON.stringify({ runId: "wrun_x", workflowName: "x" });
    const headers = {
      "content-type": "application/json",
      "x-vqs-queue-name": "__wkf_workflow_x",
      "x-vqs-message-id": "msg_01",
      "x-vqs-message-attempt": "1",
    };
    for (const target of [
      "/.well-known/workflow/v1/flow",
      "/.well-known/workflow/v1/step",
      "/.well-known/workflow/v1/flow?__health",
      "/.well-known/workflow/v1/webhook/switchyard%3Aapprove%3Ax",
      "/.well-known/workflow/v1/manifest.json",
      "/%2Ewell-known/workflow/v1/step",
      "//.well-known/workflow/v1/flow",
    ]) {
      for (const method of ["GET", "POST"]) {
        for (const auth of [{}, bearer, { authorization: "Basic c3dpdGNoeWFyZC13b3JrZmxvdzp4" }]) {
          const r = await raw(method, target, { ...headers, ...auth }, method === "POST" ? body : "");
          expect(r.status, `${method} ${target}`).toBe(404);
          expect(r.text, `${method} ${target}`).toBe("");
        }
      }
    }
  });

  it("still take the engine's own deliveries: a whole provisioning runs through them", async () => {
    await api.expect(201, "POST", "/api/v1/environments", {
      ...spec("guarded", {
        app: {
          version: "v1",
          source: { kind: "al2023", userData: "#!/bin/bash\n# localcloud: boot_seconds=5 latency_ms=5\nexport APP_VERSION={{version}}\n" },
        },
        database: null,
        cloudfront: false,
        capacity: { min: 1, desired: 1, max: 2 },
      }),
    });
    const op = await api.expect<Operation>(202, "POST", "/api/v1/environments/guarded/provision");
    const done = await waitForOperation(api, "guarded", op.id, operationSettled, {
      timeoutMs: 120_000,
      what: "provisioning through the guarded workflow endpoints",
    });
    expect(done.status, describeSteps(done)).toBe("succeeded");
  }, 180_000);
});
