import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth-forms";
import { userCount } from "@/server/auth/users.ts";
import { signInAction } from "../actions";

export const dynamic = "force-dynamic";

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  if ((await userCount()) === 0) redirect("/setup");
  const { next } = await searchParams;
  return <SignInForm action={signInAction} next={next} />;
}
