import { Cloud } from "lucide-react";
import { AccountDialog, RemoveAccountButton } from "@/components/admin/account-form";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listAccounts } from "@/server/accounts/accounts.ts";
import { requireSignedIn } from "@/server/auth/session.ts";
import { REGIONS } from "@/server/catalog/aws.ts";
import { deleteAccountAction, saveAccountAction } from "./actions";

export const dynamic = "force-dynamic";

const regionOptions = Object.entries(REGIONS).map(([code, r]) => ({ value: code, label: `${code} (${r.name})` }));

export default async function AccountsPage() {
  const actor = await requireSignedIn();
  const accounts = await listAccounts({ actor });
  const isAdmin = actor.role === "admin";

  return (
    <>
      <PageHeader
        title="AWS accounts"
        description="Switchyard assumes each account's role with the default AWS credential chain of the machine it runs on; nothing secret is stored."
        actions={isAdmin ? <AccountDialog action={saveAccountAction} regions={regionOptions} /> : null}
      />
      {accounts.length === 0 ? (
        <EmptyState
          icon={<Cloud aria-hidden />}
          title="No AWS accounts yet"
          description={isAdmin ? "Add an account to create environments in it." : "An admin adds the accounts environments live in."}
        />
      ) : (
        <Table aria-label="AWS accounts">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Reached through</TH>
              <TH>Default region</TH>
              <TH className="text-right">Environments</TH>
              <TH>Created</TH>
              {isAdmin ? (
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              ) : null}
            </TR>
          </THead>
          <TBody>
            {accounts.map((a) => (
              <TR key={a.id} data-testid={`account-${a.name}`}>
                <TD>
                  <span className="flex items-center gap-2 font-medium whitespace-nowrap">
                    {a.name}
                    {a.isLocal ? <Badge variant="info">local cloud</Badge> : null}
                  </span>
                </TD>
                <TD className="max-w-[28rem]">
                  {a.roleArn ? (
                    <span>
                      <span className="text-muted-foreground">Role </span>
                      <code className="font-mono text-xs break-all">{a.roleArn}</code>
                      {a.externalId ? <span className="ml-1 text-xs text-muted-foreground">(with external ID)</span> : null}
                    </span>
                  ) : (
                    <span>
                      <span className="text-muted-foreground">Endpoint </span>
                      <code className="font-mono text-xs break-all">{a.endpointUrl}</code>
                    </span>
                  )}
                </TD>
                <TD>
                  <span className="font-mono text-xs">{a.defaultRegion}</span>
                </TD>
                <TD className="text-right tabular-nums">{a.environmentCount}</TD>
                <TD className="text-muted-foreground">
                  <TimeAgo date={a.createdAt} />
                </TD>
                {isAdmin ? (
                  <TD>
                    <div className="flex justify-end gap-1">
                      <AccountDialog
                        action={saveAccountAction}
                        regions={regionOptions}
                        account={{
                          id: a.id,
                          name: a.name,
                          defaultRegion: a.defaultRegion,
                          roleArn: a.roleArn,
                          externalId: a.externalId,
                          endpointUrl: a.endpointUrl,
                        }}
                      />
                      <RemoveAccountButton id={a.id} name={a.name} action={deleteAccountAction} />
                    </div>
                  </TD>
                ) : null}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </>
  );
}
