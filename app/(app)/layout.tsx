import { AppShell } from "@/components/app-shell";
import { AppQueryProvider } from "@/components/query-provider";
import { requireSignedIn } from "@/server/auth/session.ts";
import { db } from "@/server/db/client.ts";
import { signOutAction } from "../(auth)/actions";

export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireSignedIn();
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id! }, select: { name: true, email: true } });
  return (
    <AppShell user={{ ...user, role: actor.role }} signOutAction={signOutAction}>
      <AppQueryProvider>{children}</AppQueryProvider>
    </AppShell>
  );
}
