/**
 * Issue 14, finding 6: the last-admin rule and the audit log were bypassed through better-auth's
 * admin plugin endpoints (`/api/auth/admin/set-role`, `create-user`, `impersonate-user`: 0
 * admins left, 0 audit rows), and two admins demoting each other at once left 0 admins in 5 of
 * 5 tries (a count check without a lock).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { setUserRole } from "../auth/users.ts";
import { authRequest, createUser, sessionCookie } from "./auth-test-helpers.ts";

let ada: Awaited<ReturnType<typeof createUser>>;
let vic: Awaited<ReturnType<typeof createUser>>;
let cookie = "";

beforeAll(async () => {
  ada = await createUser("ada-admin@example.com", "admin");
  vic = await createUser("vic-viewer@example.com", "viewer");
  cookie = await sessionCookie(ada.email, ada.password);
});

/** Every write endpoint of the admin plugin, with a body that would succeed for an admin. */
const endpoints = () =>
  [
    ["/admin/set-role", { userId: ada.id, role: "viewer" }],
    ["/admin/create-user", { email: "mallory@example.com", password: "mallory-password-1", name: "Mallory", role: "admin" }],
    ["/admin/impersonate-user", { userId: vic.id }],
    ["/admin/ban-user", { userId: vic.id }],
    ["/admin/unban-user", { userId: vic.id }],
    ["/admin/remove-user", { userId: vic.id }],
    ["/admin/set-user-password", { userId: vic.id, newPassword: "taken-over-password-1" }],
    ["/admin/update-user", { userId: vic.id, data: { role: "admin" } }],
    ["/admin/revoke-user-session", { sessionToken: "x" }],
    ["/admin/revoke-user-sessions", { userId: vic.id }],
    ["/admin/stop-impersonating", {}],
    ["/admin/has-permission", { permissions: { user: ["set-role"] } }],
  ] as const;

describe("better-auth's admin plugin over HTTP", () => {
  it("every endpoint answers 404 to a signed-in admin, and nothing changes", async () => {
    const auditBefore = await db.auditEvent.count();
    for (const [path, body] of endpoints()) {
      const res = await authRequest(path, { body, cookie });
      expect(res.status, path).toBe(404);
    }
    for (const path of ["/admin/list-users", `/admin/get-user?id=${vic.id}`, "/admin/list-user-sessions"]) {
      expect((await authRequest(path, { cookie })).status, path).toBe(404);
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: ada.id } })).role).toBe("admin");
    expect(await db.user.findUnique({ where: { email: "mallory@example.com" } })).toBeNull();
    const v = await db.user.findUniqueOrThrow({ where: { id: vic.id } });
    expect([v.role, v.banned]).toEqual(["viewer", false]);
    expect(await db.session.count({ where: { impersonatedBy: { not: null } } })).toBe(0);
    expect(await db.auditEvent.count()).toBe(auditBefore);
  });

  it("other spellings of the path are refused too", async () => {
    for (const path of [
      "//admin/set-role",
      "/ADMIN/set-role",
      "/%61dmin/set-role",
      "/admin/%73et-role",
      "/admin//set-role",
      "/x/../admin/set-role",
      "/admin/set-role/",
    ]) {
      const res = await authRequest(path, { body: { userId: ada.id, role: "viewer" }, cookie });
      expect([403, 404], path).toContain(res.status);
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: ada.id } })).role).toBe("admin");
  });

  it("Switchyard's own verb changes roles, with audit", async () => {
    await setUserRole({ actor: ada.actor, input: { userId: vic.id, role: "deployer" } });
    expect((await db.user.findUniqueOrThrow({ where: { id: vic.id } })).role).toBe("deployer");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "user.set_role", targetId: vic.id } });
    expect(audit).toMatchObject({ actorLabel: ada.email, before: { role: "viewer" }, after: { role: "deployer" } });
  });
});

describe("the last-admin rule", () => {
  it("holds when two admins demote each other at the same moment (20 races)", async () => {
    const a = await createUser("race-a@example.com", "admin");
    const b = await createUser("race-b@example.com", "admin");
    // Only these two are admins while they race.
    await db.user.updateMany({ where: { role: "admin", id: { notIn: [a.id, b.id] } }, data: { role: "deployer" } });
    for (let round = 0; round < 20; round++) {
      await db.user.updateMany({ where: { id: { in: [a.id, b.id] } }, data: { role: "admin" } });
      const outcomes = await Promise.allSettled([
        setUserRole({ actor: a.actor, input: { userId: b.id, role: "viewer" } }),
        setUserRole({ actor: b.actor, input: { userId: a.id, role: "viewer" } }),
      ]);
      expect(await db.user.count({ where: { role: "admin" } }), `round ${round}`).toBe(1);
      expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: "PRECONDITION_FAILED", message: "Switchyard needs at least one admin." });
    }
  });
});
