import { StatusBadge } from "@/components/status-badge";
import { TimeAgo } from "@/components/time-ago";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import type { LivePanel as LiveData } from "@/server/operations/live.ts";
import { fmtMs } from "./step-list";

type Operation = LiveData["history"][number];

/** "Rollout v1 → v2", "Rollback v2 → v1", "Provision (v1)", "Teardown". */
export function operationTitle(d: { kind: string; fromVersion: string | null; toVersion: string | null }) {
  if (d.kind === "rollout") return `Rollout ${d.fromVersion ?? "?"} → ${d.toVersion}`;
  if (d.kind === "rollback") return `Rollback ${d.fromVersion ?? "?"} → ${d.toVersion}`;
  if (d.kind === "provision") return `Provision (${d.toVersion})`;
  return "Teardown";
}

/** Past operations: who, versions, strategy, outcome, duration, why it rolled back. Scrolls inside its card on narrow screens. */
export function DeploymentHistory({ history }: { history: Operation[] }) {
  if (!history.length) return null;
  return (
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
            {history.map((d) => (
              <TR key={d.id} data-testid="history-row">
                <TD className="font-medium whitespace-nowrap">{operationTitle(d)}</TD>
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
                <TD className="text-xs tabular-nums whitespace-nowrap">{fmtMs(d.durationMs)}</TD>
                <TD className="min-w-48 max-w-xs text-xs">{d.reason ?? ""}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </CardContent>
    </Card>
  );
}
