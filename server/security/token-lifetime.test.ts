/**
 * Issue 14, finding 12: API tokens never expired and kept their role after their creator was
 * demoted. Now a token has an optional expiry (90 days unless the admin chooses), an expired
 * token gets 401 saying so, and a token never acts above its creator's current role.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { GET as listEnvironmentsRoute } from "../../app/api/v1/environments/route.ts";
import { actorFromApiToken, createApiToken, listApiTokens } from "../auth/tokens.ts";
import { setUserRole } from "../auth/users.ts";
import { db } from "../db/client.ts";
import { appUrl } from "../env.ts";
import { createUser } from "./auth-test-helpers.ts";

const DAY = 24 * 3600 * 1000;
let ada: Awaited<ReturnType<typeof createUser>>;
let root: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  ada = await createUser("ada-tokens@example.com", "admin");
  root = await createUser("root-tokens@example.com", "admin");
});

const listWith = (token: string) =>
  listEnvironmentsRoute(new Request(`${appUrl}/api/v1/environments`, { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve({}),
  });

describe("token expiry", () => {
  it("defaults to 90 days, can be chosen or left open, and shows in the list", async () => {
    const t90 = await createApiToken({ actor: ada.actor, input: { name: "default", role: "viewer" } });
    const t7 = await createApiToken({ actor: ada.actor, input: { name: "week", role: "viewer", expiresIn: "7" } });
    const never = await createApiToken({ actor: ada.actor, input: { name: "forever", role: "viewer", expiresIn: "never" } });
    expect(Math.abs(t90.expiresAt!.getTime() - (Date.now() + 90 * DAY))).toBeLessThan(60_000);
    expect(Math.abs(t7.expiresAt!.getTime() - (Date.now() + 7 * DAY))).toBeLessThan(60_000);
    expect(never.expiresAt).toBeNull();
    await expect(createApiToken({ actor: ada.actor, input: { name: "odd", role: "viewer", expiresIn: "12" } })).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
    });

    const list = await listApiTokens({ actor: ada.actor });
    expect(list.find((t) => t.name === "default")).toMatchObject({ expiresAt: t90.expiresAt, expired: false, createdBy: ada.email });
    expect(list.find((t) => t.name === "forever")).toMatchObject({ expiresAt: null, expired: false });
  });

  it("an expired token is refused with 401 and a message that says it expired", async () => {
    const t = await createApiToken({ actor: ada.actor, input: { name: "old", role: "admin" } });
    expect((await listWith(t.token)).status).toBe(200);
    await db.apiToken.update({ where: { id: t.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const res = await listWith(t.token);
    expect(res.status).toBe(401);
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe("UNAUTHENTICATED");
    expect(error.message).toMatch(/This API token \(swy_.{6}…\) expired on \d{4}-\d\d-\d\dT.*Ask an admin for a new one/);
    expect((await listApiTokens({ actor: ada.actor })).find((x) => x.id === t.id)?.expired).toBe(true);
  });
});

describe("a token never exceeds its creator's current role", () => {
  it("demoting the creator brings the tokens down, with audit; promoting again does not raise them", async () => {
    const user = await createUser("dora-tokens@example.com", "admin");
    const adminTok = await createApiToken({ actor: user.actor, input: { name: "dora-admin", role: "admin" } });
    const deployTok = await createApiToken({ actor: user.actor, input: { name: "dora-deploy", role: "deployer" } });
    const viewTok = await createApiToken({ actor: user.actor, input: { name: "dora-view", role: "viewer" } });

    await setUserRole({ actor: root.actor, input: { userId: user.id, role: "deployer" } });
    const rows = await db.apiToken.findMany({ where: { createdById: user.id }, orderBy: { name: "asc" } });
    expect(rows.map((r) => [r.name, r.role])).toEqual([
      ["dora-admin", "deployer"],
      ["dora-deploy", "deployer"],
      ["dora-view", "viewer"],
    ]);
    expect((await actorFromApiToken(adminTok.token))?.role).toBe("deployer");
    const audit = await db.auditEvent.findFirstOrThrow({ where: { action: "api_token.downgrade", targetId: adminTok.id } });
    expect(audit).toMatchObject({ actorLabel: root.email, before: { role: "admin" }, after: { role: "deployer" } });

    await setUserRole({ actor: root.actor, input: { userId: user.id, role: "viewer" } });
    expect((await actorFromApiToken(deployTok.token))?.role).toBe("viewer");
    expect((await actorFromApiToken(viewTok.token))?.role).toBe("viewer");

    await setUserRole({ actor: root.actor, input: { userId: user.id, role: "admin" } });
    expect((await actorFromApiToken(adminTok.token))?.role).toBe("viewer");
  });

  it("even when the role changed outside Switchyard's verbs, the token acts at most with the creator's role", async () => {
    const user = await createUser("eve-tokens@example.com", "admin");
    const tok = await createApiToken({ actor: user.actor, input: { name: "eve", role: "admin" } });
    await db.user.update({ where: { id: user.id }, data: { role: "viewer" } });
    expect((await actorFromApiToken(tok.token))?.role).toBe("viewer");
    await db.user.update({ where: { id: user.id }, data: { banned: true } });
    expect(await actorFromApiToken(tok.token)).toBeNull();
  });
});
