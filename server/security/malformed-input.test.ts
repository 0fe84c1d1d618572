/**
 * Issue 14, item 9: 49 of 2,281 fuzzed requests got a 500: a NUL byte in a string or path
 * (PostgreSQL refuses 0x00), a `null` JSON body on POST .../deployments, a bad
 * percent-encoding in the path. They are refused now at the one REST entry point (apiRoute and
 * jsonBody, server/api/malformed.ts), so this calls every REST route handler in process with
 * such input and expects a 400 with a field, never a 500.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../auth/secrets.ts";
import { createEnvironment } from "../environments/create.ts";
import { db } from "../db/client.ts";
import { admin, localAccount, spec } from "../../testing/fixtures.ts";

const TOKEN = "swy_malformed-input-test-admin-token-0123456789";
const ROOT = path.resolve(import.meta.dirname, "../../app/api/v1");
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;
type RouteHandler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

interface Route {
  file: string;
  /** "/api/v1/environments/[name]/deployments/[id]" */
  pattern: string;
  /** It reads a JSON body (jsonBody). */
  readsBody: boolean;
  params: string[];
  handlers: Partial<Record<(typeof METHODS)[number], RouteHandler>>;
}

function routeFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? routeFiles(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : []));
}

const routes: Route[] = [];

beforeAll(async () => {
  await localAccount();
  await createEnvironment({ actor: admin, input: spec("shop") });
  await db.apiToken.create({
    data: { name: "malformed-input test", role: "admin", prefix: TOKEN.slice(0, 10), tokenHash: hashToken(TOKEN) },
  });
  for (const file of routeFiles(ROOT)) {
    const source = fs.readFileSync(file, "utf8");
    if (!source.includes("apiRoute")) continue; // the OpenAPI document: public, reads nothing
    const rel = path.relative(path.resolve(ROOT, "../../.."), path.dirname(file)).split(path.sep).join("/");
    const mod = (await import(file)) as Record<string, unknown>;
    const handlers = Object.fromEntries(METHODS.filter((m) => typeof mod[m] === "function").map((m) => [m, mod[m] as RouteHandler]));
    routes.push({
      file,
      pattern: `/${rel.replace(/^app\//, "")}`,
      readsBody: source.includes("jsonBody("),
      params: [...rel.matchAll(/\[(\w+)\]/g)].map((m) => m[1]),
      handlers,
    });
  }
}, 120_000);

const base = "http://switchyard.test";

/** The route's URL and params with every parameter set to `value` (name and id). */
function target(r: Route, value: (param: string) => string) {
  const params = Object.fromEntries(r.params.map((p) => [p, value(p)]));
  const url = base + r.pattern.replace(/\[(\w+)\]/g, (_, p: string) => encodeURIComponent(params[p]));
  return { url, params };
}

async function call(
  r: Route,
  method: (typeof METHODS)[number],
  opts: { url?: string; params?: Promise<Record<string, string>>; paramValue?: (p: string) => string; body?: string },
) {
  const t = target(r, opts.paramValue ?? ((p) => (p === "name" ? "shop" : "00000000-0000-0000-0000-000000000000")));
  const req = new Request(opts.url ?? t.url, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(opts.body === undefined ? {} : { "content-type": "application/json" }) },
    body: opts.body,
  });
  const res = await r.handlers[method]!(req, { params: opts.params ?? Promise.resolve(t.params) });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as { error?: { code: string; fields?: Record<string, string[]> } }) : null,
    text: text.slice(0, 300),
  };
}

const each = (fn: (r: Route, m: (typeof METHODS)[number]) => Promise<void>) => async () => {
  expect(routes.length).toBeGreaterThanOrEqual(14);
  for (const r of routes) for (const m of Object.keys(r.handlers) as Array<(typeof METHODS)[number]>) await fn(r, m);
};

describe("malformed input at the REST entry point", () => {
  it(
    "a NUL in a path parameter is a 400, on every route and method",
    each(async (r, m) => {
      if (!r.params.length) return;
      const res = await call(r, m, { paramValue: (p) => (p === "name" ? "sh\u0000op" : "dep\u0000id") });
      expect(res.status, `${m} ${r.pattern}: ${res.text}`).toBe(400);
      expect(res.body?.error?.fields?._path).toBeDefined();
    }),
  );

  it(
    "a path segment that does not decode is a 400, on every route and method",
    each(async (r, m) => {
      if (!r.params.length) return;
      const bad = Promise.reject(new URIError("URI malformed"));
      bad.catch(() => {});
      const res = await call(r, m, { url: `${base}${r.pattern.replace(/\[\w+\]/g, "%E0%A4%A")}`, params: bad });
      expect(res.status, `${m} ${r.pattern}: ${res.text}`).toBe(400);
    }),
  );

  it(
    "a NUL in the query string is a 400, on every route and method",
    each(async (r, m) => {
      for (const q of ["q", "cursor", "limit", "names", "range", "x\u0000y"]) {
        const t = target(r, (p) => (p === "name" ? "shop" : "00000000-0000-0000-0000-000000000000"));
        const url = `${t.url}?${encodeURIComponent(q)}=${encodeURIComponent("a\u0000b")}`;
        const res = await call(r, m, { url });
        expect(res.status, `${m} ${r.pattern}?${q}: ${res.text}`).toBe(400);
      }
    }),
  );

  it(
    "a body that is not a JSON object (null, an array, a number, a string, true) is a 400 on every route that reads one",
    each(async (r, m) => {
      // Routes that read no body (approve, cancel, provision...) ignore it; they start operations, so they are left to the fuzz test.
      if (m === "GET" || m === "DELETE" || !r.readsBody) return;
      for (const body of ["null", "[]", "[{}]", "5", '"text"', "true"]) {
        const res = await call(r, m, { body });
        expect(res.status, `${m} ${r.pattern} with ${body}: ${res.text}`).toBe(400);
        expect(res.body?.error?.fields?._body?.[0]).toMatch(/JSON object/);
      }
    }),
  );

  it(
    "a NUL in any string or key of a JSON body is a 400 with its field",
    each(async (r, m) => {
      if (m === "GET" || m === "DELETE" || !r.readsBody) return;
      const bodies: Array<[string, unknown]> = [
        ["name", { ...spec("nul\u0000env") }],
        ["version", { version: "v\u00002", strategy: "canary" }],
        ["app.version", { app: { version: "v\u00001" } }],
        ["app.source.userData", { app: { source: { kind: "al2023", userData: "#!/bin/bash\n\u0000" } } }],
        ["kind", { kind: "\u0000", min: 1 }],
        ["a.b", { a: { "b\u0000": 1 } }],
      ];
      for (const [field, body] of bodies) {
        const res = await call(r, m, { body: JSON.stringify(body) });
        expect(res.status, `${m} ${r.pattern} with a NUL in ${field}: ${res.text}`).toBe(400);
        expect(Object.keys(res.body?.error?.fields ?? {}), `${m} ${r.pattern}`).toContain(field);
      }
    }),
  );

  it("nothing malformed was stored", async () => {
    expect(await db.environment.count({ where: { name: { contains: "nul" } } })).toBe(0);
    expect(await db.deployment.count()).toBe(0);
  });
});
