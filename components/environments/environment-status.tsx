"use client";

import { StatusBadge } from "@/components/status-badge";
import { Badge } from "@/components/ui/badge";
import { useLive } from "@/components/operations/live-query";
import type { LivePanel as LiveData } from "@/server/operations/live.ts";

/**
 * The environment page's header line, from the same live query as every panel below it: the
 * status leaves "Draft" the moment provisioning succeeds, and the spec's version is shown
 * beside the live one ("spec v1.1.0 · live v1.0.0 after rollback").
 */
export function EnvironmentStatus({
  name,
  initial,
  region,
  account,
  revision,
  specVersion,
  protectedEnv,
}: {
  name: string;
  initial: LiveData;
  region: string;
  account: string;
  revision: number;
  specVersion: string;
  protectedEnv: boolean;
}) {
  const data = useLive(name, initial).data ?? initial;
  const env = data.environment;
  const live = env.provisioned ? env.liveVersion : null;
  const differs = live !== null && live !== specVersion;
  return (
    <span className="flex flex-wrap items-center gap-x-2 gap-y-1" data-testid="environment-status">
      <StatusBadge status={env.status} />
      <span className="font-mono text-xs">{region}</span>
      <span>· account {account}</span>
      <span data-testid="spec-vs-live">
        · spec <span className="font-mono">{specVersion}</span>
        {live !== null ? (
          <>
            {" "}
            · live <span className="font-mono">{live}</span>
            {differs ? <span className="text-amber-700 dark:text-amber-400"> {whyDiffers(data, specVersion)}</span> : null}
          </>
        ) : null}
      </span>
      <span className="text-xs">· revision {revision}</span>
      {protectedEnv ? <Badge variant="warning">protected</Badge> : null}
    </span>
  );
}

/** Why the live version is not the spec's: the last finished operation says. */
function whyDiffers(data: LiveData, specVersion: string): string {
  const last = data.history.find((h) => !["running", "pending", "awaiting_approval"].includes(h.status));
  if (last && (last.kind === "rollback" || last.status === "rolled_back")) return "after rollback";
  if (data.environment.busy) return "(rolling out)";
  return `(${specVersion} not deployed yet)`;
}
