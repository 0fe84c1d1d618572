import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { admin } from "../../testing/fixtures.ts";
import { hashToken } from "./secrets.ts";
import { actorFromApiToken, createApiToken, ensureBootstrapToken, revokeApiToken } from "./tokens.ts";

describe("API tokens", () => {
  it("are shown once, stored only as a hash, carry their role, and stop working when revoked", async () => {
    const created = await createApiToken({ actor: admin, input: { name: "ci", role: "deployer" } });
    expect(created.token).toMatch(/^swy_[A-Za-z0-9_-]{40}$/);
    const row = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).toBe(hashToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const actor = await actorFromApiToken(created.token);
    expect(actor).toMatchObject({ kind: "token", role: "deployer", label: "token:ci" });
    expect(await actorFromApiToken(`${created.token}x`)).toBeNull();

    await revokeApiToken({ actor: admin, input: { id: created.id } });
    expect(await actorFromApiToken(created.token)).toBeNull();

    const audit = await db.auditEvent.findMany({ where: { targetId: created.id }, orderBy: { at: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["api_token.create", "api_token.revoke"]);
    expect(JSON.stringify(audit)).not.toContain(created.token);
  });

  it("accepts an operator-chosen bootstrap token idempotently", async () => {
    const t = "bootstrap-token-0123456789abcdefghij";
    const a = await ensureBootstrapToken(t, null);
    const b = await ensureBootstrapToken(t, null);
    expect(a.id).toBe(b.id);
    expect((await actorFromApiToken(t))?.role).toBe("admin");
  });
});
