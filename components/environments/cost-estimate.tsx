import { Alert } from "@/components/ui/alert";
import type { CostEstimate } from "@/server/costs/estimate.ts";

const money = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The estimated monthly cost, line by line, with the price table's date and any warnings. */
export function CostBreakdown({ estimate, compact = false }: { estimate: CostEstimate; compact?: boolean }) {
  return (
    <div className="grid gap-3" data-testid="cost-estimate" data-total={estimate.totalUsd}>
      {estimate.warnings.map((w) => (
        <Alert key={w} variant="warning" data-testid="cost-warning">
          {w}
        </Alert>
      ))}
      <table className="w-full text-sm">
        <tbody>
          {estimate.lines.map((l) => (
            <tr key={l.key} className="border-b border-border/60 align-top" data-testid={`cost-${l.key}`}>
              <td className="py-1 pr-3">
                {l.label}
                {compact ? null : <div className="text-xs text-muted-foreground">{l.detail}</div>}
              </td>
              <td className="py-1 text-right tabular-nums">{money(l.monthlyUsd)}</td>
            </tr>
          ))}
          <tr className="font-semibold">
            <td className="py-1.5">Estimated per month</td>
            <td className="py-1.5 text-right tabular-nums" data-testid="cost-total">
              {money(estimate.totalUsd)}
            </td>
          </tr>
        </tbody>
      </table>
      <p className="text-xs text-muted-foreground">
        On-demand list prices of {estimate.priceRegion} as of {estimate.pricesAsOf}; the idle fleet runs only during rollouts and their
        rollback window. {estimate.regionNote ?? ""}
      </p>
    </div>
  );
}
