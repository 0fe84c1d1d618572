import Link from "next/link";
import { ScrollText } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { JsonDiff } from "@/components/json-diff";
import { PageHeader } from "@/components/page-header";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { auditActions, listAuditEvents } from "@/server/audit/list.ts";
import { requireSignedIn } from "@/server/auth/session.ts";
import { diffSpecs } from "@/server/environments/diff.ts";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() ?? "";

/** The page URL for a set of filters, dropping empty ones. */
function auditHref(params: Record<string, string>): string {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ""));
  const s = qs.toString();
  return s ? `/audit?${s}` : "/audit";
}

const isPresent = (v: unknown) => v !== null && v !== undefined;

/** Switchyard's own actions carry their reason ("Rolled back at 50%: ..."): shown in the row, not only in the JSON. */
const reasonOf = (after: unknown) =>
  after && typeof after === "object" && typeof (after as { reason?: unknown }).reason === "string"
    ? (after as { reason: string }).reason
    : null;

function Changes({ before, after }: { before: unknown; after: unknown }) {
  if (!isPresent(before) && !isPresent(after)) return <span className="text-muted-foreground">—</span>;
  const rows = isPresent(before) && isPresent(after) ? diffSpecs(before, after) : null;
  const count = rows ? `${rows.length} field${rows.length === 1 ? "" : "s"}` : isPresent(after) ? "after" : "before";
  return (
    <details className="group">
      <summary className="cursor-pointer text-xs font-medium text-muted-foreground select-none hover:text-foreground">
        Changes <span className="font-normal">({count})</span>
      </summary>
      <div className="mt-2 min-w-[22rem]">
        {rows ? (
          <JsonDiff rows={rows} />
        ) : (
          <div className="grid gap-1">
            <p className="text-xs text-muted-foreground">{isPresent(after) ? "After" : "Before"}</p>
            <pre className="max-h-64 overflow-auto rounded-md border bg-muted/40 p-2 font-mono text-xs">
              {JSON.stringify(isPresent(after) ? after : before, null, 2)}
            </pre>
          </div>
        )}
      </div>
    </details>
  );
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireSignedIn();
  const sp = await searchParams;
  const filters = { actor: one(sp.actor), action: one(sp.action), target: one(sp.target) };
  const before = one(sp.before);
  const [{ events, nextBefore }, actions] = await Promise.all([
    listAuditEvents({ actor, input: { ...filters, before: before || undefined, limit: 50 } }),
    auditActions(),
  ]);
  const filtered = Object.values(filters).some(Boolean);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through Switchyard: who, what, and the fields that changed. Newest first."
      />

      <form method="get" action="/audit" role="search" aria-label="Filter audit events" className="mb-4 flex flex-wrap items-end gap-3">
        <div className="grid gap-1.5">
          <Label htmlFor="audit-actor">Actor</Label>
          <Input
            id="audit-actor"
            name="actor"
            defaultValue={filters.actor}
            placeholder="email, token:name or switchyard"
            className="w-56 max-w-full"
          />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-action">Action</Label>
          <Select
            id="audit-action"
            name="action"
            defaultValue={filters.action}
            placeholder="All actions"
            options={(filters.action && !actions.includes(filters.action) ? [filters.action, ...actions] : actions).map((a) => ({
              value: a,
              label: a,
            }))}
            wrapperClassName="w-56"
          />
        </div>
        <div className="grid gap-1.5">
          <Label htmlFor="audit-target">Target</Label>
          <Input
            id="audit-target"
            name="target"
            defaultValue={filters.target}
            placeholder="environment, account, email…"
            className="w-56"
          />
        </div>
        <Button type="submit" variant="secondary">
          Filter
        </Button>
        {filtered || before ? (
          <Button asChild variant="ghost">
            <Link href="/audit">Clear</Link>
          </Button>
        ) : null}
      </form>

      {events.length === 0 ? (
        <EmptyState
          icon={<ScrollText aria-hidden />}
          title={filtered ? "No events match these filters" : "No events yet"}
          description={
            filtered
              ? "Try a shorter actor or target, or another action."
              : "Changes made by people, API tokens and Switchyard itself appear here."
          }
        />
      ) : (
        <Table aria-label="Audit events">
          <THead>
            <TR>
              <TH>Time</TH>
              <TH>Actor</TH>
              <TH>Action</TH>
              <TH>Target</TH>
              <TH>Changes</TH>
            </TR>
          </THead>
          <TBody>
            {events.map((e) => (
              <TR key={e.id} className="align-top" data-testid="audit-event">
                <TD className="align-top whitespace-nowrap text-muted-foreground">
                  <TimeAgo date={e.at} />
                </TD>
                <TD className="align-top">
                  <span className="flex flex-wrap items-center gap-1.5">
                    <span className="whitespace-nowrap">{e.actorLabel}</span>
                    <Badge variant="outline" className="text-muted-foreground">
                      {e.actorKind}
                    </Badge>
                  </span>
                </TD>
                <TD className="align-top">
                  <Badge variant="secondary" className="font-mono text-foreground">
                    {e.action}
                  </Badge>
                </TD>
                <TD className="align-top">
                  <span className="block text-xs text-muted-foreground">{e.targetType}</span>
                  <span className="whitespace-nowrap">{e.targetLabel ?? e.targetId ?? ""}</span>
                </TD>
                <TD className="w-full align-top">
                  {e.actorKind === "system" && reasonOf(e.after) ? (
                    <p className="mb-1 text-xs" data-testid="audit-reason">
                      Why: {reasonOf(e.after)}
                    </p>
                  ) : null}
                  <Changes before={e.before} after={e.after} />
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      {nextBefore || before ? (
        <nav aria-label="Pages" className="mt-4 flex justify-end gap-2">
          {before ? (
            <Button asChild variant="ghost" size="sm">
              <Link href={auditHref(filters)}>Newest</Link>
            </Button>
          ) : null}
          {nextBefore ? (
            <Button asChild variant="outline" size="sm">
              <Link href={auditHref({ ...filters, before: nextBefore })}>Older</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
