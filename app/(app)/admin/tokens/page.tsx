import { KeyRound } from "lucide-react";
import { RevokeTokenButton, TokenForm } from "@/components/admin/token-form";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { TimeAgo } from "@/components/time-ago";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requireSignedIn } from "@/server/auth/session.ts";
import { listApiTokens } from "@/server/auth/tokens.ts";
import { appUrl } from "@/server/env.ts";
import { createTokenAction, revokeTokenAction } from "./actions";

export const dynamic = "force-dynamic";

const breadcrumbs = [{ label: "Admin" }, { label: "API tokens" }];

export default async function TokensPage() {
  const actor = await requireSignedIn();
  if (actor.role !== "admin") {
    return (
      <>
        <PageHeader title="API tokens" breadcrumbs={breadcrumbs} />
        <Alert variant="warning" title="Only admins can manage API tokens" />
      </>
    );
  }
  const tokens = await listApiTokens({ actor });

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let scripts and CI call the REST API with a role. Only a hash is stored; the token itself is shown once."
        breadcrumbs={breadcrumbs}
      />
      <div className="grid gap-8">
        <TokenForm action={createTokenAction} appUrl={appUrl} />

        <section aria-labelledby="tokens-heading" className="grid gap-3">
          <h2 id="tokens-heading" className="text-sm font-semibold">
            Tokens <span className="font-normal text-muted-foreground">({tokens.length})</span>
          </h2>
          {tokens.length === 0 ? (
            <EmptyState
              icon={<KeyRound aria-hidden />}
              title="No API tokens yet"
              description="Create one above for your CI pipeline or scripts."
            />
          ) : (
            <Table aria-label="API tokens">
              <THead>
                <TR>
                  <TH>Name</TH>
                  <TH>Role</TH>
                  <TH>Token</TH>
                  <TH>Created</TH>
                  <TH>Expires</TH>
                  <TH>Last used</TH>
                  <TH>Status</TH>
                  <TH>
                    <span className="sr-only">Actions</span>
                  </TH>
                </TR>
              </THead>
              <TBody>
                {tokens.map((t) => (
                  <TR key={t.id} data-testid={`token-${t.name}`} className={t.revokedAt || t.expired ? "text-muted-foreground" : undefined}>
                    <TD className="font-medium">{t.name}</TD>
                    <TD>
                      <Badge variant="outline">{t.role}</Badge>
                    </TD>
                    <TD>
                      <code className="font-mono text-xs">{t.prefix}…</code>
                    </TD>
                    <TD className="text-muted-foreground">
                      <TimeAgo date={t.createdAt} />
                      {t.createdBy ? <span className="block text-xs">by {t.createdBy}</span> : null}
                    </TD>
                    <TD className="text-muted-foreground" data-testid={`token-${t.name}-expires`}>
                      {t.expiresAt ? <time dateTime={t.expiresAt.toISOString()}>{t.expiresAt.toISOString().slice(0, 10)}</time> : "Never"}
                    </TD>
                    <TD className="text-muted-foreground">{t.lastUsedAt ? <TimeAgo date={t.lastUsedAt} /> : "Never"}</TD>
                    <TD>
                      {t.revokedAt ? (
                        <Badge variant="secondary" title={`Revoked ${t.revokedAt.toISOString()}`}>
                          revoked
                        </Badge>
                      ) : t.expired ? (
                        <Badge variant="secondary">expired</Badge>
                      ) : (
                        <Badge variant="success">active</Badge>
                      )}
                    </TD>
                    <TD className="text-right">
                      {t.revokedAt || t.expired ? null : <RevokeTokenButton id={t.id} name={t.name} action={revokeTokenAction} />}
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
