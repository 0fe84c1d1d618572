"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { auth } from "@/server/auth/auth.ts";
import { ssoProvider } from "@/server/auth/sso.ts";
import { acceptInvite, createFirstAdmin, emailSchema } from "@/server/auth/users.ts";
import { ServiceError } from "@/server/errors.ts";
import { logger } from "@/server/log.ts";
import { runAction, type ActionResult } from "@/server/result.ts";
import { safeRedirectPath } from "@/server/security/redirect.ts";

const field = (fd: FormData, k: string) => String(fd.get(k) ?? "");

async function signIn(email: string, password: string) {
  await auth.api.signInEmail({ body: { email, password }, headers: await headers() });
}

export async function setupAction(_prev: ActionResult | null, fd: FormData): Promise<ActionResult> {
  const values = { name: field(fd, "name"), email: field(fd, "email") };
  const res = await runAction(
    async () => {
      const input = { ...values, password: field(fd, "password") };
      await createFirstAdmin({ input });
      await signIn(input.email.trim().toLowerCase(), input.password);
    },
    { values },
  );
  if (res.ok) redirect("/environments");
  return res;
}

export async function signInAction(_prev: ActionResult | null, fd: FormData): Promise<ActionResult> {
  const values = { email: field(fd, "email") };
  const res = await runAction(
    async () => {
      const email = emailSchema.safeParse(values.email);
      if (!email.success)
        throw new ServiceError("VALIDATION_FAILED", "Enter a valid email address", { email: ["Enter a valid email address"] });
      try {
        await signIn(email.data, field(fd, "password"));
      } catch (e) {
        const status = (e as { statusCode?: number }).statusCode;
        // The sign-in limit (server/security/sign-in-limit.ts) says how long to wait.
        if (status === 429) throw new ServiceError("RATE_LIMITED", (e as Error).message || "Too many attempts; try again later.");
        if (status && status < 500) throw new ServiceError("UNAUTHENTICATED", "Wrong email or password.");
        throw e;
      }
    },
    { values },
  );
  // Only a path on this site: an open redirect would let a link send people anywhere after sign-in.
  if (res.ok) redirect(safeRedirectPath(field(fd, "next")));
  return res;
}

/** Starts single sign-on: to the identity provider, back to `next` (checked the same way). */
export async function ssoSignInAction(fd: FormData): Promise<void> {
  if (!ssoProvider) redirect("/sign-in");
  let url: string | undefined;
  try {
    ({ url } = await auth.api.signInSocial({
      body: { provider: ssoProvider.id, callbackURL: safeRedirectPath(field(fd, "next")), errorCallbackURL: "/sign-in" },
      headers: await headers(),
    }));
  } catch (e) {
    // The provider's discovery document could not be read (better-auth retries on the next click).
    logger.warn("sso: could not start sign-in", { error: e instanceof Error ? e.message : String(e) });
  }
  redirect(url ?? "/sign-in?error=sso_unavailable");
}

export async function acceptInviteAction(_prev: ActionResult | null, fd: FormData): Promise<ActionResult> {
  const values = { name: field(fd, "name") };
  const res = await runAction(
    async () => {
      const password = field(fd, "password");
      const { email } = await acceptInvite({ input: { token: field(fd, "token"), name: values.name, password } });
      await signIn(email, password);
    },
    { values },
  );
  if (res.ok) redirect("/environments");
  return res;
}

export async function signOutAction() {
  await auth.api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
