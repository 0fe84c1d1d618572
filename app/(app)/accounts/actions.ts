"use server";

import { revalidatePath } from "next/cache";
import { createAccount, deleteAccount, updateAccount } from "@/server/accounts/accounts.ts";
import { authorisedAction } from "@/server/auth/authorised.ts";
import type { ActionResult } from "@/server/result.ts";

const field = (fd: FormData, k: string) => String(fd.get(k) ?? "");

/** Creates an account, or updates it when the form carries an `id`. */
export async function saveAccountAction(
  _prev: ActionResult<{ name: string }> | null,
  fd: FormData,
): Promise<ActionResult<{ name: string }>> {
  const id = field(fd, "id");
  const values = {
    name: field(fd, "name"),
    defaultRegion: field(fd, "defaultRegion"),
    mode: field(fd, "mode"),
    roleArn: field(fd, "roleArn"),
    externalId: field(fd, "externalId"),
    endpointUrl: field(fd, "endpointUrl"),
  };
  return authorisedAction(
    "admin",
    async (actor) => {
      const row = id ? await updateAccount({ actor, input: { id, data: values } }) : await createAccount({ actor, input: values });
      revalidatePath("/accounts");
      return { name: row.name };
    },
    { values, message: id ? `Account ${values.name} updated` : `Account ${values.name} added` },
  );
}

export async function deleteAccountAction(id: string): Promise<ActionResult> {
  return authorisedAction("admin", async (actor) => {
    await deleteAccount({ actor, input: { id } });
    revalidatePath("/accounts");
    return undefined;
  });
}
