import { Check, CircleAlert, CircleDashed, Clock, LoaderCircle, SkipForward, X } from "lucide-react";
import type { OperationView } from "@/server/operations/queries.ts";
import { StepTiming } from "./step-timing";

type Step = OperationView["steps"][number];

const icons: Record<string, React.ReactNode> = {
  succeeded: <Check className="size-4 text-success" aria-hidden />,
  running: <LoaderCircle className="size-4 animate-spin text-info" aria-hidden />,
  waiting: <Clock className="size-4 text-warning" aria-hidden />,
  failed: <X className="size-4 text-destructive" aria-hidden />,
  skipped: <SkipForward className="size-4 text-muted-foreground" aria-hidden />,
  pending: <CircleDashed className="size-4 text-muted-foreground" aria-hidden />,
};

/** A canary step held on an undecided verdict, waiting for a deployer (approve = continue, cancel = roll back). */
export const isHeld = (steps: Step[]) =>
  steps.some((s) => s.status === "waiting" && (s.detail as { bake?: BakeProgress } | null)?.bake?.phase === "holding");

/** Never a green tick for a step the judge did not pass (undecided and continued by a person, or not judged). */
function iconOf(s: Step) {
  const d = s.detail as { verdict?: Verdict; notJudged?: string } | null;
  if (s.status === "succeeded" && (d?.notJudged || (d?.verdict && d.verdict.outcome !== "pass")))
    return <CircleAlert className="size-4 text-warning" aria-label="not passed by the judge" />;
  return icons[s.status] ?? icons.pending;
}

export const fmtMs = (ms: number | null) =>
  ms === null ? "" : ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;

/** An operation's steps as a live timeline: state, timing, retries, what each touched or saw. */
export function StepList({ steps }: { steps: Step[] }) {
  return (
    <ol className="grid gap-1" aria-label="Steps">
      {steps.map((s) => (
        <li key={s.key} className="rounded-md px-2 py-1.5 hover:bg-muted/50" data-testid={`step-${s.key}`} data-status={s.status}>
          <div className="flex items-center gap-2 text-sm">
            {iconOf(s)}
            <span className={s.status === "pending" || s.status === "skipped" ? "text-muted-foreground" : ""}>{s.label}</span>
            {s.attempts > 1 ? (
              <span className="rounded bg-warning/15 px-1.5 text-xs text-warning" title="The step failed and was run again">
                {s.attempts} attempts
              </span>
            ) : null}
            <span className="ml-auto text-xs tabular-nums text-muted-foreground">
              <StepTiming step={s} />
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
    bake?: BakeProgress;
    approvedBy?: string;
    notJudged?: string;
    seen?: Record<string, unknown>;
    summary?: string;
    probe?: { summary?: string };
  } | null;
  if (step.error) return <p className="ml-6 mt-1 text-xs text-destructive">{step.error}</p>;
  if (!detail) return null;
  if (detail.verdict)
    return (
      <VerdictLine
        v={detail.verdict}
        bake={step.status === "running" || step.status === "waiting" ? detail.bake : undefined}
        approvedBy={detail.approvedBy}
      />
    );
  if (detail.notJudged) return <p className="ml-6 mt-0.5 text-xs text-warning">{detail.notJudged}</p>;
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

interface Fleet {
  requests: number;
  errors: number;
  ratePercent: number;
  p95Ms: number | null;
  upperBoundPercent?: number | null;
}

interface Verdict {
  /** "inconclusive": verdicts recorded before the judge said "undecided". */
  outcome: "pass" | "fail" | "undecided" | "inconclusive";
  rule: string;
  confidence?: string;
  canary: Fleet;
  baseline: Fleet;
  pValue?: number | null;
  z?: number | null;
  requestsNeeded?: number | null;
  minutes?: { from: string; to: string; judged: string[]; missing: string[] };
  probes?: { requests: number; failures: number; lastFailure: string | null } | null;
}

interface BakeProgress {
  phase: "baking" | "publishing" | "extended" | "holding";
  bakedMs: number;
  targetMs: number;
  maxBakeMs: number;
  endsAt: string | null;
  serverNow: string;
  completeAt: string | null;
  onUndecided: "hold" | "rollback";
}

const hhmm = (iso: string) => iso.slice(11, 16);
const listMinutes = (xs: string[]) => (xs.length <= 6 ? xs.map(hhmm).join(", ") : `${hhmm(xs[0])}…${hhmm(xs[xs.length - 1])}`);

/** Where a bake stands, in words: a countdown while it bakes, what "extended" and "held" mean. */
function bakeLine(b: BakeProgress, v: Verdict): string {
  const requests = `${v.canary.requests}${v.requestsNeeded ? ` of ${v.requestsNeeded}` : ""} requests`;
  if (b.phase === "baking") {
    const left = b.endsAt ? Math.max(0, Date.parse(b.endsAt) - Date.now()) : 0;
    return `Baking: ${fmtMs(Math.round(left / 1000) * 1000) || "0 s"} left, then the judge waits for CloudWatch to publish the last minute`;
  }
  if (b.phase === "publishing")
    return `Waiting for CloudWatch to publish the bake's last minute (final at ${b.completeAt ? hhmm(b.completeAt) : "?"}, now ${hhmm(b.serverNow)}, service clock)`;
  if (b.phase === "extended")
    return `Extended: ${requests}. Not enough data to decide, so the bake goes on, up to ${fmtMs(Math.max(0, b.maxBakeMs - b.bakedMs))} more, then ${b.onUndecided === "hold" ? "holds for a deployer" : "rolls back"}`;
  return `Held: still undecided after the longest bake (${requests}). A deployer decides: continue, or cancel to roll back`;
}

/** The canary judge's decision with its numbers, so a person sees why. */
export function VerdictLine({
  v,
  bake,
  approvedBy,
}: {
  v: Verdict;
  /** Only while the step runs. */
  bake?: BakeProgress;
  approvedBy?: string;
}) {
  const outcome = v.outcome === "inconclusive" ? "undecided" : v.outcome;
  const tone = outcome === "pass" ? "text-success" : outcome === "fail" ? "text-destructive" : "text-warning";
  const fleet = (f: Fleet) =>
    `${f.requests} req, ${f.errors} failed (${f.ratePercent}%${f.upperBoundPercent != null ? `, ≤ ${f.upperBoundPercent}% at 95%` : ""}), p95 ${f.p95Ms ?? "–"} ms`;
  return (
    <div className="ml-6 mt-1 grid gap-0.5 text-xs" data-testid="verdict" data-outcome={outcome}>
      {bake ? (
        <p className="text-info" data-testid="bake-progress" suppressHydrationWarning>
          {bakeLine(bake, v)}
        </p>
      ) : null}
      <p className={`font-medium ${tone}`}>
        {outcome}: {v.rule}
      </p>
      {approvedBy ? <p className="text-warning">Continued by {approvedBy} on an undecided verdict: not passed by the judge.</p> : null}
      <p className="font-mono text-muted-foreground">
        new {fleet(v.canary)} · old {v.baseline.requests ? fleet(v.baseline) : "not compared (100%)"}
      </p>
      <p className="text-muted-foreground">
        {v.confidence ?? (v.z != null ? `z ${v.z}` : "")}
        {v.pValue != null ? ` · Fisher p = ${v.pValue}` : ""}
        {v.probes ? ` · probes: ${v.probes.failures} of ${v.probes.requests} failed` : ""}
      </p>
      {v.minutes ? (
        <p className="text-muted-foreground" data-testid="judged-minutes">
          Judged {v.minutes.judged.length} complete minute(s){v.minutes.judged.length ? `: ${listMinutes(v.minutes.judged)}` : ""}
          {v.minutes.missing.length ? ` · missing (no datapoint): ${listMinutes(v.minutes.missing)}` : ""}
        </p>
      ) : null}
    </div>
  );
}
