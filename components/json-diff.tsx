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

/** A field-by-field diff of two JSON documents (e.g. two spec versions). */
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
