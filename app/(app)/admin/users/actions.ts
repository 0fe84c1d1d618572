"use server";

import { revalidatePath } from "next/cache";
import { requireRole } from "@/server/auth/actor.ts";
import { currentActor } from "@/server/auth/session.ts";
import { inviteUser, revokeInvite, setUserRole } from "@/server/auth/users.ts";
import { appUrl } from "@/server/env.ts";
import { runAction, type ActionResult } from "@/server/result.ts";

const field = (fd: FormData, k: string) => String(fd.get(k) ?? "");

/** Invites someone; the link carries the only copy of the token and is returned once. */
export async function inviteAction(
  _prev: ActionResult<{ link: string; email: string }> | null,
  fd: FormData,
): Promise<ActionResult<{ link: string; email: string }>> {
  const values = { email: field(fd, "email"), role: field(fd, "role") };
  return runAction(
    async () => {
      const { token, invite } = await inviteUser({ actor: requireRole(await currentActor(), "admin"), input: values });
      revalidatePath("/admin/users");
      return { link: `${appUrl}/invite/${token}`, email: invite.email };
    },
    { values },
  );
}

export async function setRoleAction(userId: string, role: string): Promise<ActionResult> {
  return runAction(async () => {
    await setUserRole({ actor: requireRole(await currentActor(), "admin"), input: { userId, role } });
    revalidatePath("/admin/users");
    return undefined;
  });
}

export async function revokeInviteAction(id: string): Promise<ActionResult> {
  return runAction(async () => {
    await revokeInvite({ actor: requireRole(await currentActor(), "admin"), input: { id } });
    revalidatePath("/admin/users");
    return undefined;
  });
}
