"use client";

import { ExternalLink, Rocket, Undo2 } from "lucide-react";
import { TeardownButton } from "@/components/environments/teardown-button";
import { StatusBadge } from "@/components/status-badge";
import { Remaining, TimeAgo } from "@/components/time-ago";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { toast } from "@/components/ui/toaster";
import type { AppLink } from "@/server/operations/app-links.ts";
import type { LivePanel as LiveData } from "@/server/operations/live.ts";
import type { ActionResult } from "@/server/result.ts";
import { DeployForm } from "./deploy-form";
import { DeploymentHistory, operationTitle } from "./deployment-history";
import { DriftCheck } from "./drift-check";
import { useLive, useLiveSync, useRefreshLive } from "./live-query";
import { fmtMs, isHeld, StepList } from "./step-list";
import { TrafficSplitPicture } from "./traffic-split";

type Act = ActionResult<{ id: string }>;
export interface OperationActions {
  provision: (name: string) => Promise<Act>;
  deploy: (name: string, version: string, strategy: string) => Promise<Act>;
  rollback: (name: string) => Promise<Act>;
  teardown: (name: string, opts: { skipFinalSnapshot: boolean }) => Promise<Act>;
  approve: (name: string, id: string) => Promise<Act>;
  cancel: (name: string, id: string) => Promise<Act>;
}

/**
 * The environment's live operations panel: traffic split, links to the app, actions, the
 * running operation's step timeline and the history. It reads the shared live query (see
 * live-query.ts) like the header and the Health section, and keeps them in step.
 */
export function LivePanel({
  name,
  initial,
  role,
  me,
  specVersion,
  links,
  actions,
}: {
  name: string;
  initial: LiveData;
  role: "viewer" | "deployer" | "admin";
  me: string;
  /** The app version the current spec names. */
  specVersion: string;
  links: AppLink[];
  actions: OperationActions;
}) {
  const data = useLive(name, initial).data ?? initial;
  useLiveSync(name, data);
  const refreshLive = useRefreshLive(name);

  const run = async (p: Promise<Act>, ok: string) => {
    const res = await p;
    if (!res.ok) {
      toast.error(res.message);
      return false;
    }
    toast.success(ok);
    await refreshLive();
  };

  const env = data.environment;
  const canDeploy = role !== "viewer";
  const isAdmin = role === "admin";
  const warm = env.warmUntil !== null && new Date(env.warmUntil) > new Date();
  const focus = data.focus;
  const done = focus ? focus.steps.filter((s) => ["succeeded", "skipped"].includes(s.status)).length : 0;
  const suggested = env.provisioned && env.liveVersion !== specVersion ? specVersion : null;

  return (
    <div className="grid min-w-0 gap-4 [&>*]:min-w-0">
      <Card>
        <CardHeader>
          <CardTitle>Traffic</CardTitle>
          <CardDescription>
            {env.provisioned ? (
              <>
                Live: <strong>{env.liveVersion ?? "—"}</strong> on the {env.liveSlot} fleet
              </>
            ) : (
              "Not provisioned yet."
            )}
          </CardDescription>
          {env.provisioned && links.length ? <AppLinks links={links} /> : null}
        </CardHeader>
        <CardContent className="grid min-w-0 gap-4 lg:grid-cols-[1fr_320px] [&>*]:min-w-0">
          <TrafficSplitPicture split={data.split} liveSlot={env.liveSlot} provisioned={env.provisioned} />
          <div className="grid content-start gap-3">
            {!env.provisioned && isAdmin ? (
              <Button disabled={env.busy} onClick={() => run(actions.provision(name), "Provisioning started")}>
                <Rocket aria-hidden /> Provision
              </Button>
            ) : null}
            {env.provisioned && canDeploy ? (
              <DeployForm
                key={suggested ?? ""}
                disabled={env.busy}
                suggested={suggested}
                warmPrevious={warm ? env.previousVersion : null}
                onDeploy={(v, s) => run(actions.deploy(name, v, s), `Rolling out ${v}`)}
              />
            ) : null}
            {env.provisioned && canDeploy && env.previousVersion ? (
              <ConfirmDialog
                title={`Roll back to ${env.previousVersion}?`}
                description={
                  warm
                    ? "The previous fleet is warm: this is one listener change, all traffic back in about a second."
                    : "The previous fleet was scaled down: it is refilled and checked healthy before traffic moves."
                }
                confirmLabel="Roll back"
                destructive
                onConfirm={() => run(actions.rollback(name), "Rolling back")}
              >
                <Button variant="destructive" disabled={env.busy}>
                  <Undo2 aria-hidden /> Roll back to {env.previousVersion}
                </Button>
              </ConfirmDialog>
            ) : null}
            {warm && env.warmUntil ? (
              <p className="text-xs text-muted-foreground">
                The previous fleet stays warm for another <Remaining until={env.warmUntil} />: rollback is one listener change.
              </p>
            ) : null}
            {env.provisioned && isAdmin ? (
              <TeardownButton
                name={name}
                disabled={env.busy}
                onTeardown={(opts) => run(actions.teardown(name, opts), "Teardown started")}
              />
            ) : null}
          </div>
          {env.provisioned ? (
            <div className="min-w-0 lg:col-span-2">
              <DriftCheck name={name} />
            </div>
          ) : null}
        </CardContent>
      </Card>

      {focus ? (
        <Card data-testid="operation" className="min-w-0">
          <CardHeader>
            <div className="flex flex-wrap items-center gap-2">
              <CardTitle>{operationTitle(focus)}</CardTitle>
              <StatusBadge status={focus.status} />
              <span className="text-xs text-muted-foreground sm:ml-auto">
                by {focus.startedBy}
                {focus.approvedBy ? `, approved by ${focus.approvedBy}` : ""} · <TimeAgo date={focus.createdAt} />
                {focus.durationMs !== null ? ` · ${fmtMs(focus.durationMs)}` : ""}
              </span>
            </div>
            {focus.reason ? (
              <CardDescription className={focus.status === "succeeded" ? "" : "text-destructive"}>{focus.reason}</CardDescription>
            ) : null}
            {focus.kind === "rollout" ? (
              <CardDescription>
                Rolls back by itself when an alarm of the new fleet fires, or its 5xx rate or p95 latency is measurably worse than the old
                fleet&apos;s over the same minutes (or above the environment&apos;s thresholds).
              </CardDescription>
            ) : null}
          </CardHeader>
          <CardContent>
            <div
              className="mb-3 h-1.5 w-full overflow-hidden rounded-full bg-muted"
              role="progressbar"
              aria-valuemin={0}
              aria-valuemax={focus.steps.length}
              aria-valuenow={done}
              aria-label="Progress"
            >
              <div
                className="h-full bg-primary transition-all duration-500"
                style={{ width: `${(100 * done) / Math.max(1, focus.steps.length)}%` }}
              />
            </div>
            <StepList steps={focus.steps} />
            <div className="mt-3 flex flex-wrap gap-2">
              {focus.status === "awaiting_approval" && canDeploy && isHeld(focus.steps) ? (
                <Button onClick={() => run(actions.approve(name, focus.id), "Continuing the rollout")}>Continue undecided step</Button>
              ) : null}
              {focus.status === "awaiting_approval" && canDeploy && focus.startedBy !== me && !isHeld(focus.steps) ? (
                <Button onClick={() => run(actions.approve(name, focus.id), "Approved")}>Approve rollout</Button>
              ) : null}
              {focus.status === "awaiting_approval" && focus.startedBy === me && !isHeld(focus.steps) ? (
                <p className="text-sm text-muted-foreground">Waiting for another deployer to approve.</p>
              ) : null}
              {focus.kind === "rollout" && ["running", "awaiting_approval", "pending"].includes(focus.status) && canDeploy ? (
                <ConfirmDialog
                  title="Cancel this rollout?"
                  description="Traffic goes back to the old fleet and the new fleet is scaled down."
                  confirmLabel="Cancel rollout"
                  destructive
                  onConfirm={() => run(actions.cancel(name, focus.id), "Cancelling: rolling back")}
                >
                  <Button variant="outline">Cancel rollout</Button>
                </ConfirmDialog>
              ) : null}
            </div>
          </CardContent>
        </Card>
      ) : null}

      <DeploymentHistory history={data.history} />
    </div>
  );
}

/** Where to open the app: the load balancer and CloudFront addresses (local ports on the local account). */
function AppLinks({ links }: { links: AppLink[] }) {
  return (
    <ul className="mt-1 flex min-w-0 flex-wrap gap-x-4 gap-y-1 text-xs" aria-label="Open the app" data-testid="app-links">
      {links.map((l) => (
        <li key={l.label} className="min-w-0 max-w-full">
          <span className="text-muted-foreground">{l.label}: </span>
          {l.url ? (
            <a
              href={l.url}
              target="_blank"
              rel="noreferrer"
              className="inline-flex max-w-full items-center gap-1 break-all font-mono text-primary underline"
              title={l.name}
            >
              {l.url.replace(/^https?:\/\//, "")}
              <ExternalLink className="size-3 shrink-0" aria-hidden />
              <span className="sr-only">(opens {l.label} in a new tab)</span>
            </a>
          ) : (
            <span className="break-all font-mono">{l.name}</span>
          )}
          {l.note ? <span className="text-muted-foreground"> ({l.note})</span> : null}
        </li>
      ))}
    </ul>
  );
}
