import { Check, CircleDashed, Clock, LoaderCircle, SkipForward, X } from "lucide-react";
import type { OperationView } from "@/server/operations/queries.ts";

type Step = OperationView["steps"][number];

const icons: Record<string, React.ReactNode> = {
  succeeded: <Check className="size-4 text-success" aria-hidden />,
  running: <LoaderCircle className="size-4 animate-spin text-info" aria-hidden />,
  waiting: <Clock className="size-4 text-warning" aria-hidden />,
  failed: <X className="size-4 text-destructive" aria-hidden />,
  skipped: <SkipForward className="size-4 text-muted-foreground" aria-hidden />,
  pending: <CircleDashed className="size-4 text-muted-foreground" aria-hidden />,
};

export const fmtMs = (ms: number | null) =>
  ms === null ? "" : ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;

/** An operation's steps as a live timeline: state, timing, retries, what each touched or saw. */
export function StepList({ steps }: { steps: Step[] }) {
  return (
    <ol className="grid gap-1" aria-label="Steps">
      {steps.map((s) => (
        <li key={s.key} className="rounded-md px-2 py-1.5 hover:bg-muted/50" data-testid={`step-${s.key}`} data-status={s.status}>
          <div className="flex items-center gap-2 text-sm">
            {icons[s.status] ?? icons.pending}
            <span className={s.status === "pending" || s.status === "skipped" ? "text-muted-foreground" : ""}>{s.label}</span>
            {s.attempts > 1 ? <span className="rounded bg-warning/15 px-1.5 text-xs text-warning">{s.attempts} attempts</span> : null}
            <span className="ml-auto text-xs tabular-nums text-muted-foreground">
              {s.status === "waiting" ? "waiting…" : fmtMs(s.durationMs)}
            </span>
          </div>
          <StepDetail step={s} />
        </li>
      ))}
    </ol>
  );
}

function StepDetail({ step }: { step: Step }) {
  const detail = step.detail as {
    touched?: Array<{ type: string; id: string; action: string }>;
    verdict?: Verdict;
    seen?: Record<string, unknown>;
    summary?: string;
    probe?: { summary?: string };
  } | null;
  if (step.error) return <p className="ml-6 mt-1 text-xs text-destructive">{step.error}</p>;
  if (!detail) return null;
  if (detail.verdict) return <VerdictLine v={detail.verdict} />;
  // A step that says in words what it saw or did ("4 of 4 healthy on launch template version 7").
  const said = detail.summary ?? detail.probe?.summary ?? (typeof detail.seen?.summary === "string" ? detail.seen.summary : undefined);
  const line = said ? (
    <p className="ml-6 mt-0.5 text-xs text-muted-foreground" data-testid={`summary-${step.key}`}>
      {said}
    </p>
  ) : null;
  if (detail.touched?.length) {
    return (
      <>
        {line}
        <details className="ml-6 mt-0.5 text-xs text-muted-foreground">
          <summary className="cursor-pointer">{summarise(detail.touched)}</summary>
          <ul className="mt-1 grid gap-0.5 font-mono">
            {detail.touched.map((t) => (
              <li key={`${t.type}:${t.id}`}>
                {t.action} {t.type} {t.id}
              </li>
            ))}
          </ul>
        </details>
      </>
    );
  }
  if (line) return line;
  if (detail.seen && step.status === "waiting") {
    return (
      <p className="ml-6 mt-0.5 font-mono text-xs text-muted-foreground">
        {Object.entries(detail.seen)
          .filter(([, v]) => typeof v !== "object")
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(" ")}
      </p>
    );
  }
  return null;
}

function summarise(touched: Array<{ action: string }>) {
  const counts = touched.reduce<Record<string, number>>((a, t) => ((a[t.action] = (a[t.action] ?? 0) + 1), a), {});
  return Object.entries(counts)
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
}

interface Verdict {
  outcome: string;
  rule: string;
  canary: { requests: number; errors: number; ratePercent: number; p95Ms: number | null };
  baseline: { requests: number; errors: number; ratePercent: number; p95Ms: number | null };
  z: number | null;
}

/** The canary judge's decision with its numbers, so a person sees why. */
export function VerdictLine({ v }: { v: Verdict }) {
  const tone = v.outcome === "pass" ? "text-success" : v.outcome === "fail" ? "text-destructive" : "text-warning";
  return (
    <div className="ml-6 mt-1 text-xs" data-testid="verdict">
      <p className={`font-medium ${tone}`}>
        {v.outcome}: {v.rule}
      </p>
      <p className="font-mono text-muted-foreground">
        new {v.canary.requests} req, {v.canary.errors} 5xx ({v.canary.ratePercent}%), p95 {v.canary.p95Ms ?? "–"} ms · old{" "}
        {v.baseline.requests} req, {v.baseline.errors} 5xx ({v.baseline.ratePercent}%), p95 {v.baseline.p95Ms ?? "–"} ms
        {v.z !== null ? ` · z ${v.z}` : ""}
      </p>
    </div>
  );
}
