import type { ChannelWithLog } from "@/server/notifications/channels.ts";

const time = (iso: string) => new Date(iso).toLocaleTimeString("en-GB", { hour12: false });

/** The last deliveries: event, status, attempts and what the destination answered each time. */
export function DeliveryLog({ deliveries }: { deliveries: ChannelWithLog["deliveries"] }) {
  if (!deliveries.length) return <p className="mt-2 text-xs text-muted-foreground">Nothing sent yet.</p>;
  return (
    <details className="mt-2">
      <summary className="cursor-pointer text-xs text-muted-foreground select-none">Delivery log ({deliveries.length} latest)</summary>
      <ul className="mt-2 grid gap-1 text-xs" aria-label="Delivery log">
        {deliveries.map((d) => (
          <li key={d.id} className="rounded border px-2 py-1" data-testid="delivery" data-status={d.status}>
            <span className="font-mono">{d.eventType}</span>{" "}
            <span className={d.status === "delivered" ? "text-green-700" : d.status === "pending" ? "text-amber-700" : "text-destructive"}>
              {d.status}
            </span>{" "}
            · {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
            {d.nextAttemptAt ? ` · next try ${time(d.nextAttemptAt)}` : ""}
            {d.attemptLog.length ? (
              <span className="block text-muted-foreground">
                {d.attemptLog
                  .map(
                    (a) =>
                      `#${a.attempt} ${time(a.at)} ${a.statusCode ?? "no answer"}${a.error && a.statusCode === null ? ` (${a.error})` : ""} ${a.durationMs} ms`,
                  )
                  .join(" · ")}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </details>
  );
}
