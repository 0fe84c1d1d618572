import { InviteForm, RevokeInviteButton } from "@/components/admin/invite-form";
import { RoleSelect } from "@/components/admin/role-select";
import { PageHeader } from "@/components/page-header";
import { TimeAgo } from "@/components/time-ago";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requireSignedIn } from "@/server/auth/session.ts";
import { isRole } from "@/server/auth/roles.ts";
import { listInvites, listUsers } from "@/server/auth/users.ts";
import { inviteAction, revokeInviteAction, setRoleAction } from "./actions";

export const dynamic = "force-dynamic";

const breadcrumbs = [{ label: "Admin" }, { label: "Users" }];

export default async function UsersPage() {
  const actor = await requireSignedIn();
  if (actor.role !== "admin") {
    return (
      <>
        <PageHeader title="Users" breadcrumbs={breadcrumbs} />
        <Alert variant="warning" title="Only admins can manage users" />
      </>
    );
  }
  const [users, invites] = await Promise.all([listUsers({ actor }), listInvites({ actor })]);

  return (
    <>
      <PageHeader title="Users" description="Who can sign in to Switchyard, and what each person may do." breadcrumbs={breadcrumbs} />
      <div className="grid gap-8">
        <InviteForm action={inviteAction} />

        <section aria-labelledby="users-heading" className="grid gap-3">
          <h2 id="users-heading" className="text-sm font-semibold">
            Members <span className="font-normal text-muted-foreground">({users.length})</span>
          </h2>
          <Table aria-label="Users">
            <THead>
              <TR>
                <TH>Name</TH>
                <TH>Email</TH>
                <TH>Role</TH>
                <TH>Joined</TH>
              </TR>
            </THead>
            <TBody>
              {users.map((u) => {
                const self = u.id === actor.id;
                return (
                  <TR key={u.id} data-testid={`user-${u.email}`}>
                    <TD className="font-medium">
                      <span className="flex items-center gap-2">
                        {u.name}
                        {self ? <Badge variant="secondary">you</Badge> : null}
                        {u.banned ? <Badge variant="destructive">banned</Badge> : null}
                      </span>
                    </TD>
                    <TD className="break-all">{u.email}</TD>
                    <TD>
                      <RoleSelect
                        userId={u.id}
                        email={u.email}
                        role={isRole(u.role) ? u.role : "viewer"}
                        action={setRoleAction}
                        disabled={self}
                        disabledReason="Another admin can change your role: changing it yourself would sign you out."
                      />
                    </TD>
                    <TD className="text-muted-foreground">
                      <TimeAgo date={u.createdAt} />
                    </TD>
                  </TR>
                );
              })}
            </TBody>
          </Table>
        </section>

        <section aria-labelledby="invites-heading" className="grid gap-3">
          <h2 id="invites-heading" className="text-sm font-semibold">
            Pending invitations <span className="font-normal text-muted-foreground">({invites.length})</span>
          </h2>
          {invites.length === 0 ? (
            <p className="rounded-lg border border-dashed px-4 py-6 text-center text-sm text-muted-foreground">No open invitations.</p>
          ) : (
            <Table aria-label="Pending invitations">
              <THead>
                <TR>
                  <TH>Email</TH>
                  <TH>Role</TH>
                  <TH>Expires</TH>
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                </TR>
              </THead>
              <TBody>
                {invites.map((i) => (
                  <TR key={i.id} data-testid={`invite-${i.email}`}>
                    <TD className="break-all">{i.email}</TD>
                    <TD>
                      <Badge variant="outline">{i.role}</Badge>
                    </TD>
                    <TD className="text-muted-foreground">
                      <TimeAgo date={i.expiresAt} />
                    </TD>
                    <TD className="text-right">
                      <RevokeInviteButton id={i.id} email={i.email} action={revokeInviteAction} />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </section>
      </div>
    </>
  );
}
