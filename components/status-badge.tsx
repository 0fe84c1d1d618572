import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { cn } from "@/lib/utils";

type Tone = { variant: BadgeVariant; live?: boolean };

/** Statuses of environments, deployments, workflow steps and AWS resources. */
const tones: Record<string, Tone> = {
  draft: { variant: "outline" },
  pending: { variant: "secondary" },
  queued: { variant: "secondary" },
  skipped: { variant: "secondary" },
  cancelled: { variant: "secondary" },
  deleted: { variant: "secondary" },
  provisioning: { variant: "info", live: true },
  deploying: { variant: "info", live: true },
  in_progress: { variant: "info", live: true },
  running: { variant: "info", live: true },
  baking: { variant: "info", live: true },
  deleting: { variant: "warning", live: true },
  rolling_back: { variant: "warning", live: true },
  awaiting_approval: { variant: "warning" },
  draining: { variant: "warning", live: true },
  rolled_back: { variant: "warning" },
  ready: { variant: "success" },
  succeeded: { variant: "success" },
  healthy: { variant: "success" },
  available: { variant: "success" },
  failed: { variant: "destructive" },
  unhealthy: { variant: "destructive" },
  alarm: { variant: "destructive" },
};

const dotColour: Record<BadgeVariant, string> = {
  default: "bg-primary-foreground",
  secondary: "bg-muted-foreground/60",
  outline: "bg-muted-foreground/60",
  success: "bg-success",
  warning: "bg-warning",
  destructive: "bg-destructive",
  info: "bg-info",
  blue: "bg-blue-slot",
  green: "bg-green-slot",
};

/** "rolling_back" -> "Rolling back". */
export function statusLabel(status: string): string {
  const words = status.replace(/[_-]+/g, " ").trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export type StatusBadgeProps = {
  status: string;
  /** Overrides the displayed text; the colour still follows `status`. */
  label?: string;
  className?: string;
};

/** A coloured badge with a dot that pulses while the status is still moving. */
export function StatusBadge({ status, label, className }: StatusBadgeProps) {
  const tone = tones[status.toLowerCase()] ?? { variant: "secondary" };
  return (
    <Badge variant={tone.variant} data-status={status} className={cn("gap-1.5", className)}>
      <span className="relative flex size-1.5" aria-hidden>
        {tone.live ? (
          <span className={cn("absolute inline-flex size-full animate-ping rounded-full opacity-60", dotColour[tone.variant])} />
        ) : null}
        <span className={cn("relative inline-flex size-1.5 rounded-full", dotColour[tone.variant])} />
      </span>
      {label ?? statusLabel(status)}
    </Badge>
  );
}
