import { redirect } from "next/navigation";
import { SetupForm } from "@/components/auth-forms";
import { userCount } from "@/server/auth/users.ts";
import { setupAction } from "../actions";

export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if ((await userCount()) > 0) redirect("/sign-in");
  return <SetupForm action={setupAction} />;
}
