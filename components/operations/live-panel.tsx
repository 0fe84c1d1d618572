"use client";

import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import { Rocket, Undo2 } from "lucide-react";
import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { toast } from "@/components/ui/toaster";
import type { LivePanel as LiveData } from "@/server/operations/live.ts";
import type { ActionResult } from "@/server/result.ts";
import { TeardownButton } from "@/components/environments/teardown-button";
import { DriftCheck } from "./drift-check";
import { StepList, fmtMs } from "./step-list";
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
 * The environment's live operations panel: traffic split, actions, the running operation's
 * step timeline and the history. Polls one endpoint: every second while something runs,
 * every 5 s otherwise, and not at all while the tab is hidden.
 */
export function LivePanel({
  name,
  initial,
  role,
  me,
  actions,
}: {
  name: string;
  initial: LiveData;
  role: "viewer" | "deployer" | "admin";
  me: string;
  actions: OperationActions;
}) {
  const [data, setData] = useState(initial);
  const busyRef = useRef(initial.environment.busy);
  const refresh = useCallback(async () => {
    const res = await fetch(`/api/v1/environments/${encodeURIComponent(name)}/live`, { cache: "no-store" });
    if (res.ok) {
      const next = (await res.json()) as LiveData;
      busyRef.current = next.environment.busy || next.focus?.steps.some((s) => s.status === "running" || s.status === "waiting") === true;
      setData(next);
    }
  }, [name]);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const loop = async () => {
      if (document.visibilityState === "visible") await refresh().catch(() => {});
      timer = setTimeout(loop, busyRef.current ? 1000 : 5000);
    };
    timer = setTimeout(loop, 1000);
    return () => clearTimeout(timer);
  }, [refresh]);

  const run = async (p: Promise<Act>, ok: string) => {
    const res = await p;
    if (!res.ok) {
      toast.error(res.message);
      return false;
    }
    toast.success(ok);
    busyRef.current = true;
    await refresh();
  };

  const env = data.environment;
  const canDeploy = role !== "viewer";
  const isAdmin = role === "admin";
  const warm = env.warmUntil !== null && new Date(env.warmUntil) > new Date();
  const focus = data.focus;
  const done = focus ? focus.steps.filter((s) => ["succeeded", "skipped"].includes(s.status)).length : 0;

  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader>
          <CardTitle>Traffic</CardTitle>
          <CardDescription>
            {env.provisioned ? (
              <>
                Live: <strong>{env.liveVersion ?? "—"}</strong> on the {env.liveSlot} fleet
                {env.endpoints.loadBalancer ? <span className="font-mono"> · {env.endpoints.loadBalancer}</span> : null}
                {env.endpoints.distribution ? <span className="font-mono"> · {env.endpoints.distribution}</span> : null}
              </>
            ) : (
              "Not provisioned yet."
            )}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4 lg:grid-cols-[1fr_320px]">
          <TrafficSplitPicture split={data.split} liveSlot={env.liveSlot} />
          <div className="grid content-start gap-3">
            {!env.provisioned && isAdmin ? (
              <Button disabled={env.busy} onClick={() => run(actions.provision(name), "Provisioning started")}>
                <Rocket aria-hidden /> Provision
              </Button>
            ) : null}
            {env.provisioned && canDeploy ? (
              <DeployForm
                disabled={env.busy}
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
            {warm ? (
              <p className="text-xs text-muted-foreground">
                Previous fleet warm until <TimeAgo date={env.warmUntil!} />: rollback is one listener change.
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
            <div className="lg:col-span-2">
              <DriftCheck name={name} />
            </div>
          ) : null}
        </CardContent>
      </Card>

      {focus ? (
        <Card data-testid="operation">
          <CardHeader>
            <div className="flex flex-wrap items-center gap-2">
              <CardTitle>{title(focus)}</CardTitle>
              <StatusBadge status={focus.status} />
              <span className="ml-auto text-xs text-muted-foreground">
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
            <div className="mt-3 flex gap-2">
              {focus.status === "awaiting_approval" && canDeploy && focus.startedBy !== me ? (
                <Button onClick={() => run(actions.approve(name, focus.id), "Approved")}>Approve rollout</Button>
              ) : null}
              {focus.status === "awaiting_approval" && focus.startedBy === me ? (
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

      {data.history.length ? (
        <Card>
          <CardHeader>
            <CardTitle>Deployment history</CardTitle>
          </CardHeader>
          <CardContent>
            <Table>
              <THead>
                <TR>
                  <TH>What</TH>
                  <TH>Status</TH>
                  <TH>Strategy</TH>
                  <TH>Who</TH>
                  <TH>When</TH>
                  <TH>Took</TH>
                  <TH>Why</TH>
                </TR>
              </THead>
              <TBody>
                {data.history.map((d) => (
                  <TR key={d.id} data-testid="history-row">
                    <TD className="font-medium">{title(d)}</TD>
                    <TD>
                      <StatusBadge status={d.status} />
                    </TD>
                    <TD className="text-xs">{d.strategy ?? "—"}</TD>
                    <TD className="text-xs">
                      {d.startedBy}
                      {d.approvedBy ? ` (approved by ${d.approvedBy})` : ""}
                    </TD>
                    <TD>
                      <TimeAgo date={d.createdAt} />
                    </TD>
                    <TD className="text-xs tabular-nums">{fmtMs(d.durationMs)}</TD>
                    <TD className="max-w-xs text-xs">{d.reason ?? ""}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}

function title(d: { kind: string; fromVersion: string | null; toVersion: string | null }) {
  if (d.kind === "rollout") return `Rollout ${d.fromVersion ?? "?"} → ${d.toVersion}`;
  if (d.kind === "rollback") return `Rollback ${d.fromVersion ?? "?"} → ${d.toVersion}`;
  if (d.kind === "provision") return `Provision (${d.toVersion})`;
  return "Teardown";
}

/**
 * Inside the rollback window the idle slot holds the warm previous fleet: a rollout replaces
 * it, so one-click rollback to that version is gone. The form says so and asks first.
 */
function DeployForm({
  disabled,
  warmPrevious,
  onDeploy,
}: {
  disabled: boolean;
  warmPrevious: string | null;
  onDeploy: (version: string, strategy: string) => Promise<unknown>;
}) {
  const [version, setVersion] = useState("");
  const [strategy, setStrategy] = useState("");
  const [accepted, setAccepted] = useState(false);
  const [pending, start] = useTransition();
  const mustAccept = warmPrevious !== null && !accepted;
  return (
    <form
      className="grid gap-2"
      aria-label="Deploy a version"
      onSubmit={(e) => {
        e.preventDefault();
        if (mustAccept) return;
        start(async () => {
          await onDeploy(version.trim(), strategy);
          setAccepted(false);
        });
      }}
    >
      <FormField label="Version to deploy" htmlFor="deploy-version">
        <Input id="deploy-version" value={version} onChange={(e) => setVersion(e.target.value)} placeholder="v2" className="font-mono" />
      </FormField>
      <FormField label="Strategy" htmlFor="deploy-strategy">
        <Select
          id="deploy-strategy"
          value={strategy}
          onChange={(e) => setStrategy(e.target.value)}
          options={[
            { value: "", label: "Environment default" },
            { value: "canary", label: "Canary steps" },
            { value: "all-at-once", label: "All at once" },
          ]}
        />
      </FormField>
      {warmPrevious !== null ? (
        <div
          role="note"
          className="grid gap-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <p>
            The warm <strong className="font-mono">{warmPrevious}</strong> fleet is replaced by this rollout: rollback to {warmPrevious}{" "}
            will no longer be instant.
          </p>
          <label className="flex items-center gap-2">
            <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} />
            Replace the warm {warmPrevious} fleet
          </label>
        </div>
      ) : null}
      <Button type="submit" disabled={disabled || !version.trim() || mustAccept} loading={pending}>
        <Rocket aria-hidden /> Deploy
      </Button>
    </form>
  );
}
