import type { Incident } from "@/server/deploy-metrics/compute.ts";
import type { GameDay } from "@/server/deploy-metrics/game-days.ts";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { formatDuration } from "./format";

const when = (iso: string) => new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

const CAUSE: Record<Incident["cause"], string> = {
  "auto-rollback": "rolled back by itself",
  "manual-rollback": "rolled back by hand",
  failed: "failed",
};

/** Bad releases that took traffic, and how long until traffic was back on a good one. */
export function IncidentsTable({ incidents }: { incidents: Incident[] }) {
  if (!incidents.length) return <p className="text-sm text-muted-foreground">No failed change took traffic in this window.</p>;
  return (
    <Table aria-label="Incidents">
      <THead>
        <TR>
          <TH>Started (UTC)</TH>
          <TH>Environment</TH>
          <TH>Version</TH>
          <TH>What happened</TH>
          <TH>Restored after</TH>
        </TR>
      </THead>
      <TBody>
        {incidents.map((i) => (
          <TR key={i.deploymentId}>
            <TD>{when(i.startedAt)}</TD>
            <TD>{i.environmentName}</TD>
            <TD className="font-mono text-xs">{i.version ?? "—"}</TD>
            <TD className="max-w-md">
              {CAUSE[i.cause]}
              {i.reason ? <span className="block truncate text-xs text-muted-foreground">{i.reason}</span> : null}
            </TD>
            <TD className="tabular-nums">{i.restoredAt ? formatDuration(i.restoreMs) : "not yet"}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

/** Failure drills as game days: when, what was broken, by whom, detection and recovery. */
export function GameDaysTable({ gameDays }: { gameDays: GameDay[] }) {
  if (!gameDays.length)
    return <p className="text-sm text-muted-foreground">No drills in this window. Run one from an environment's Live health section.</p>;
  return (
    <Table aria-label="Game days">
      <THead>
        <TR>
          <TH>When (UTC)</TH>
          <TH>Environment</TH>
          <TH>Drill</TH>
          <TH>By</TH>
          <TH>Detected after</TH>
          <TH>Recovered after</TH>
        </TR>
      </THead>
      <TBody>
        {gameDays.map((g) => (
          <TR key={g.id} data-testid="game-day">
            <TD>{when(g.at)}</TD>
            <TD>{g.environmentName ?? "—"}</TD>
            <TD className="max-w-md">
              {g.kind.replace(/-/g, " ")}
              {g.message ? <span className="block truncate text-xs text-muted-foreground">{g.message}</span> : null}
            </TD>
            <TD>{g.by}</TD>
            <TD className="tabular-nums">{formatDuration(g.detectionMs)}</TD>
            <TD className="tabular-nums">{formatDuration(g.recoveryMs)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
