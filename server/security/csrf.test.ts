/**
 * Issue 14, finding 4: CSRF on the REST API. Before the fix a session cookie was accepted as API
 * auth with no Origin check and a `text/plain` body was parsed as JSON, so a page on another
 * origin (or a sibling subdomain) could create environments with a signed-in admin's cookie.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { DELETE as deleteEnvironmentRoute, PATCH as patchEnvironment } from "../../app/api/v1/environments/[name]/route.ts";
import { GET as listEnvironments, POST as createEnvironment } from "../../app/api/v1/environments/route.ts";
import { createApiToken } from "../auth/tokens.ts";
import { db } from "../db/client.ts";
import { appUrl } from "../env.ts";
import { admin, localAccount, spec } from "../../testing/fixtures.ts";
import { createUser, sessionCookie } from "./auth-test-helpers.ts";

let cookie = "";
let token = "";

beforeAll(async () => {
  await localAccount();
  const ada = await createUser("ada-csrf@example.com", "admin");
  cookie = await sessionCookie(ada.email, ada.password);
  token = (await createApiToken({ actor: admin, input: { name: "ci", role: "admin" } })).token;
});

const noParams = { params: Promise.resolve({}) };
const named = (name: string) => ({ params: Promise.resolve({ name }) });

function req(method: string, path: string, opts: { headers?: Record<string, string>; body?: string }) {
  return new Request(`${appUrl}${path}`, { method, headers: opts.headers, body: opts.body });
}

async function errorOf(res: Response) {
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

describe("cookie-authenticated API calls", () => {
  it("from a foreign origin are refused with 403 JSON and write nothing", async () => {
    const before = await db.environment.count();
    for (const origin of ["https://evil.example", "http://localhost:3001", "null"]) {
      const res = await createEnvironment(
        req("POST", "/api/v1/environments", {
          headers: { cookie, origin, "content-type": "application/json" },
          body: JSON.stringify(spec("csrf-foreign")),
        }),
        noParams,
      );
      expect(res.status, origin).toBe(403);
      expect((await errorOf(res)).message).toMatch(/only from Switchyard's own pages/);
    }
    // No Origin header: only a same-origin Sec-Fetch-Site lets it through.
    for (const site of ["cross-site", "same-site", "none"]) {
      const res = await createEnvironment(
        req("POST", "/api/v1/environments", {
          headers: { cookie, "sec-fetch-site": site, "content-type": "application/json" },
          body: JSON.stringify(spec("csrf-site")),
        }),
        noParams,
      );
      expect(res.status, site).toBe(403);
    }
    const bare = await createEnvironment(
      req("POST", "/api/v1/environments", {
        headers: { cookie, "content-type": "application/json" },
        body: JSON.stringify(spec("csrf-bare")),
      }),
      noParams,
    );
    expect(bare.status).toBe(403);
    const del = await deleteEnvironmentRoute(
      req("DELETE", "/api/v1/environments/anything", { headers: { cookie, origin: "https://evil.example" } }),
      named("anything"),
    );
    expect(del.status).toBe(403);
    expect(await db.environment.count()).toBe(before);
  });

  it("with a text/plain (or form) body are refused with 415, even from the same origin", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]) {
      const headers: Record<string, string> = { cookie, origin: appUrl };
      if (type) headers["content-type"] = type;
      const res = await createEnvironment(
        req("POST", "/api/v1/environments", { headers, body: JSON.stringify(spec("csrf-plain")) }),
        noParams,
      );
      expect(res.status, type).toBe(415);
      expect((await errorOf(res)).code).toBe("UNSUPPORTED_MEDIA_TYPE");
    }
    const patch = await patchEnvironment(
      req("PATCH", "/api/v1/environments/x", { headers: { cookie, origin: appUrl, "content-type": "text/plain" }, body: "{}" }),
      named("x"),
    );
    expect(patch.status).toBe(415);
    expect(await db.environment.count({ where: { name: "csrf-plain" } })).toBe(0);
  });

  it("from Switchyard's own pages with JSON go through, and reads are not affected", async () => {
    const res = await createEnvironment(
      req("POST", "/api/v1/environments", {
        headers: { cookie, origin: appUrl, "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(spec("csrf-own")),
      }),
      noParams,
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const viaFetchMetadata = await createEnvironment(
      req("POST", "/api/v1/environments", {
        headers: { cookie, "sec-fetch-site": "same-origin", "content-type": "application/json" },
        body: JSON.stringify(spec("csrf-own-2")),
      }),
      noParams,
    );
    expect(viaFetchMetadata.status).toBe(201);
    const list = await listEnvironments(
      req("GET", "/api/v1/environments", { headers: { cookie, origin: "https://evil.example" } }),
      noParams,
    );
    expect(list.status).toBe(200);
  });
});

describe("Bearer-token API calls", () => {
  it("are unaffected: no Origin needed, any origin, and the body's content type as before", async () => {
    const res = await createEnvironment(
      req("POST", "/api/v1/environments", {
        headers: { authorization: `Bearer ${token}`, origin: "https://ci.example", "content-type": "text/plain" },
        body: JSON.stringify(spec("csrf-token")),
      }),
      noParams,
    );
    expect(res.status, await res.clone().text()).toBe(201);
    const plain = await createEnvironment(
      req("POST", "/api/v1/environments", {
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify(spec("csrf-token-2")),
      }),
      noParams,
    );
    expect(plain.status).toBe(201);
  });

  it("a forged Bearer header with a valid cookie is not a way around the check", async () => {
    const res = await createEnvironment(
      req("POST", "/api/v1/environments", {
        headers: { cookie, authorization: "Bearer swy_forged", origin: "https://evil.example", "content-type": "application/json" },
        body: JSON.stringify(spec("csrf-forged")),
      }),
      noParams,
    );
    expect(res.status).toBe(401);
  });
});
