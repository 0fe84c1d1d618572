"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bomb, DatabaseZap } from "lucide-react";
import type { ScalingView } from "@/server/operations/scaling.ts";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import type { DashboardActions } from "./health-section";
import { useLive } from "@/components/operations/live-query";
import { formatDateTime } from "@/components/time-ago";
import type { CloudClock } from "@/server/operations/cloud-clock.ts";
import { CapacityForm } from "./capacity-form";
import { clockTime } from "./format";
import { dashboardKeys, getJson, REFRESH_MS } from "./query-keys";

const HEALTH_TONE: Record<string, string> = {
  healthy: "text-green-700",
  unhealthy: "text-red-700",
  initial: "text-amber-700",
  draining: "text-slate-500",
};

/**
 * Instances of both fleets, scaling activities with causes, the live fleet's capacity form and
 * the failure drills. Which fleet is live comes from the page's shared live query, so after a
 * rollback the form offers the new live fleet at once, as the traffic panel says.
 */
export function ScalingPanel({
  name,
  role,
  actions,
  clock,
}: {
  name: string;
  role: "viewer" | "deployer" | "admin";
  actions: DashboardActions;
  clock: CloudClock | null;
}) {
  const liveState = useLive(name).data?.environment;
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: dashboardKeys.scaling(name),
    queryFn: () => getJson<ScalingView>(`/api/v1/environments/${encodeURIComponent(name)}/scaling`),
    refetchInterval: REFRESH_MS / 2,
    placeholderData: keepPreviousData,
  });
  const v = q.data;
  const canEdit = role !== "viewer";
  const refresh = () => qc.invalidateQueries({ queryKey: dashboardKeys.all(name) });
  const liveSlot = liveState?.liveSlot ?? v?.liveSlot;
  const busy = (liveState?.busy ?? false) || (v?.busy ?? false);
  const live = v?.fleets.find((f) => f.slot === liveSlot);
  const when = (t: string | number) => `${formatDateTime(t)}${clock ? ` (local cloud time ×${clock.speed})` : ""}`;
  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_340px] [&>*]:min-w-0" data-testid="scaling-panel">
      <div className="grid content-start gap-4 [&>*]:min-w-0">
        <section className="rounded-lg border bg-card p-3" aria-label="Instances">
          <h4 className="mb-2 text-xs font-semibold">
            Instances{" "}
            {v ? (
              <span className="font-normal text-muted-foreground">
                · {v.fleets.map((f) => `${f.slot} ${f.desired} desired (${f.min}–${f.max})`).join(" · ")}
              </span>
            ) : null}
            {v && v.status.kind !== "ok" ? (
              <span className="ml-2 font-normal text-amber-700">
                {v.status.kind === "throttled" ? "throttled" : `error: ${v.status.message}`}
              </span>
            ) : null}
          </h4>
          <div className="min-h-24 overflow-x-auto">
            <Table data-testid="instances">
              <THead>
                <TR>
                  <TH>Instance</TH>
                  <TH>Fleet</TH>
                  <TH>AZ</TH>
                  <TH>Lifecycle</TH>
                  <TH>Target health</TH>
                  <TH>Version</TH>
                  <TH>Launched{clock ? ` (local cloud time ×${clock.speed})` : ""}</TH>
                </TR>
              </THead>
              <TBody>
                {(v?.instances ?? []).map((i) => (
                  <TR key={i.id} data-testid="instance-row" data-instance-id={i.id} data-lifecycle={i.lifecycleState} data-slot={i.slot}>
                    <TD className="font-mono text-xs whitespace-nowrap">{i.id}</TD>
                    <TD className="text-xs">{i.slot}</TD>
                    <TD className="font-mono text-xs">{i.availabilityZone ?? "—"}</TD>
                    <TD className="text-xs">{i.lifecycleState}</TD>
                    <TD className={`text-xs ${HEALTH_TONE[i.targetHealth ?? ""] ?? ""}`}>{i.targetHealth ?? "—"}</TD>
                    <TD className="font-mono text-xs">
                      {i.version ?? "—"}
                      {i.launchTemplateVersion ? <span className="text-muted-foreground"> (lt {i.launchTemplateVersion})</span> : null}
                    </TD>
                    <TD className="text-xs tabular-nums whitespace-nowrap">{i.launchTime ? formatDateTime(i.launchTime) : "—"}</TD>
                  </TR>
                ))}
                {v && v.instances.length === 0 ? (
                  <TR>
                    <TD colSpan={7} className="text-xs text-muted-foreground">
                      No instances.
                    </TD>
                  </TR>
                ) : null}
              </TBody>
            </Table>
          </div>
        </section>
        <section className="rounded-lg border bg-card p-3" aria-label="Scaling activities">
          <h4 className="mb-2 text-xs font-semibold">Scaling activities</h4>
          <ol
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be focusable to be scrolled by keyboard
            tabIndex={0}
            className="grid max-h-80 gap-2 overflow-y-auto outline-none focus-visible:ring-2 focus-visible:ring-ring"
            data-testid="activities"
          >
            {(v?.activities ?? []).map((a) => (
              <li
                key={a.id}
                className="border-l-2 pl-2 text-xs"
                style={{ borderColor: a.slot === "blue" ? "var(--blue-slot)" : "var(--green-slot)" }}
                data-testid="activity"
                data-status={a.status}
              >
                <div className="flex flex-wrap gap-2">
                  <span className="inline-flex items-center gap-1 font-semibold">
                    <span
                      aria-hidden
                      className="inline-block size-2 rounded-full"
                      style={{ background: a.slot === "blue" ? "var(--blue-slot)" : "var(--green-slot)" }}
                    />
                    {a.slot} fleet
                  </span>
                  <span className="font-medium">{a.description}</span>
                  <span className="text-muted-foreground">
                    {a.status}
                    {a.startTime ? ` · ${when(a.startTime)}` : ""}
                  </span>
                </div>
                <p className="text-muted-foreground">{a.cause}</p>
              </li>
            ))}
            {v && v.activities.length === 0 ? <li className="text-xs text-muted-foreground">No activities yet.</li> : null}
          </ol>
          {v ? <p className="mt-2 text-[11px] text-muted-foreground">As of {clockTime(v.fetchedAt)}</p> : null}
        </section>
      </div>
      <div className="grid content-start gap-4 [&>*]:min-w-0">
        {live && canEdit ? (
          <CapacityForm key={live.slot} name={name} fleet={live} disabled={busy} action={actions.updateScaling} onDone={refresh} />
        ) : null}
        {live && !canEdit ? (
          <p className="text-xs text-muted-foreground">
            Live fleet {live.slot}: {live.min}/{live.desired}/{live.max}
            {live.policy ? `, target ${live.policy.target}` : ""}. Deployers can change it.
          </p>
        ) : null}
        {canEdit && v?.provisioned ? (
          <Drills name={name} disabled={busy} hasCache={v.hasCache ?? false} action={actions.runDrill} onDone={refresh} />
        ) : null}
      </div>
    </div>
  );
}

function Drills({
  name,
  disabled,
  hasCache,
  action,
  onDone,
}: {
  name: string;
  disabled: boolean;
  hasCache: boolean;
  action: DashboardActions["runDrill"];
  onDone: () => void;
}) {
  const run = async (kind: "terminate-instance" | "failover-database" | "failover-cache") => {
    const res = await action(name, kind);
    if (!res.ok) {
      toast.error(res.message);
      return false;
    }
    toast.success(res.data.message);
    onDone();
  };
  return (
    <section className="grid gap-2 rounded-lg border bg-card p-3" aria-label="Failure drills">
      <h4 className="text-xs font-semibold">Failure drills</h4>
      <p className="text-xs text-muted-foreground">
        Design for failure: watch the recovery in the instances, activities and topology above.
      </p>
      <ConfirmDialog
        title="Terminate a random instance?"
        description="One InService instance of the live fleet is terminated; Auto Scaling launches a replacement. Traffic goes to the remaining healthy targets meanwhile."
        confirmLabel="Terminate"
        destructive
        onConfirm={() => run("terminate-instance")}
      >
        <Button variant="outline" size="sm" disabled={disabled}>
          <Bomb aria-hidden /> Terminate a random instance
        </Button>
      </ConfirmDialog>
      <ConfirmDialog
        title="Reboot the database with failover?"
        description="A Multi-AZ database reboots and its standby becomes the primary; connections drop for about a minute and a half."
        confirmLabel="Fail over"
        destructive
        onConfirm={() => run("failover-database")}
      >
        <Button variant="outline" size="sm" disabled={disabled}>
          <DatabaseZap aria-hidden /> Reboot the database with failover
        </Button>
      </ConfirmDialog>
      {hasCache ? (
        <ConfirmDialog
          title="Fail over the cache?"
          description="ElastiCache promotes a replica (in another zone first) to primary; writes pause for a few seconds and the old primary comes back as a replica."
          confirmLabel="Fail over"
          destructive
          onConfirm={() => run("failover-cache")}
        >
          <Button variant="outline" size="sm" disabled={disabled}>
            <DatabaseZap aria-hidden /> Fail over the cache
          </Button>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
