import type * as React from "react";
import { cn } from "@/lib/utils";

export type JsonDiffRow = {
  /** Dotted field path, e.g. "scaling.maxSize" or "subnets[1].cidr". */
  path: string;
  before: unknown;
  after: unknown;
  kind: "added" | "removed" | "changed";
};

export type JsonDiffProps = {
  rows: ReadonlyArray<JsonDiffRow>;
  beforeLabel?: string;
  afterLabel?: string;
  className?: string;
};

function formatValue(value: unknown): string {
  if (value === undefined) return "—";
  if (typeof value === "string") return value === "" ? '""' : value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

const marker: Record<JsonDiffRow["kind"], { sign: string; className: string; label: string }> = {
  added: { sign: "+", className: "text-success", label: "added" },
  removed: { sign: "−", className: "text-destructive", label: "removed" },
  changed: { sign: "~", className: "text-warning", label: "changed" },
};

type LineOp = { kind: "same" | "del" | "add"; text: string; before: number | null; after: number | null };

/** Line-by-line diff (longest common subsequence): small inputs such as user data scripts. */
export function diffLines(before: string, after: string): LineOp[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: LineOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ kind: "same", text: a[i], before: i + 1, after: j + 1 });
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push({ kind: "add", text: b[j], before: null, after: j + 1 });
      j++;
    } else {
      out.push({ kind: "del", text: a[i], before: i + 1, after: null });
      i++;
    }
  }
  return out;
}

const CONTEXT = 2;

/** Changed lines with two lines of context around each; long unchanged runs fold into "… N unchanged lines". */
function LineDiff({ before, after }: { before: string; after: string }) {
  const ops = diffLines(before, after);
  const near = ops.map((_, k) => ops.slice(Math.max(0, k - CONTEXT), k + CONTEXT + 1).some((o) => o.kind !== "same"));
  const rows: React.ReactNode[] = [];
  let folded = 0;
  const flush = (key: string) => {
    if (folded)
      rows.push(
        <li key={key} className="px-2 text-muted-foreground italic">
          … {folded} unchanged line{folded === 1 ? "" : "s"}
        </li>,
      );
    folded = 0;
  };
  ops.forEach((o, k) => {
    if (o.kind === "same" && !near[k]) {
      folded++;
      return;
    }
    flush(`f${k}`);
    const tone = o.kind === "add" ? "bg-success/10 text-success" : o.kind === "del" ? "bg-destructive/10 text-destructive" : "";
    rows.push(
      <li key={k} className={cn("grid grid-cols-[2.5rem_1rem_1fr] px-1 whitespace-pre-wrap break-all", tone)} data-line={o.kind}>
        <span className="text-right text-muted-foreground tabular-nums select-none">{o.after ?? o.before}</span>
        <span aria-hidden className="text-center select-none">
          {o.kind === "add" ? "+" : o.kind === "del" ? "−" : " "}
        </span>
        <span>
          {o.kind === "add" ? (
            <span className="sr-only">added: </span>
          ) : o.kind === "del" ? (
            <span className="sr-only">removed: </span>
          ) : null}
          {o.text || " "}
        </span>
      </li>,
    );
  });
  flush("end");
  return (
    <ol className="grid max-h-96 overflow-auto rounded-sm border py-0.5" aria-label="Changed lines" data-testid="line-diff">
      {rows}
    </ol>
  );
}

const multiline = (v: unknown) => typeof v === "string" && v.includes("\n");

/** A field-by-field diff of two JSON documents (e.g. two spec versions); multi-line text (user data) is diffed line by line. */
export function JsonDiff({ rows, beforeLabel = "Before", afterLabel = "After", className }: JsonDiffProps) {
  if (rows.length === 0) {
    return (
      <p className={cn("rounded-md border border-dashed px-3 py-4 text-center text-sm text-muted-foreground", className)}>No differences</p>
    );
  }
  return (
    <div className={cn("overflow-x-auto rounded-md border bg-card", className)}>
      <table className="w-full border-collapse font-mono text-xs">
        <thead className="bg-muted/60 font-sans">
          <tr className="border-b">
            <th scope="col" className="w-6 px-2 py-1.5">
              <span className="sr-only">Change</span>
            </th>
            <th scope="col" className="px-2 py-1.5 text-left font-medium text-muted-foreground">
              Field
            </th>
            <th scope="col" className="px-2 py-1.5 text-left font-medium text-muted-foreground">
              {beforeLabel}
            </th>
            <th scope="col" className="px-2 py-1.5 text-left font-medium text-muted-foreground">
              {afterLabel}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const m = marker[row.kind];
            if (row.kind === "changed" && (multiline(row.before) || multiline(row.after))) {
              return (
                <tr key={row.path} data-kind={row.kind} className="border-b align-top last:border-0">
                  <td className={cn("px-2 py-1.5 text-center font-semibold", m.className)}>
                    <span aria-hidden>{m.sign}</span>
                    <span className="sr-only">{m.label}</span>
                  </td>
                  <td className="px-2 py-1.5 break-all text-foreground">{row.path}</td>
                  <td colSpan={2} className="px-2 py-1.5">
                    <LineDiff before={String(row.before)} after={String(row.after)} />
                  </td>
                </tr>
              );
            }
            return (
              <tr key={row.path} data-kind={row.kind} className="border-b align-top last:border-0">
                <td className={cn("px-2 py-1.5 text-center font-semibold", m.className)}>
                  <span aria-hidden>{m.sign}</span>
                  <span className="sr-only">{m.label}</span>
                </td>
                <td className="px-2 py-1.5 break-all text-foreground">{row.path}</td>
                <td className="px-2 py-1.5 break-all">
                  {row.kind === "added" ? (
                    <span className="text-muted-foreground">—</span>
                  ) : (
                    <del className="rounded-sm bg-destructive/10 px-1 text-destructive decoration-destructive/60">
                      {formatValue(row.before)}
                    </del>
                  )}
                </td>
                <td className="px-2 py-1.5 break-all">
                  {row.kind === "removed" ? (
                    <span className="text-muted-foreground">—</span>
                  ) : (
                    <ins className="rounded-sm bg-success/10 px-1 text-success no-underline">{formatValue(row.after)}</ins>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
