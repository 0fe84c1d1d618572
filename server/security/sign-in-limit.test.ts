/**
 * Issue 14, finding 1: brute force through every way to sign in. Before the fix the sign-in
 * form's server action called `auth.api.signInEmail` with no limit at all (25 of 25 wrong
 * passwords processed, the right one accepted straight after), and better-auth's HTTP limit
 * was per process, keyed on X-Forwarded-For, and dodged by changing that header.
 */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { auth } from "../auth/auth.ts";
import { db } from "../db/client.ts";
import { authRequest, createUser } from "./auth-test-helpers.ts";
import { clientAddressOf, stampClientAddress } from "./client-address.ts";
import { SIGN_IN_LIMITS } from "./sign-in-limit.ts";

// The server action reads the request's headers and redirects through Next.js: stand-ins for both.
const next = vi.hoisted(() => ({ headers: new Headers() }));
vi.mock("next/headers", () => ({ headers: async () => next.headers, cookies: async () => ({ get: () => undefined, set: () => {} }) }));
vi.mock("next/navigation", () => ({
  redirect: (url: string) => {
    throw Object.assign(new Error(`redirect ${url}`), { digest: `NEXT_REDIRECT;replace;${url};307;`, url });
  },
}));
const { signInAction } = await import("../../app/(auth)/actions.ts");

const WRONG = "not-the-password-0";
let n = 0;
/** A different X-Forwarded-For on every request: an attacker rotating it. */
const rotatingForwardedFor = () => `203.0.113.${++n % 250}, 198.51.100.${n % 200}`;

function formData(email: string, password: string, nextPath = "") {
  const fd = new FormData();
  fd.set("email", email);
  fd.set("password", password);
  fd.set("next", nextPath);
  return fd;
}

/** One attempt through the sign-in form's server action, from `address` with a fresh forged X-Forwarded-For. */
async function viaForm(
  email: string,
  password: string,
  address: string,
): Promise<{ ok: boolean; code?: string; message?: string; redirectedTo?: string }> {
  next.headers = new Headers({ "x-forwarded-for": rotatingForwardedFor(), "x-real-ip": rotatingForwardedFor().split(",")[0] });
  stampClientAddress(next.headers, address);
  try {
    const res = await signInAction(null, formData(email, password, "/environments/shop"));
    return res.ok ? { ok: true } : { ok: false, code: res.code, message: res.message };
  } catch (e) {
    const url = (e as { url?: string }).url;
    if (url) return { ok: true, redirectedTo: url };
    throw e;
  }
}

/** One attempt through better-auth's HTTP handler (/api/auth/sign-in/email). */
async function viaHttp(email: string, password: string, address: string) {
  const res = await authRequest("/sign-in/email", {
    body: { email, password },
    address,
    headers: { "x-forwarded-for": rotatingForwardedFor() },
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => null)) as { message?: string } | null,
    retryAfter: res.headers.get("retry-after"),
  };
}

beforeEach(async () => {
  await db.signInLimit.deleteMany();
});

describe("the sign-in limit", () => {
  it("the form: 25 wrong passwords with a new X-Forwarded-For each, then the right one is refused", async () => {
    const u = await createUser("form-victim@example.com", "admin");
    const results = [];
    for (let i = 0; i < 25; i++) results.push(await viaForm(u.email, WRONG, "198.51.100.10"));
    expect(results.slice(0, 5).map((r) => r.code)).toEqual(Array(5).fill("UNAUTHENTICATED"));
    for (const r of results.slice(5)) {
      expect(r.code).toBe("RATE_LIMITED");
      expect(r.message).toMatch(/^Too many attempts; try again in 15 minutes\.$/);
    }
    const right = await viaForm(u.email, u.password, "198.51.100.10");
    expect(right).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    // Nor from another address: the account is what is locked.
    expect(await viaForm(u.email, u.password, "198.51.100.99")).toMatchObject({ ok: false, code: "RATE_LIMITED" });
    expect(await db.session.count({ where: { userId: u.id } })).toBe(0);
  });

  it("better-auth's HTTP handler: 25 wrong passwords with a new X-Forwarded-For each, then 429 for the right one too", async () => {
    const u = await createUser("http-victim@example.com", "deployer");
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await viaHttp(u.email, WRONG, "198.51.100.20")).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual(Array(20).fill(429));
    const right = await viaHttp(u.email, u.password, "198.51.100.21");
    expect(right.status).toBe(429);
    expect(right.body?.message).toMatch(/Too many attempts; try again in 15 minutes/);
    expect(Number(right.retryAfter)).toBeGreaterThan(14 * 60);
    expect(await db.session.count({ where: { userId: u.id } })).toBe(0);
  });

  it("server-side auth.api.signInEmail (no request at all) is counted by the same limit", async () => {
    const u = await createUser("api-victim@example.com", "viewer");
    for (let i = 0; i < 5; i++)
      await expect(auth.api.signInEmail({ body: { email: u.email, password: WRONG } })).rejects.toMatchObject({ statusCode: 401 });
    await expect(auth.api.signInEmail({ body: { email: u.email, password: u.password } })).rejects.toMatchObject({ statusCode: 429 });
    // The form and the HTTP handler see the same count: it is one limit.
    expect((await viaHttp(u.email, u.password, "198.51.100.30")).status).toBe(429);
    expect(await viaForm(u.email, u.password, "198.51.100.30")).toMatchObject({ code: "RATE_LIMITED" });
  });

  it("a success clears the account's count; the limit is per account, not global", async () => {
    const u = await createUser("careless@example.com", "viewer");
    const other = await createUser("bystander@example.com", "viewer");
    for (let i = 0; i < 4; i++) expect((await viaHttp(u.email, WRONG, "198.51.100.40")).status).toBe(401);
    expect((await viaHttp(u.email, u.password, "198.51.100.40")).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await viaHttp(u.email, WRONG, "198.51.100.40")).status).toBe(401);
    expect(await viaForm(u.email, u.password, "198.51.100.40")).toMatchObject({ ok: true, redirectedTo: "/environments/shop" });
    // Someone else locked out does not lock out a bystander.
    for (let i = 0; i < 8; i++) await viaHttp("locked@example.com", WRONG, "198.51.100.41");
    expect((await viaHttp(other.email, other.password, "198.51.100.41")).status).toBe(200);
  });

  it("parallel guesses cannot slip past the limit (each attempt is counted before the password is checked)", async () => {
    const u = await createUser("parallel@example.com", "viewer");
    const statuses = await Promise.all(Array.from({ length: 20 }, () => viaHttp(u.email, WRONG, "198.51.100.50").then((r) => r.status)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(SIGN_IN_LIMITS.account.max);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - SIGN_IN_LIMITS.account.max);
  });

  it("password spraying: one client address is limited across accounts, and a forged X-Forwarded-For does not give it a new one", async () => {
    const u = await createUser("sprayed@example.com", "viewer");
    // Most of the client's budget already spent (each wrong guess costs a password hash: 100 of them take a while).
    await db.signInLimit.create({
      data: { key: "client:198.51.100.60", windowStart: new Date(), attempts: SIGN_IN_LIMITS.client.max - 5 },
    });
    for (let i = 0; i < 5; i++) expect((await viaHttp(`nobody-${i}@example.com`, WRONG, "198.51.100.60")).status).toBe(401);
    expect((await viaHttp(u.email, u.password, "198.51.100.60")).status).toBe(429);
    expect(await viaForm(u.email, u.password, "198.51.100.60")).toMatchObject({ code: "RATE_LIMITED" });
    // Another client signs in to the same account normally.
    expect((await viaHttp(u.email, u.password, "198.51.100.61")).status).toBe(200);
  });

  it("a client cannot forge the address stamp", async () => {
    const forged = new Headers({ "x-switchyard-client": "0000 10.9.9.9" });
    expect(clientAddressOf(forged)).toBe("unknown");
    const stamped = new Headers();
    stampClientAddress(stamped, "10.9.9.9");
    expect(clientAddressOf(stamped)).toBe("10.9.9.9");
  });
});
