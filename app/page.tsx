import { redirect } from "next/navigation";
import { userCount } from "@/server/auth/users.ts";

export const dynamic = "force-dynamic";

export default async function Home() {
  redirect((await userCount()) === 0 ? "/setup" : "/environments");
}
