import { AcceptInviteForm } from "@/components/auth-forms";
import { Alert } from "@/components/ui/alert";
import { findOpenInvite } from "@/server/auth/users.ts";
import { acceptInviteAction } from "../../actions";

export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await findOpenInvite(token);
  if (!invite) return <Alert variant="destructive">This invitation is invalid, already used or expired. Ask an admin for a new one.</Alert>;
  return <AcceptInviteForm action={acceptInviteAction} token={token} email={invite.email} role={invite.role} />;
}
