import Link from "next/link";
import { Layers, Plus } from "lucide-react";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { OverviewHealth, OverviewProvider, OverviewSparkline, OverviewSplit, OverviewVersion } from "@/components/dashboards/overview";
import { requireSignedIn } from "@/server/auth/session.ts";
import { roleAtLeast } from "@/server/auth/roles.ts";
import { countEnvironments, listEnvironments } from "@/server/environments/queries.ts";

export const dynamic = "force-dynamic";

export default async function EnvironmentsPage({ searchParams }: { searchParams: Promise<{ q?: string; after?: string }> }) {
  const actor = await requireSignedIn();
  const { q, after } = await searchParams;
  const [{ environments, nextCursor }, total] = await Promise.all([
    listEnvironments({ actor, input: { q, cursor: after, limit: 100 } }),
    countEnvironments({ actor }),
  ]);
  const canCreate = roleAtLeast(actor.role, "admin");
  return (
    <>
      <PageHeader
        title="Environments"
        description={`${total} environment${total === 1 ? "" : "s"}. Each is a VPC, a load balancer with blue and green fleets, an optional database and CloudFront.`}
        actions={
          canCreate ? (
            <div className="flex gap-2">
              <Button asChild variant="outline">
                <Link href="/environments/adopt">Adopt existing stack</Link>
              </Button>
              <Button asChild>
                <Link href="/environments/new">
                  <Plus aria-hidden /> New environment
                </Link>
              </Button>
            </div>
          ) : null
        }
      />
      <form className="mb-4 flex max-w-md gap-2" role="search">
        <Input name="q" defaultValue={q} placeholder="Filter by name" aria-label="Filter environments by name" />
        <Button type="submit" variant="outline">
          Filter
        </Button>
      </form>
      {environments.length === 0 ? (
        <EmptyState
          icon={<Layers />}
          title={q ? `No environment matches "${q}"` : "No environments yet"}
          description={canCreate ? "Create one to define its stack; you provision it when ready." : "An admin can create the first one."}
          action={
            canCreate && !q ? (
              <Button asChild>
                <Link href="/environments/new">New environment</Link>
              </Button>
            ) : null
          }
        />
      ) : (
        <OverviewProvider names={environments.filter((e) => e.status !== "draft").map((e) => e.name)}>
          <Table>
            <THead>
              <TR>
                <TH>Name</TH>
                <TH>Status</TH>
                <TH>App version</TH>
                <TH>Live</TH>
                <TH>Traffic</TH>
                <TH>Health</TH>
                <TH>Requests (1 h)</TH>
                <TH>Region</TH>
                <TH>Account</TH>
                <TH>Fleet</TH>
                <TH>Spec</TH>
                <TH>Updated</TH>
              </TR>
            </THead>
            <TBody>
              {environments.map((e) => (
                <TR key={e.id}>
                  <TD>
                    <Link href={`/environments/${e.name}`} className="font-medium hover:underline">
                      {e.name}
                    </Link>
                    {e.protected ? (
                      <Badge variant="warning" className="ml-2">
                        protected
                      </Badge>
                    ) : null}
                  </TD>
                  <TD>
                    <StatusBadge status={e.status} />
                  </TD>
                  <TD className="font-mono text-xs">{e.appVersion}</TD>
                  <TD>{e.status === "draft" ? "—" : <OverviewVersion name={e.name} />}</TD>
                  <TD>{e.status === "draft" ? "—" : <OverviewSplit name={e.name} />}</TD>
                  <TD>{e.status === "draft" ? "—" : <OverviewHealth name={e.name} />}</TD>
                  <TD>{e.status === "draft" ? "—" : <OverviewSparkline name={e.name} />}</TD>
                  <TD className="font-mono text-xs">{e.region}</TD>
                  <TD>{e.account}</TD>
                  <TD className="text-xs">
                    {e.instanceType} · {e.capacity.min}/{e.capacity.desired}/{e.capacity.max}
                  </TD>
                  <TD className="text-xs">v{e.version}</TD>
                  <TD>
                    <TimeAgo date={e.updatedAt} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </OverviewProvider>
      )}
      {nextCursor ? (
        <div className="mt-4 flex justify-end">
          <Button asChild variant="outline">
            <Link href={`/environments?${new URLSearchParams({ ...(q ? { q } : {}), after: nextCursor })}`}>Next page</Link>
          </Button>
        </div>
      ) : null}
    </>
  );
}
