import type { DeploySummary } from "@/server/deploy-metrics/compute.ts";
import { formatDuration, formatPercent } from "./format";

/** The four keys as figures, with what each counts. */
export function MetricCards({ summary, days }: { summary: DeploySummary; days: number }) {
  const cards = [
    {
      id: "frequency",
      label: "Deploy frequency",
      value: `${summary.deploysPerDay < 1 ? (summary.deploysPerDay * 7).toFixed(1) : summary.deploysPerDay.toFixed(1)} / ${summary.deploysPerDay < 1 ? "week" : "day"}`,
      note: `${summary.deploys} promoted rollout${summary.deploys === 1 ? "" : "s"} in ${days} days`,
    },
    {
      id: "lead-time",
      label: "Lead time (median)",
      value: formatDuration(summary.leadTimeMedianMs),
      note: "spec saved → live (promote)",
    },
    {
      id: "change-failure-rate",
      label: "Change failure rate",
      value: formatPercent(summary.changeFailureRatePercent),
      note: `${summary.failedChanges} of ${summary.endedRollouts} rollouts rolled back or failed`,
    },
    {
      id: "time-to-restore",
      label: "Time to restore (median)",
      value: formatDuration(summary.restoreMedianMs),
      note: "bad release taking traffic → traffic on a good one",
    },
  ];
  return (
    <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
      {cards.map((c) => (
        <section key={c.id} className="rounded-lg border bg-card p-3" data-testid={`metric-${c.id}`} aria-label={c.label}>
          <h4 className="text-xs font-medium text-muted-foreground">{c.label}</h4>
          <p className="mt-1 text-2xl font-semibold tabular-nums">{c.value}</p>
          <p className="mt-1 text-xs text-muted-foreground">{c.note}</p>
        </section>
      ))}
    </div>
  );
}
