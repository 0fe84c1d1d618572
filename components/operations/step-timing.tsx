"use client";

import { useEffect, useState } from "react";
import type { OperationView } from "@/server/operations/queries.ts";

type Step = OperationView["steps"][number];

const fmt = (ms: number) => {
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60 ? `${s % 60} s` : ""}`.trim();
};

/**
 * A step's time, honestly: a step still running or waiting shows how long it has been at it
 * (ticking), a finished one how long it took; never a finished attempt's time beside a step
 * that is still going.
 */
export function StepTiming({ step }: { step: Step }) {
  const open = step.status === "running" || step.status === "waiting";
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (!open) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [open]);
  if (open) {
    if (!step.startedAt || now === null) return <>{step.status === "waiting" ? "waiting…" : "running…"}</>;
    const elapsed = Math.max(0, now - new Date(step.startedAt).getTime());
    return <span data-testid="step-elapsed">{`${step.status === "waiting" ? "waiting" : "running"} · ${fmt(elapsed)}`}</span>;
  }
  return <>{step.durationMs === null ? "" : fmt(step.durationMs)}</>;
}
