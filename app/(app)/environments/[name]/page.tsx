import Link from "next/link";
import { Suspense } from "react";
import { notFound } from "next/navigation";
import { Pencil } from "lucide-react";
import { DeleteEnvironmentButton, RestoreVersionButton } from "@/components/environments/environment-actions";
import { LivePanel } from "@/components/operations/live-panel";
import { HealthSection } from "@/components/dashboards/health-section";
import { runDrillAction, updateScalingAction } from "./dashboards";
import { livePanel } from "@/server/operations/live.ts";
import { appLinks } from "@/server/operations/app-links.ts";
import { cloudClock } from "@/server/operations/cloud-clock.ts";
import { EnvironmentStatus } from "@/components/environments/environment-status";
import { approveAction, cancelAction, deployAction, provisionAction, rollbackAction, teardownAction } from "./operations";
import { SpecSummary } from "@/components/environments/spec-summary";
import { CostBreakdown } from "@/components/environments/cost-estimate";
import { InstanceLogPanel } from "@/components/environments/instance-log-panel";
import { instanceLogAction } from "./instance-log";
import { RollbackReadinessSection } from "./readiness";
import { EnvironmentInsights } from "./insights-section";
import { estimateCost } from "@/server/costs/estimate.ts";
import { JsonDiff } from "@/components/json-diff";
import { PageHeader } from "@/components/page-header";
import { TimeAgo } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireSignedIn } from "@/server/auth/session.ts";
import { roleAtLeast } from "@/server/auth/roles.ts";
import { ServiceError } from "@/server/errors.ts";
import { getEnvironment, listSpecVersions } from "@/server/environments/queries.ts";
import { deleteEnvironmentAction, restoreVersionAction } from "../actions";
import { AdoptedNotice } from "@/components/environments/adopted-notice";
import { OsImagePanel } from "@/components/operations/os-image";
import { adoptedOf } from "@/server/adopt/record.ts";
import { osImages } from "@/server/operations/os-images.ts";
import { forgetAction, patchOsAction } from "../adopt/actions";

export const dynamic = "force-dynamic";

export default async function EnvironmentPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const actor = await requireSignedIn();
  const [found, versions, live, links, clock] = await Promise.all([
    getEnvironment({ actor, input: { name } }),
    listSpecVersions({ actor, input: { name } }),
    livePanel({ actor, input: { name } }),
    appLinks({ actor, input: { name } }),
    cloudClock({ actor, input: { name } }),
  ]).catch((e) => {
    if (e instanceof ServiceError && e.code === "NOT_FOUND") notFound();
    throw e;
  });
  const { environment, spec } = found;
  const isAdmin = roleAtLeast(actor.role, "admin");
  const adopted = adoptedOf(environment.adopted);
  // The images the fleets run (read from AWS); a failure is shown on the panel, never breaks the page.
  const images = environment.stack
    ? await osImages({ actor, input: { name } }).then(
        (value) => ({ value, error: null }),
        (e: unknown) => ({ value: null, error: e instanceof Error ? e.message : String(e) }),
      )
    : null;
  return (
    <>
      <PageHeader
        title={environment.name}
        breadcrumbs={[{ label: "Environments", href: "/environments" }, { label: environment.name }]}
        description={
          <EnvironmentStatus
            name={environment.name}
            initial={live}
            region={spec.region}
            account={spec.account}
            revision={environment.currentVersion}
            specVersion={spec.app.version}
            protectedEnv={spec.protected}
          />
        }
        actions={
          isAdmin ? (
            <div className="flex gap-2">
              <Button asChild size="sm">
                <Link href={`/environments/${environment.name}/edit`}>
                  <Pencil aria-hidden /> Edit
                </Link>
              </Button>
              <DeleteEnvironmentButton name={environment.name} action={deleteEnvironmentAction} />
            </div>
          ) : null
        }
      />
      {adopted ? <AdoptedNotice name={environment.name} adopted={adopted} canForget={isAdmin} forget={forgetAction} /> : null}
      <LivePanel
        name={environment.name}
        initial={live}
        role={actor.role}
        me={actor.label}
        specVersion={spec.app.version}
        links={links}
        actions={{
          provision: provisionAction,
          deploy: deployAction,
          rollback: rollbackAction,
          teardown: teardownAction,
          approve: approveAction,
          cancel: cancelAction,
        }}
      />
      <Suspense fallback={null}>
        <RollbackReadinessSection actor={actor} name={environment.name} />
      </Suspense>
      <HealthSection
        name={environment.name}
        role={actor.role}
        clock={clock}
        actions={{ updateScaling: updateScalingAction, runDrill: runDrillAction }}
      />
      {images ? (
        <OsImagePanel
          name={environment.name}
          images={images.value}
          error={images.error}
          canPatch={roleAtLeast(actor.role, "deployer")}
          patch={patchOsAction}
        />
      ) : null}
      {roleAtLeast(actor.role, "deployer") ? <InstanceLogPanel name={environment.name} read={instanceLogAction} /> : null}
      <EnvironmentInsights name={environment.name} actor={actor} />
      <h2 className="mt-8 mb-3 text-base font-semibold">Spec</h2>
      <SpecSummary spec={spec} />
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Estimated monthly cost</CardTitle>
          <CardDescription>What this spec costs on AWS per month, line by line.</CardDescription>
        </CardHeader>
        <CardContent>
          <CostBreakdown estimate={estimateCost(spec)} />
        </CardContent>
      </Card>
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Version history</CardTitle>
          <CardDescription>Every save is an immutable version. Restoring saves an old version as a new one.</CardDescription>
        </CardHeader>
        <CardContent>
          <ol className="grid gap-4" aria-label="Spec versions">
            {versions.map((v) => (
              <li key={v.version} className="rounded-md border p-3" data-testid={`version-${v.version}`}>
                <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
                  <span className="font-semibold">Version {v.version}</span>
                  {v.version === environment.currentVersion ? <Badge variant="success">current</Badge> : null}
                  <span className="text-muted-foreground">
                    by {v.createdBy} · <TimeAgo date={v.createdAt} />
                  </span>
                  {v.note ? <span className="text-muted-foreground">· {v.note}</span> : null}
                  {isAdmin && v.version !== environment.currentVersion ? (
                    <span className="ml-auto">
                      <RestoreVersionButton name={environment.name} version={v.version} action={restoreVersionAction} />
                    </span>
                  ) : null}
                </div>
                {v.version === 1 ? (
                  <p className="text-xs text-muted-foreground">Created.</p>
                ) : (
                  <JsonDiff rows={v.changes} beforeLabel={`v${v.version - 1}`} afterLabel={`v${v.version}`} />
                )}
              </li>
            ))}
          </ol>
        </CardContent>
      </Card>
    </>
  );
}
