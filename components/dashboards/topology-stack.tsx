import type { Slot, TopologyView } from "@/server/dashboards/types.ts";

const SLOT_COLOUR: Record<Slot, string> = { blue: "var(--blue-slot, #2563eb)", green: "var(--green-slot, #16a34a)" };

function Node({ title, lines, colour, testId }: { title: string; lines: string[]; colour?: string; testId: string }) {
  return (
    <li
      className="rounded-md border bg-card px-3 py-2 text-xs"
      style={colour ? { borderLeft: `4px solid ${colour}` } : undefined}
      data-testid={testId}
    >
      <p className="font-semibold">{title}</p>
      {lines.map((l) => (
        <p key={l} className="text-muted-foreground">
          {l}
        </p>
      ))}
    </li>
  );
}

/** The topology as a stacked list for phones (the picture needs about 720 px): the same facts, top to bottom. */
export function TopologyStack({ topology: t }: { topology: TopologyView }) {
  const weight = (s: Slot) => t.loadBalancer?.weights?.[s] ?? 0;
  return (
    <ol className="grid gap-2 md:hidden" aria-label="Stack topology, top to bottom">
      {t.distribution ? (
        <Node
          testId="topo-stack-cdn"
          title="CloudFront"
          lines={[t.distribution.id, t.distribution.enabled ? t.distribution.status : "disabled"]}
        />
      ) : null}
      <Node testId="topo-stack-alb" title="Load balancer" lines={[t.loadBalancer?.state ?? "missing", `live: ${t.liveSlot}`]} />
      {(["blue", "green"] as const).map((s) => {
        const g = t.targetGroups[s];
        const f = t.fleets[s];
        return (
          <Node
            key={s}
            testId={`topo-stack-${s}`}
            colour={SLOT_COLOUR[s]}
            title={`${s} fleet · ${weight(s)}%${s === t.liveSlot ? " · live" : ""}`}
            lines={[
              g ? `${g.healthy}/${g.total} healthy targets` : "no target group",
              f ? `${f.inService}/${f.desired} in service, ${f.pending} pending (${f.min}–${f.max})` : "no Auto Scaling group",
            ]}
          />
        );
      })}
      {t.database ? (
        <Node
          testId="topo-stack-db"
          title="RDS"
          lines={[
            `${t.database.identifier} · ${t.database.status}`,
            `primary ${t.database.primaryAz ?? "?"}${t.database.multiAz ? `, standby ${t.database.standbyAz ?? "?"}` : ", single-AZ"}`,
          ]}
        />
      ) : null}
      {t.cache ? <Node testId="topo-stack-cache" title="ElastiCache" lines={[`${t.cache.id} · ${t.cache.status}`]} /> : null}
    </ol>
  );
}
