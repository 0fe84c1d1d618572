import Link from "next/link";
import { notFound } from "next/navigation";
import { DeployMetricCharts } from "@/components/deploy-metrics/metric-charts";
import { MetricCards } from "@/components/deploy-metrics/metric-cards";
import { GameDaysTable, IncidentsTable } from "@/components/deploy-metrics/history-tables";
import { formatDuration, formatPercent } from "@/components/deploy-metrics/format";
import { PageHeader } from "@/components/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { requireSignedIn } from "@/server/auth/session.ts";
import { readDeployMetrics } from "@/server/deploy-metrics/read.ts";
import { ServiceError } from "@/server/errors.ts";

export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** Deploy metrics (DORA's four keys) over 7, 30 or 90 days, overall or for one environment. */
export default async function InsightsPage({ searchParams }: { searchParams: SearchParams }) {
  const q = await searchParams;
  const actor = await requireSignedIn();
  const days = [7, 30, 90].includes(Number(one(q.days))) ? Number(one(q.days)) : 30;
  const environment = one(q.environment);
  const m = await readDeployMetrics({ actor, input: { days, environment } }).catch((e) => {
    if (e instanceof ServiceError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const href = (d: number, env?: string) => `/insights?days=${d}${env ? `&environment=${encodeURIComponent(env)}` : ""}`;
  return (
    <>
      <PageHeader
        title="Deploy metrics"
        breadcrumbs={environment ? [{ label: "Deploy metrics", href: href(days) }, { label: environment }] : undefined}
        description={`Deploy frequency, lead time, change failure rate and time to restore${environment ? ` for ${environment}` : " across environments"}, from Switchyard's own rollouts and rollbacks.`}
      />
      <nav className="mb-4 flex items-center gap-2 text-sm" aria-label="Window">
        {[7, 30, 90].map((d) => (
          <Link
            key={d}
            href={href(d, environment)}
            aria-current={d === days ? "page" : undefined}
            className="rounded-md border px-3 py-1 aria-[current=page]:bg-primary aria-[current=page]:text-primary-foreground"
          >
            {d} days
          </Link>
        ))}
        {environment ? (
          <Link href={href(days)} className="ml-2 text-muted-foreground underline">
            all environments
          </Link>
        ) : null}
      </nav>
      <MetricCards summary={m.overall} days={days} />
      <div className="mt-4">
        <DeployMetricCharts daily={m.daily} />
      </div>
      {!environment ? (
        <>
          <h2 className="mt-8 mb-3 text-base font-semibold">By environment</h2>
          {m.environments.length ? (
            <Table aria-label="By environment">
              <THead>
                <TR>
                  <TH>Environment</TH>
                  <TH>Deploys</TH>
                  <TH>Lead time (median)</TH>
                  <TH>Change failure rate</TH>
                  <TH>Time to restore (median)</TH>
                </TR>
              </THead>
              <TBody>
                {m.environments.map((e) => (
                  <TR key={e.name}>
                    <TD>
                      <Link className="underline" href={href(days, e.name)}>
                        {e.name}
                      </Link>
                    </TD>
                    <TD className="tabular-nums">{e.deploys}</TD>
                    <TD className="tabular-nums">{formatDuration(e.leadTimeMedianMs)}</TD>
                    <TD className="tabular-nums">
                      {formatPercent(e.changeFailureRatePercent)} ({e.failedChanges} of {e.endedRollouts})
                    </TD>
                    <TD className="tabular-nums">{formatDuration(e.restoreMedianMs)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          ) : (
            <p className="text-sm text-muted-foreground">No rollout ended in this window.</p>
          )}
        </>
      ) : null}
      <h2 className="mt-8 mb-3 text-base font-semibold">Incidents</h2>
      <IncidentsTable incidents={m.incidents} />
      <h2 className="mt-8 mb-3 text-base font-semibold">Game days</h2>
      <GameDaysTable gameDays={m.gameDays} />
    </>
  );
}
