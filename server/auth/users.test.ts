import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import type { ServiceError } from "../errors.ts";
import { admin } from "../../testing/fixtures.ts";
import { auth } from "./auth.ts";
import { acceptInvite, createFirstAdmin, inviteUser, setUserRole } from "./users.ts";

describe("users", () => {
  it("creates the first admin once, then invites a viewer who signs in with their own password", async () => {
    const first = await createFirstAdmin({ input: { name: "Ada", email: "Ada@Example.com", password: "a-long-password-1" } });
    expect(first.email).toBe("ada@example.com");
    expect((await db.user.findUniqueOrThrow({ where: { id: first.id } })).role).toBe("admin");
    await expect(
      createFirstAdmin({ input: { name: "Eve", email: "eve@example.com", password: "a-long-password-2" } }),
    ).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });

    // Passwords are hashed by better-auth; the plain text is nowhere in the database.
    const account = await db.authAccount.findFirstOrThrow({ where: { userId: first.id } });
    expect(account.password).toBeTruthy();
    expect(account.password).not.toContain("a-long-password-1");

    const { token } = await inviteUser({ actor: admin, input: { email: "vic@example.com", role: "viewer" } });
    expect(JSON.stringify(await db.invite.findMany())).not.toContain(token);
    await acceptInvite({ input: { token, name: "Vic", password: "another-password-3" } });
    const vic = await db.user.findUniqueOrThrow({ where: { email: "vic@example.com" } });
    expect(vic.role).toBe("viewer");
    await expect(acceptInvite({ input: { token, name: "Vic", password: "another-password-3" } })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    const signIn = await auth.api.signInEmail({ body: { email: "vic@example.com", password: "another-password-3" } });
    expect(signIn.user.email).toBe("vic@example.com");
    await expect(auth.api.signInEmail({ body: { email: "vic@example.com", password: "wrong-password-00" } })).rejects.toBeTruthy();
  });

  it("refuses short passwords on the field and keeps at least one admin", async () => {
    const e = await createFirstAdmin({ input: { name: "A", email: "a@example.com", password: "short" } }).catch((x: ServiceError) => x);
    expect((e as ServiceError).fields?.password?.[0]).toMatch(/12 characters/);
    // The first test left exactly one admin (Ada): demoting her would leave none.
    expect(await db.user.count({ where: { role: "admin" } })).toBe(1);
    const only = await db.user.findFirstOrThrow({ where: { role: "admin" } });
    await expect(setUserRole({ actor: admin, input: { userId: only.id, role: "viewer" } })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
    });
  });
});
