import type { AlarmState, PanelStatus } from "@/server/dashboards/types.ts";

const TONE: Record<string, string> = {
  ALARM: "bg-red-100 text-red-900",
  OK: "bg-green-100 text-green-900",
  INSUFFICIENT_DATA: "bg-slate-100 text-slate-700",
};

/** The environment's CloudWatch alarms, firing ones first. */
export function AlarmsList({ alarms, status }: { alarms: AlarmState[]; status: PanelStatus }) {
  return (
    <section className="rounded-lg border bg-card p-3" data-testid="alarms" aria-label="Alarms">
      <header className="mb-2 flex items-center justify-between">
        <h4 className="text-xs font-semibold">Alarms</h4>
        <span className="text-[11px] text-muted-foreground">
          {alarms.filter((a) => a.state === "ALARM").length} firing · {alarms.length} total
          {status.kind !== "ok" ? ` · ${status.kind === "throttled" ? "throttled" : `error: ${status.message}`}` : ""}
        </span>
      </header>
      {alarms.length === 0 ? (
        <p className="text-xs text-muted-foreground">No alarms found.</p>
      ) : (
        <ul className="grid max-h-64 gap-1 overflow-y-auto">
          {alarms.map((a) => (
            <li key={a.name} className="flex items-start gap-2 text-xs" data-testid="alarm" data-state={a.state}>
              <span className={`shrink-0 rounded px-1.5 py-0.5 font-mono text-[10px] ${TONE[a.state] ?? TONE.INSUFFICIENT_DATA}`}>
                {a.state === "INSUFFICIENT_DATA" ? "NO DATA" : a.state}
              </span>
              <span className="font-mono" title={a.reason ?? undefined}>
                {a.name}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
