/**
 * Issue 14, SSO: sign-in through an OpenID Connect provider configured by SWITCHYARD_OIDC_*,
 * with a claim mapped to a role. A real provider (oidc-provider, in this process, with its
 * development login and consent pages) and the full authorization-code flow with PKCE through
 * better-auth's HTTP handler, as a browser would follow it.
 */
import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import http from "node:http";
import Provider from "oidc-provider";
import { afterAll, describe, expect, it } from "vitest";

const people: Record<string, { email: string; name: string; groups: string[] }> = {
  alice: { email: "alice@corp.example", name: "Alice Admin", groups: ["staff", "platform-admins"] },
  dave: { email: "dave@corp.example", name: "Dave Deployer", groups: ["staff", "release"] },
  nora: { email: "nora@corp.example", name: "Nora Nobody", groups: ["contractors"] },
};

// The provider first: Switchyard reads its configuration (and the provider's discovery document) when it starts.
const idpServer = http.createServer();
await new Promise<void>((r) => idpServer.listen(0, "127.0.0.1", r));
const issuer = `http://127.0.0.1:${(idpServer.address() as AddressInfo).port}`;
const appUrl = "http://localhost:3000";
const clientSecret = randomBytes(24).toString("hex");
const provider = new Provider(issuer, {
  clients: [
    {
      client_id: "switchyard",
      client_secret: clientSecret,
      redirect_uris: [`${appUrl}/api/auth/callback/oidc`],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  conformIdTokenClaims: false,
  findAccount: async (_ctx, sub) => {
    const p = people[sub];
    return p
      ? { accountId: sub, claims: async () => ({ sub, email: p.email, email_verified: true, name: p.name, groups: p.groups }) }
      : undefined;
  },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ["sso-test-cookie-key-0123456789"] },
});
provider.on("server_error", (_ctx, err) => console.error("oidc-provider:", err));
idpServer.on("request", provider.callback());

const ssoEnv = {
  SWITCHYARD_URL: appUrl,
  SWITCHYARD_OIDC_ISSUER: issuer,
  SWITCHYARD_OIDC_CLIENT_ID: "switchyard",
  SWITCHYARD_OIDC_CLIENT_SECRET: clientSecret,
  SWITCHYARD_OIDC_NAME: "Corp SSO",
  SWITCHYARD_OIDC_SCOPES: "openid email profile groups",
  SWITCHYARD_OIDC_ROLE_CLAIM: "groups",
  SWITCHYARD_OIDC_ROLE_MAP: "platform-admins=admin,release=deployer,staff=viewer",
};
const envBefore = Object.fromEntries(Object.keys(ssoEnv).map((k) => [k, process.env[k]]));
Object.assign(process.env, ssoEnv);
const { auth } = await import("../auth/auth.ts");
const { db } = await import("../db/client.ts");
const { setUserRole } = await import("../auth/users.ts");
const { roleFromClaims, ssoProvider } = await import("../auth/sso.ts");
const { createUser } = await import("./auth-test-helpers.ts");

afterAll(async () => {
  // A worker process may run another test file next: leave its environment as it was.
  for (const [k, v] of Object.entries(envBefore)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await new Promise<void>((r) => idpServer.close(() => r()));
});

/** A browser's cookies for one site. */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1);
      if (!value || /max-age=0/i.test(c) || /expires=thu, 01 jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** Sends the app's requests through better-auth's handler (what /api/auth/[...all] serves). */
async function app(jar: Jar, url: string, init: { method?: string; body?: unknown } = {}) {
  const headers = new Headers({ origin: appUrl, cookie: jar.header() });
  if (init.body !== undefined) headers.set("content-type", "application/json");
  const res = await auth.handler(
    new Request(url, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: "manual",
    }),
  );
  jar.take(res);
  return res;
}

/** Follows the provider's redirects and fills its login and consent forms, until it sends the browser back to Switchyard. */
async function throughProvider(start: string, login: string): Promise<string> {
  const jar = new Jar();
  let url = start;
  let method = "GET";
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const res = await fetch(url, {
      method,
      redirect: "manual",
      headers: { cookie: jar.header(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body,
    });
    jar.take(res);
    method = "GET";
    body = undefined;
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url).toString();
      if (url.startsWith(appUrl)) return url;
      continue;
    }
    const html = await res.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`the provider answered ${res.status} without a form:\n${html.slice(0, 500)}`);
    const fields = new URLSearchParams();
    for (const [input] of html.matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(input)?.[1];
      if (name) fields.set(name, /value="([^"]*)"/.exec(input)?.[1] ?? "");
    }
    if (fields.has("login")) fields.set("login", login);
    if (fields.has("password")) fields.set("password", "any-password");
    url = new URL(action.replace(/&amp;/g, "&"), url).toString();
    method = "POST";
    body = fields.toString();
  }
  throw new Error("too many hops at the provider");
}

/** The whole sign-in as a browser does it; returns where Switchyard sends the browser at the end, and its cookies. */
async function signInWithSso(login: string, next = "/environments") {
  const jar = new Jar();
  const started = await app(jar, `${appUrl}/api/auth/sign-in/social`, {
    method: "POST",
    body: { provider: "oidc", callbackURL: next, errorCallbackURL: "/sign-in" },
  });
  expect(started.status, await started.clone().text()).toBe(200);
  const { url } = (await started.json()) as { url: string };
  expect(url.startsWith(`${issuer}/auth?`)).toBe(true);
  expect(new URL(url).searchParams.get("code_challenge_method")).toBe("S256");
  const callback = await throughProvider(url, login);
  expect(callback.startsWith(`${appUrl}/api/auth/callback/oidc?`)).toBe(true);
  const done = await app(jar, callback);
  expect(done.status).toBe(302);
  return { location: done.headers.get("location") ?? "", jar };
}

async function sessionOf(jar: Jar) {
  return auth.api.getSession({ headers: new Headers({ cookie: jar.header() }) });
}

describe("single sign-on through OpenID Connect", () => {
  it("is offered when configured", () => {
    expect(ssoProvider).toEqual({ id: "oidc", name: "Corp SSO" });
  });

  it("signs a new person in with the role their groups map to (platform-admins -> admin)", async () => {
    const { location, jar } = await signInWithSso("alice", "/environments/shop");
    expect(location).toBe("/environments/shop");
    const session = await sessionOf(jar);
    expect(session?.user).toMatchObject({ email: "alice@corp.example", name: "Alice Admin", role: "admin" });
    const account = await db.authAccount.findFirstOrThrow({ where: { userId: session!.user.id } });
    expect(account).toMatchObject({ providerId: "oidc", accountId: "alice", password: null });
    expect(await db.auditEvent.findFirst({ where: { action: "user.create_sso", targetId: session!.user.id } })).toMatchObject({
      actorLabel: "sso",
      after: { role: "admin" },
    });
  });

  it("maps the highest matching group (release -> deployer) and follows the provider at every sign-in", async () => {
    const first = await signInWithSso("dave");
    const user = (await sessionOf(first.jar))!.user;
    expect(user.role).toBe("deployer");
    // An admin raises Dave in Switchyard; the provider still says "release", so the next sign-in brings him back.
    await setUserRole({ actor: { kind: "system", id: null, label: "test", role: "admin" }, input: { userId: user.id, role: "admin" } });
    const again = await signInWithSso("dave");
    expect((await sessionOf(again.jar))?.user.role).toBe("deployer");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.set_role", targetId: user.id, actorLabel: "sso" } });
    expect(audit).toMatchObject({ before: { role: "admin" }, after: { role: "deployer" } });
  });

  it("refuses someone whose groups map to no role (SWITCHYARD_OIDC_DEFAULT_ROLE=none), creating nothing", async () => {
    const { location, jar } = await signInWithSso("nora");
    expect(location).toMatch(/^\/sign-in\?error=no_switchyard_role/);
    expect(await sessionOf(jar)).toBeNull();
    expect(await db.user.findUnique({ where: { email: "nora@corp.example" } })).toBeNull();
  });

  it("sits next to passwords: password users still sign in", async () => {
    const u = await createUser("pat-password@example.com", "viewer");
    const res = await auth.api.signInEmail({ body: { email: u.email, password: u.password } });
    expect(res.user.email).toBe(u.email);
  });

  it("maps claims at a dotted path, as strings or lists", () => {
    const config = {
      claim: "realm_access.roles",
      map: [
        { value: "ops", role: "deployer" as const },
        { value: "root", role: "admin" as const },
      ],
      defaultRole: "viewer" as const,
    };
    expect(roleFromClaims({ realm_access: { roles: ["ops", "root"] } }, config)).toBe("admin");
    expect(roleFromClaims({ realm_access: { roles: "ops" } }, config)).toBe("deployer");
    expect(roleFromClaims({}, config)).toBe("viewer");
    expect(roleFromClaims({ realm_access: { roles: [1, null] } }, { ...config, defaultRole: "none" as never })).toBe("none");
  });
});
