/**
 * Issue 14, items 7, 9 and 11, at the HTTP layer in process: the guard that instrumentation.ts
 * installs on the Switchyard server, here on a plain http.Server standing in for Next.js.
 * (server/security/server-hardening.test.ts checks the same on a real `next start`.)
 *   - every response carries the security headers, with a fresh nonce per request that is also
 *     put on the request (where Next.js reads it), replacing any the client sent;
 *   - /.well-known/workflow/... answers only loopback callers with the process's secret (the
 *     workflow world's delivery URL carries it), whatever the spelling of the path;
 *   - a path Next.js cannot decode, or a NUL in path or query, is a 400 before any route.
 */
import http from "node:http";
import net from "node:net";
import os from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installHttpGuard, isLoopback } from "./http-guard.ts";

let server: http.Server;
let port: number;
const seen: Array<{ url: string; csp: string | undefined }> = [];

beforeAll(async () => {
  delete process.env.WORKFLOW_LOCAL_BASE_URL;
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", csp: req.headers["content-security-policy"] as string | undefined });
    res.end("reached the app");
  });
  await new Promise<void>((r) => server.listen(0, "0.0.0.0", r));
  port = (server.address() as net.AddressInfo).port;
  installHttpGuard({ port });
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A raw HTTP/1.1 request (no client-side path normalisation), from `host`. */
function raw(
  target: string,
  opts: { host?: string; method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, opts.host ?? "127.0.0.1", () => {
      const headers = {
        host: `localhost:${port}`,
        connection: "close",
        "content-length": "2",
        "content-type": "application/json",
        ...opts.headers,
      };
      socket.write(
        `${opts.method ?? "POST"} ${target} HTTP/1.1\r\n${Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join("\r\n")}\r\n\r\n{}`,
      );
    });
    let data = "";
    socket.on("data", (d) => (data += d));
    socket.on("error", reject);
    socket.on("end", () => {
      const [head, ...rest] = data.split("\r\n\r\n");
      const [statusLine, ...lines] = head.split("\r\n");
      const hs = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(":")).toLowerCase(), l.slice(l.indexOf(":") + 1).trim()]));
      resolve({ status: Number(statusLine.split(" ")[1]), headers: hs, body: rest.join("\r\n\r\n") });
    });
  });
}

/** The basic-auth header the workflow world sends: user:password of WORKFLOW_LOCAL_BASE_URL. */
function workflowAuthorization(): string {
  const u = new URL(process.env.WORKFLOW_LOCAL_BASE_URL!);
  return `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`;
}

const nonLoopback = Object.values(os.networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

describe("the HTTP guard", () => {
  it("puts the security headers and a fresh CSP nonce on every response, and the same policy on the request", async () => {
    const a = await raw("/sign-in", { method: "GET", headers: { "content-security-policy": "script-src 'nonce-attacker'" } });
    const b = await raw("/api/v1/environments", { method: "GET" });
    for (const r of [a, b]) {
      expect(r.status).toBe(200);
      expect(r.headers["x-frame-options"]).toBe("DENY");
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
      expect(r.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(r.headers["permissions-policy"]).toMatch(/camera=\(\)/);
      expect(r.headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
      expect(r.headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
      expect(r.headers["content-security-policy"]).toMatch(/object-src 'none'/);
    }
    const nonce = (csp: string) => /'nonce-([^']+)'/.exec(csp)![1];
    expect(nonce(a.headers["content-security-policy"])).not.toBe(nonce(b.headers["content-security-policy"]));
    // The app saw the guard's policy (its nonce goes on Next's scripts), not the client's.
    const signIn = seen.find((s) => s.url === "/sign-in")!;
    expect(signIn.csp).toBe(a.headers["content-security-policy"]);
    expect(signIn.csp).not.toContain("attacker");
  });

  it("points the workflow world's deliveries at 127.0.0.1 on this port with a secret", () => {
    const u = new URL(process.env.WORKFLOW_LOCAL_BASE_URL!);
    expect(u.hostname).toBe("127.0.0.1");
    expect(u.port).toBe(String(port));
    expect(u.password.length).toBeGreaterThanOrEqual(40);
  });

  it("lets the engine's own deliveries (loopback, with the secret) through", async () => {
    const before = seen.length;
    for (const route of ["flow", "step"]) {
      const r = await raw(`/.well-known/workflow/v1/${route}`, { headers: { authorization: workflowAuthorization() } });
      expect(r.status).toBe(200);
      expect(r.body).toBe("reached the app");
    }
    expect(seen.length).toBe(before + 2);
  });

  it("refuses the workflow endpoints without the secret, with a wrong one, and in every spelling of the path, with an empty 404", async () => {
    const before = seen.length;
    const paths = [
      "/.well-known/workflow/v1/flow",
      "/.well-known/workflow/v1/step",
      "/.well-known/workflow/v1/webhook/switchyard%3Aapprove%3Ax",
      "/.well-known/workflow/v1/flow?__health",
      "/%2Ewell-known/workflow/v1/step",
      "/.WELL-KNOWN/workflow/v1/step",
      "//.well-known//workflow/v1/step",
      "/api/../.well-known/workflow/v1/step",
      "/x/%2e%2e/.well-known/workflow/v1/flow",
      "/.well-known/workflow%2Fv1/step",
      "http://evil.example/.well-known/workflow/v1/step",
    ];
    for (const p of paths) {
      for (const authorization of [undefined, "Basic c3dpdGNoeWFyZC13b3JrZmxvdzp3cm9uZw==", `${workflowAuthorization().slice(0, -2)}AA`]) {
        const r = await raw(p, { headers: authorization ? { authorization } : {} });
        expect(r.status, `${p} with ${authorization ?? "no authorization"}`).toBe(404);
        expect(r.body, p).toBe("");
        expect(r.headers["x-frame-options"]).toBe("DENY");
      }
    }
    expect(seen.length, "requests that reached the app").toBe(before);
  });

  it.skipIf(!nonLoopback)("refuses the engine's secret from a non-loopback address", async () => {
    const before = seen.length;
    const r = await raw("/.well-known/workflow/v1/step", { host: nonLoopback, headers: { authorization: workflowAuthorization() } });
    expect(r.status).toBe(404);
    expect(seen.length).toBe(before);
    // ...while other paths are served there as usual.
    expect((await raw("/api/health", { host: nonLoopback, method: "GET" })).status).toBe(200);
  });

  it("answers a path that does not decode or holds a NUL with a JSON 400 before any route", async () => {
    const before = seen.length;
    for (const p of [
      "/api/v1/environments/%E0%A4%A",
      "/api/v1/environments/ab%ZZ",
      "/environments/%C0",
      "/api/v1/environments/a%00b",
      "/environments?q=%00",
      "/api/v1/overview?names=a%00",
    ]) {
      const r = await raw(p, { method: "GET" });
      expect(r.status, p).toBe(400);
      expect(JSON.parse(r.body).error.code).toBe("VALIDATION_FAILED");
      expect(r.headers["x-content-type-options"]).toBe("nosniff");
    }
    expect(seen.length).toBe(before);
  });

  it("knows loopback addresses", () => {
    expect(["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"].every(isLoopback)).toBe(true);
    expect(["10.0.0.1", "192.168.1.2", "::ffff:10.0.0.1", "fe80::1", "", undefined].some((a) => isLoopback(a))).toBe(false);
  });
});
