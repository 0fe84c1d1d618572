import type { TrafficSplit } from "@/server/operations/live.ts";

/**
 * The listener's split between the blue and green fleets, drawn: ALB -> two target groups with
 * their weights. Before provisioning nothing exists, so nothing is drawn as live.
 */
export function TrafficSplitPicture({
  split: given,
  liveSlot,
  provisioned = true,
}: {
  split: TrafficSplit;
  liveSlot: "blue" | "green";
  provisioned?: boolean;
}) {
  if (!provisioned) {
    return (
      <figure
        data-testid="traffic-split"
        data-blue={0}
        data-green={0}
        className="grid min-h-28 place-items-center rounded-lg border border-dashed p-4 text-center text-sm text-muted-foreground"
      >
        <figcaption>No load balancer or fleets yet: provisioning creates them, then the blue fleet takes all traffic.</figcaption>
      </figure>
    );
  }
  const split = given;
  const slots = ["blue", "green"] as const;
  const colour = { blue: "var(--blue-slot)", green: "var(--green-slot)" };
  return (
    <figure
      aria-label={`Traffic: blue ${split.blue}%, green ${split.green}%`}
      data-testid="traffic-split"
      data-blue={split.blue}
      data-green={split.green}
    >
      <svg viewBox="0 0 560 150" className="h-auto w-full max-w-xl" role="img">
        <title>{`Load balancer sends ${split.blue}% to blue and ${split.green}% to green`}</title>
        <rect x="10" y="55" width="120" height="40" rx="6" fill="var(--muted)" stroke="var(--border)" />
        <text x="70" y="80" textAnchor="middle" fontSize="13" fontWeight="600" fill="currentColor">
          Load balancer
        </text>
        {slots.map((slot, i) => {
          const y = i === 0 ? 25 : 125;
          const pct = split[slot];
          return (
            <g key={slot}>
              <path
                d={`M130 75 C 230 75, 250 ${y}, 350 ${y}`}
                fill="none"
                stroke={colour[slot]}
                strokeOpacity={pct > 0 ? 1 : 0.2}
                strokeWidth={Math.max(1.5, (pct / 100) * 14)}
                strokeDasharray={pct > 0 ? undefined : "4 4"}
              />
              <text x="245" y={i === 0 ? 40 : 120} textAnchor="middle" fontSize="13" fontWeight="700" fill={colour[slot]}>
                {pct}%
              </text>
              <rect
                x="350"
                y={y - 20}
                width="200"
                height="40"
                rx="6"
                fill="white"
                stroke={colour[slot]}
                strokeWidth={slot === liveSlot ? 2.5 : 1}
              />
              <text x="362" y={y - 3} fontSize="12" fontWeight="600" fill={colour[slot]}>
                {slot} {slot === liveSlot ? "· live" : ""}
              </text>
              <text x="362" y={y + 13} fontSize="12" fill="currentColor">
                {split.versions[slot] ?? (pct > 0 ? "" : "idle")}
              </text>
            </g>
          );
        })}
      </svg>
      <div className="mt-2 flex h-2.5 w-full max-w-xl overflow-hidden rounded-full bg-muted" aria-hidden>
        <div style={{ width: `${split.blue}%`, background: colour.blue }} className="transition-all duration-500" />
        <div style={{ width: `${split.green}%`, background: colour.green }} className="transition-all duration-500" />
      </div>
    </figure>
  );
}
