import { Remaining } from "@/components/time-ago";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import type { RollbackReadinessView } from "@/server/operations/rollback-readiness.ts";

const usd = (n: number) => `$${n < 0.1 ? n.toFixed(4) : n.toFixed(2)}`;

/**
 * Rollback readiness: whether a rollback is one listener change onto a warm fleet big enough
 * for today's traffic, how long that lasts, and what keeping the fleet warm costs.
 */
export function RollbackReadiness({ readiness: r }: { readiness: RollbackReadinessView }) {
  const variant = r.mode === "instant" ? "success" : "warning";
  return (
    <Card className="mt-6" data-testid="rollback-readiness" data-mode={r.mode} data-warm={r.warmInstances} data-needed={r.needed}>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          Rollback readiness
          <Badge variant={variant}>{r.mode === "instant" ? "ready" : r.mode === "scale-up" ? "scales up first" : "refill first"}</Badge>
        </CardTitle>
        <CardDescription>
          Back to {r.previousVersion} on the {r.warmSlot} fleet.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-1 text-sm">
        <p className="font-medium" data-testid="rollback-readiness-summary">
          {r.summary}
        </p>
        <p className="text-muted-foreground">
          {r.warmUntil ? (
            <>
              Warm for another <Remaining until={r.warmUntil} />
              {r.heldAt !== null ? `, held at ${r.heldAt} instance${r.heldAt === 1 ? "" : "s"} (scale-in stopped at that minimum)` : ""}.
            </>
          ) : (
            "The rollback window is over: a rollback refills the fleet before it shifts."
          )}
        </p>
        {r.costPerHour !== null && r.warmDesired > 0 ? (
          <p className="text-muted-foreground" data-testid="rollback-readiness-cost">
            Keeping it warm costs {usd(r.costPerHour)} an hour ({r.warmDesired} × {r.instanceType}, on-demand list price).
          </p>
        ) : null}
      </CardContent>
    </Card>
  );
}
