"use server";

import { revalidatePath } from "next/cache";
import { authorisedAction } from "@/server/auth/authorised.ts";
import { inviteUser, revokeInvite, setUserRole } from "@/server/auth/users.ts";
import { appUrl } from "@/server/env.ts";
import type { ActionResult } from "@/server/result.ts";

const field = (fd: FormData, k: string) => String(fd.get(k) ?? "");

/** Invites someone; the link carries the only copy of the token and is returned once. */
export async function inviteAction(
  _prev: ActionResult<{ link: string; email: string }> | null,
  fd: FormData,
): Promise<ActionResult<{ link: string; email: string }>> {
  const values = { email: field(fd, "email"), role: field(fd, "role") };
  return authorisedAction(
    "admin",
    async (actor) => {
      const { token, invite } = await inviteUser({ actor, input: values });
      revalidatePath("/admin/users");
      return { link: `${appUrl}/invite/${token}`, email: invite.email };
    },
    { values },
  );
}

export async function setRoleAction(userId: string, role: string): Promise<ActionResult> {
  return authorisedAction("admin", async (actor) => {
    await setUserRole({ actor, input: { userId, role } });
    revalidatePath("/admin/users");
    return undefined;
  });
}

export async function revokeInviteAction(id: string): Promise<ActionResult> {
  return authorisedAction("admin", async (actor) => {
    await revokeInvite({ actor, input: { id } });
    revalidatePath("/admin/users");
    return undefined;
  });
}
