"use server";

import { revalidatePath } from "next/cache";
import { authorisedAction } from "@/server/auth/authorised.ts";
import { createApiToken, revokeApiToken } from "@/server/auth/tokens.ts";
import type { ActionResult } from "@/server/result.ts";

const field = (fd: FormData, k: string) => String(fd.get(k) ?? "");

/** Creates a token; the plain token is in this result and nowhere else. */
export async function createTokenAction(
  _prev: ActionResult<{ token: string; name: string }> | null,
  fd: FormData,
): Promise<ActionResult<{ token: string; name: string }>> {
  const values = { name: field(fd, "name"), role: field(fd, "role"), expiresIn: field(fd, "expiresIn") || undefined };
  return authorisedAction(
    "admin",
    async (actor) => {
      const created = await createApiToken({ actor, input: values });
      revalidatePath("/admin/tokens");
      return { token: created.token, name: created.name };
    },
    { values },
  );
}

export async function revokeTokenAction(id: string): Promise<ActionResult> {
  return authorisedAction("admin", async (actor) => {
    await revokeApiToken({ actor, input: { id } });
    revalidatePath("/admin/tokens");
    return undefined;
  });
}
