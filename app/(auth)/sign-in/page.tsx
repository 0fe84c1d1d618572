import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth-forms";
import { ssoProvider } from "@/server/auth/sso.ts";
import { userCount } from "@/server/auth/users.ts";
import { signInAction, ssoSignInAction } from "../actions";

export const dynamic = "force-dynamic";

/** Why single sign-on came back without a session (better-auth's `?error=` codes), in words. */
function ssoError(code: string | undefined): string | undefined {
  if (!code) return undefined;
  if (code === "no_switchyard_role")
    return "Your identity provider account has no Switchyard role. Ask an admin to add you to a group that maps to one.";
  if (code === "sso_unavailable")
    return "Single sign-on is unavailable: Switchyard could not reach the identity provider. Try again in a moment.";
  return `Single sign-on failed (${code.replace(/[^a-z0-9_]/gi, "").slice(0, 60)}).`;
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  if ((await userCount()) === 0 && !ssoProvider) redirect("/setup");
  const { next, error } = await searchParams;
  return (
    <SignInForm
      action={signInAction}
      next={next}
      sso={ssoProvider ? { name: ssoProvider.name, action: ssoSignInAction } : undefined}
      error={ssoError(error)}
    />
  );
}
