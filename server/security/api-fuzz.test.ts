/**
 * Issue 14: property-based fuzzing of the REST API on a real `next start`. fast-check
 * generates requests across every REST endpoint (the OpenAPI document's paths, plus any route
 * file it does not list): path parameters from valid names to NUL bytes, slashes, dot
 * segments and broken percent-encoding; query strings; bodies from valid specs with one field
 * replaced by any JSON value, to `null`, arrays, scalars, deep nesting and text that is not
 * JSON; declared and undeclared methods. With a valid admin token, every answer must be below
 * 500, and the server must stay healthy. (49 of 2,281 such requests were 500s before.)
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../api/openapi.ts";
import { db } from "../db/client.ts";
import { freePort, root, startAppServer, stopAllServers, type AppServer } from "../../testing/servers.ts";
import { spec } from "../../testing/fixtures.ts";

const TOKEN = "fuzz-admin-token-0123456789abcdefghij";
const RUNS = Number(process.env.SWITCHYARD_FUZZ_RUNS ?? 1_200);
const METHODS = ["GET", "POST", "PATCH", "PUT", "DELETE"] as const;

let server: AppServer;
const seen = { total: 0, byStatus: new Map<number, number>(), byEndpoint: new Map<string, number>() };

interface Endpoint {
  /** "/api/v1/environments/{name}/deployments/{id}" */
  template: string;
  methods: string[];
}

/** Every REST endpoint: the OpenAPI document's, and any route file under app/api/v1 it does not list. */
function endpoints(): Endpoint[] {
  const doc = openApiDocument("") as { paths: Record<string, Record<string, unknown>> };
  const out = new Map<string, Set<string>>();
  for (const [p, ops] of Object.entries(doc.paths))
    out.set(
      p,
      new Set(
        Object.keys(ops)
          .filter((k) => METHODS.includes(k.toUpperCase() as never))
          .map((k) => k.toUpperCase()),
      ),
    );
  const walk = (dir: string): string[] =>
    fs
      .readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name === "route.ts" ? [path.join(dir, e.name)] : []));
  for (const file of walk(path.join(root, "app/api/v1"))) {
    const template =
      "/" +
      path
        .relative(path.join(root, "app"), path.dirname(file))
        .split(path.sep)
        .join("/")
        .replace(/\[(\w+)\]/g, "{$1}");
    const methods = [...fs.readFileSync(file, "utf8").matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g)].map((m) => m[1]);
    const set = out.get(template) ?? new Set<string>();
    for (const m of methods) set.add(m);
    out.set(template, set);
  }
  return [...out].map(([template, methods]) => ({ template, methods: [...methods] }));
}

const ENDPOINTS = endpoints();

/** A raw request (no client-side URL normalisation), so broken encodings reach the server as sent. */
function send(method: string, target: string, body?: string, contentType = "application/json"): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        method,
        path: target,
        headers: {
          authorization: `Bearer ${TOKEN}`,
          ...(body === undefined ? {} : { "content-type": contentType, "content-length": String(Buffer.byteLength(body)) }),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on("error", reject);
    req.setTimeout(30_000, () => req.destroy(new Error(`no answer in 30 s to ${method} ${target}`)));
    req.end(body);
  });
}

// ---- generators ----

const nasty = fc.constantFrom(
  "\u0000",
  "%00",
  "%",
  "%E0%A4%A",
  "%ZZ",
  "%C0%AF",
  "..",
  ".",
  "%2F",
  "%2e%2e",
  "/",
  "\\",
  "?",
  "#",
  "'",
  '"',
  "<script>",
  "😀",
  "\uFFFF",
  "\uD800",
  " ",
  "\t",
  "a".repeat(300),
  "null",
  "undefined",
  "-1",
  "0",
);
const segmentText = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom("fuzz-env", "fuzz-two", "missing-env", "00000000-0000-0000-0000-000000000000") },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: fc.array(nasty, { minLength: 1, maxLength: 4 }).map((a) => a.join("")) },
);
/** Percent-encodes the UTF-8 bytes of `s` (lone surrogates included), leaving `keep` characters as they are. */
function pct(s: string, keep = /[\w.~-]/): string {
  let out = "";
  for (const ch of s)
    out += keep.test(ch) ? ch : [...Buffer.from(ch, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join("");
  return out;
}
/** Encoded as a client would, or with raw (possibly invalid) percent signs left in. */
const segment = fc.tuple(segmentText, fc.boolean()).map(([s, raw]) => (raw ? pct(s, /[\w.~%-]/) : pct(s)));

const query = fc.option(
  fc
    .array(
      fc.tuple(
        fc.constantFrom("q", "limit", "cursor", "names", "range", "x", "%00", "limit[]"),
        fc.oneof(fc.string({ maxLength: 20 }), nasty, fc.integer().map(String)),
      ),
      { maxLength: 3 },
    )
    .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${pct(v, /[\w.~%-]/)}`).join("&")}`),
  { nil: "" },
);

const validSpec = spec("fuzz-new") as unknown as Record<string, unknown>;
const SPEC_PATHS = [
  "name",
  "account",
  "region",
  "availabilityZones",
  "app",
  "app.version",
  "app.source",
  "app.source.kind",
  "app.source.userData",
  "instanceType",
  "capacity",
  "capacity.min",
  "capacity.desired",
  "capacity.max",
  "scaling.target",
  "healthCheck.path",
  "healthCheck.intervalSeconds",
  "database",
  "database.storageGb",
  "cloudfront",
  "rollout.canarySteps",
  "rollout.bakeMinutes",
  "autoRollback.max5xxRatePercent",
  "rollbackWindowMinutes",
  "protected",
];

function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(obj);
  const keys = dotted.split(".");
  let at: Record<string, unknown> = copy;
  for (const k of keys.slice(0, -1)) {
    if (!at[k] || typeof at[k] !== "object") at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
  return copy;
}

const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  nasty,
  fc.constant(null),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.double(),
  fc.constant([5]),
  fc.constant(""),
  fc.constant(true),
);
const body = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...SPEC_PATHS), jsonish)
      .map(([p, v]) => JSON.stringify(setPath({ ...validSpec, name: `fz-${Math.random().toString(36).slice(2, 8)}` }, p, v))),
  },
  { weight: 3, arbitrary: fc.record({ version: jsonish, strategy: jsonish }, { requiredKeys: [] }).map((o) => JSON.stringify(o)) },
  {
    weight: 2,
    arbitrary: fc
      .record({ min: jsonish, desired: jsonish, max: jsonish, target: jsonish, kind: jsonish }, { requiredKeys: [] })
      .map((o) => JSON.stringify(o)),
  },
  { weight: 2, arbitrary: jsonish.map((v) => JSON.stringify(v) ?? "null") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "null",
      "[]",
      "5",
      '"x"',
      "true",
      "{",
      "{]",
      "",
      "   ",
      "\u0000",
      '{"a":"\\u0000"}',
      '{"\\u0000":1}',
      "[".repeat(5_000),
      '{"a":'.repeat(2_000),
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
);

const request = fc
  .record({
    endpoint: fc.constantFrom(...ENDPOINTS),
    declared: fc.boolean(),
    methodIndex: fc.nat(),
    anyMethod: fc.constantFrom(...METHODS),
    params: fc.dictionary(fc.constantFrom("name", "id"), segment),
    query,
    body: fc.option(body, { nil: undefined, freq: 4 }),
    contentType: fc.constantFrom(
      "application/json",
      "application/json",
      "application/json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "application/json; charset=utf-16",
    ),
  })
  .map((r) => {
    const method = r.declared && r.endpoint.methods.length ? r.endpoint.methods[r.methodIndex % r.endpoint.methods.length] : r.anyMethod;
    const target =
      r.endpoint.template.replace(
        /\{(\w+)\}/g,
        (_, p: string) => r.params[p] ?? (p === "name" ? "fuzz-env" : "00000000-0000-0000-0000-000000000000"),
      ) + r.query;
    return {
      method,
      target,
      body: method === "GET" ? undefined : r.body,
      contentType: r.contentType,
      endpoint: `${method} ${r.endpoint.template}`,
    };
  });

beforeAll(async () => {
  // The local cloud this server would use is a closed port: operations the fuzz starts fail fast, touching nothing.
  await db.awsAccount.create({
    data: { name: "local", defaultRegion: "us-east-1", endpointUrl: `http://127.0.0.1:${await freePort()}`, isLocal: true },
  });
  server = await startAppServer({
    name: "fuzz",
    env: {
      SWITCHYARD_BOOTSTRAP_ADMIN_EMAIL: "admin@fuzz.test",
      SWITCHYARD_BOOTSTRAP_ADMIN_PASSWORD: "fuzz-password-12345",
      SWITCHYARD_BOOTSTRAP_TOKEN: TOKEN,
    },
  });
  for (const name of ["fuzz-env", "fuzz-two"]) {
    const r = await send("POST", "/api/v1/environments", JSON.stringify(spec(name)));
    expect(r.status, r.text).toBe(201);
  }
}, 600_000);

afterAll(async () => {
  console.log(
    `[fuzz] ${seen.total} requests over ${seen.byEndpoint.size} endpoint/method pairs; statuses ${JSON.stringify(Object.fromEntries([...seen.byStatus].sort(([a], [b]) => a - b)))}`,
  );
  await stopAllServers();
});

async function check(r: { method: string; target: string; body?: string; contentType?: string; endpoint?: string }) {
  const res = await send(r.method, r.target, r.body, r.contentType);
  seen.total += 1;
  seen.byStatus.set(res.status, (seen.byStatus.get(res.status) ?? 0) + 1);
  if (r.endpoint) seen.byEndpoint.set(r.endpoint, (seen.byEndpoint.get(r.endpoint) ?? 0) + 1);
  return res;
}

describe("REST API fuzz", () => {
  it("covers every REST endpoint", () => {
    const templates = ENDPOINTS.map((e) => e.template);
    expect(templates).toEqual(
      expect.arrayContaining([
        "/api/v1/environments",
        "/api/v1/environments/{name}",
        "/api/v1/environments/{name}/deployments/{id}/approve",
        "/api/v1/overview",
      ]),
    );
    expect(ENDPOINTS.length).toBeGreaterThanOrEqual(17);
  });

  it("answers the findings of the issue with 4xx: NUL bytes, a null body, broken percent-encoding", async () => {
    const cases: Array<[string, string, string?]> = [
      ["POST", "/api/v1/environments/fuzz-env/deployments", "null"],
      ["POST", "/api/v1/environments/fuzz-env/deployments", JSON.stringify({ version: "v\u00002" })],
      ["POST", "/api/v1/environments", JSON.stringify({ ...validSpec, name: "nul\u0000name" })],
      ["PATCH", "/api/v1/environments/fuzz-env", JSON.stringify({ app: { source: { kind: "al2023", userData: "#!/bin/sh\n\u0000" } } })],
      ["GET", "/api/v1/environments/fuzz%00env"],
      ["GET", "/api/v1/environments?q=%00"],
      ["GET", "/api/v1/environments/%E0%A4%A"],
      ["GET", "/api/v1/environments/fuzz-env/deployments/%ZZ"],
      ["POST", "/api/v1/environments/%C0/rollback", "{}"],
      ["PATCH", "/api/v1/environments/fuzz-env/scaling", "null"],
      ["POST", "/api/v1/environments/fuzz-env/drills", "[1]"],
    ];
    for (const [method, target, b] of cases) {
      const res = await check({ method, target, body: b });
      expect(res.status, `${method} ${target} ${b ?? ""}: ${res.text.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${method} ${target} ${b ?? ""}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
    }
  });

  it(`${RUNS} generated requests across every endpoint: no 5xx, and the server stays healthy`, async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const res = await check(r);
        if (res.status >= 500)
          throw new Error(
            `${r.method} ${r.target} (${r.contentType}) ${r.body === undefined ? "" : JSON.stringify(r.body.slice(0, 300))} -> ${res.status} ${res.text.slice(0, 300)}`,
          );
      }),
      { numRuns: RUNS, interruptAfterTimeLimit: 240_000 },
    );
    expect(seen.total).toBeGreaterThanOrEqual(Math.min(RUNS, 1_000));
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    const list = await send("GET", "/api/v1/environments");
    expect(list.status).toBe(200);
    // Every endpoint was reached with its declared methods.
    for (const e of ENDPOINTS)
      for (const m of e.methods) expect(seen.byEndpoint.get(`${m} ${e.template}`) ?? 0, `${m} ${e.template}`).toBeGreaterThan(0);
  }, 300_000);
});
