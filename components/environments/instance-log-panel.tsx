"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Select } from "@/components/ui/select";
import type { InstanceLog } from "@/server/provisioning/index.ts";
import type { ActionResult } from "@/server/result.ts";

/**
 * An instance's own log (EC2 GetConsoleOutput), read on demand: what its user data did, line by
 * line, and why it failed when it did (no route to a service, a permission the role lacks...).
 */
export function InstanceLogPanel({
  name,
  read,
}: {
  name: string;
  read: (name: string, instanceId?: string) => Promise<ActionResult<InstanceLog>>;
}) {
  const [log, setLog] = useState<InstanceLog | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const load = (instanceId?: string) =>
    start(async () => {
      const r = await read(name, instanceId);
      if (r.ok) {
        setLog(r.data);
        setError(null);
      } else setError(r.message);
    });

  return (
    <Card className="mt-6" data-testid="instance-log">
      <CardHeader>
        <div className="flex flex-wrap items-center gap-3">
          <div className="grid gap-1">
            <CardTitle>Instance log</CardTitle>
            <CardDescription>The console output of an instance: cloud-init and the user data, as EC2 keeps it.</CardDescription>
          </div>
          <div className="ml-auto flex items-center gap-2">
            {log?.instances.length ? (
              <Select
                aria-label="Instance"
                value={log.instanceId ?? ""}
                onChange={(e) => load(e.target.value)}
                options={log.instances.map((i) => ({ value: i.id, label: `${i.id} (${i.slot}, ${i.lifecycleState})` }))}
              />
            ) : null}
            <Button size="sm" variant="outline" loading={pending} onClick={() => load(log?.instanceId ?? undefined)}>
              {log ? "Refresh" : "Show instance log"}
            </Button>
          </div>
        </div>
      </CardHeader>
      {log || error ? (
        <CardContent>
          {error ? <p className="text-sm text-destructive">{error}</p> : null}
          {log && !log.instanceId ? <p className="text-sm text-muted-foreground">No instance is running.</p> : null}
          {log?.instanceId ? (
            <>
              <p className="mb-2 text-xs text-muted-foreground" data-testid="instance-log-status" data-failed={log.failed}>
                {log.instanceId} · {log.slot} fleet · {log.lifecycleState} · {log.failed ? "the user data failed" : "no failure in the log"}
              </p>
              <pre
                className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md bg-muted p-3 font-mono text-xs leading-relaxed"
                data-testid="instance-log-text"
              >
                {log.text ?? "(no console output yet)"}
              </pre>
            </>
          ) : null}
        </CardContent>
      ) : null}
    </Card>
  );
}
