"use client";

import { useState } from "react";
import { ScanSearch } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";

interface Row {
  path: string;
  expected: unknown;
  actual: unknown;
}

/** "Check": reads the stack back from AWS and shows what differs from the spec. */
export function DriftCheck({ name }: { name: string }) {
  const [state, setState] = useState<{ loading: boolean; rows?: Row[]; error?: string; at?: string }>({ loading: false });
  const check = async () => {
    setState({ loading: true });
    const res = await fetch(`/api/v1/environments/${encodeURIComponent(name)}/drift`, { cache: "no-store" });
    const body = await res.json();
    setState(
      res.ok
        ? { loading: false, rows: body.drift, at: body.checkedAt }
        : { loading: false, error: body.error?.message ?? `HTTP ${res.status}` },
    );
  };
  return (
    <div className="grid gap-2" data-testid="drift">
      <div className="flex items-center gap-3">
        <Button variant="outline" size="sm" onClick={check} loading={state.loading}>
          <ScanSearch aria-hidden /> Check for drift
        </Button>
        <span className="text-xs text-muted-foreground">Reads every resource back from AWS and compares it with the current spec.</span>
      </div>
      {state.error ? <Alert variant="destructive">{state.error}</Alert> : null}
      {state.rows && state.rows.length === 0 ? <Alert variant="success">No drift: AWS matches the spec.</Alert> : null}
      {state.rows && state.rows.length > 0 ? (
        <Table>
          <THead>
            <TR>
              <TH>Field</TH>
              <TH>Spec</TH>
              <TH>AWS</TH>
            </TR>
          </THead>
          <TBody>
            {state.rows.map((r) => (
              <TR key={r.path}>
                <TD className="font-mono text-xs">{r.path}</TD>
                <TD className="font-mono text-xs">{JSON.stringify(r.expected)}</TD>
                <TD className="font-mono text-xs text-destructive">{JSON.stringify(r.actual)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      ) : null}
    </div>
  );
}
