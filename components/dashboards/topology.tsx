import type { Slot, TopologyView } from "@/server/dashboards/types.ts";
import { TopologyStack } from "./topology-stack";

type Health = "ok" | "warn" | "bad" | "idle";
const FILL: Record<Health, string> = { ok: "#dcfce7", warn: "#fef3c7", bad: "#fee2e2", idle: "#f1f5f9" };
const STROKE: Record<Health, string> = { ok: "#16a34a", warn: "#d97706", bad: "#dc2626", idle: "#94a3b8" };
const SLOT_COLOUR: Record<Slot, string> = { blue: "var(--blue-slot, #2563eb)", green: "var(--green-slot, #16a34a)" };

function Box({
  x,
  y,
  w,
  h,
  health,
  title,
  lines,
  testId,
}: {
  x: number;
  y: number;
  w: number;
  h: number;
  health: Health;
  title: string;
  lines: string[];
  testId: string;
}) {
  return (
    <g data-testid={testId} data-health={health}>
      <rect x={x} y={y} width={w} height={h} rx={8} fill={FILL[health]} stroke={STROKE[health]} strokeWidth={1.5} />
      <text x={x + 10} y={y + 18} fontSize={11.5} fontWeight={600} fill="currentColor">
        {title}
      </text>
      {lines.map((l, i) => (
        <text key={i} x={x + 10} y={y + 34 + i * 14} fontSize={11} fill="currentColor" opacity={0.8}>
          {l}
        </text>
      ))}
    </g>
  );
}

/**
 * CloudFront -> ALB -> blue/green target groups (weights, healthy/total) -> Auto Scaling groups -> RDS (primary / standby AZ)
 * and the ElastiCache cache (primary and replica nodes with their zones), coloured by health.
 */
export function TopologyPicture({ topology }: { topology: TopologyView }) {
  const t = topology;
  const slots: Slot[] = ["blue", "green"];
  const cdnHealth: Health = !t.distribution ? "idle" : t.distribution.enabled && t.distribution.status === "Deployed" ? "ok" : "warn";
  const lbHealth: Health = !t.loadBalancer ? "bad" : t.loadBalancer.state === "active" ? "ok" : "warn";
  const weight = (s: Slot) => t.loadBalancer?.weights?.[s] ?? 0;
  const tgHealth = (s: Slot): Health => {
    const g = t.targetGroups[s];
    if (!g || g.total === 0) return weight(s) > 0 ? "bad" : "idle";
    if (g.healthy === g.total) return "ok";
    return g.healthy > 0 ? "warn" : "bad";
  };
  const asgHealth = (s: Slot): Health => {
    const f = t.fleets[s];
    if (!f) return "bad";
    if (f.desired === 0 && f.inService === 0) return "idle";
    if (f.inService >= f.desired && f.pending === 0) return "ok";
    return f.inService > 0 ? "warn" : "bad";
  };
  const db = t.database;
  const dbHealth: Health = !db ? "idle" : db.status === "available" ? "ok" : /reboot|fail|modif|backing/.test(db.status) ? "warn" : "bad";
  const cache = t.cache ?? null;
  const cacheHealth: Health = !cache
    ? "idle"
    : cache.status === "available"
      ? "ok"
      : /modif|snapshot|creat/.test(cache.status)
        ? "warn"
        : "bad";
  // With a cache, the database sits above it in the right-hand column.
  const dbY = cache ? 5 : 60;
  const X = { cdn: 10, alb: 170, tg: 345, asg: 555, db: 765 };
  const yOf = (s: Slot) => (s === "blue" ? 20 : 130);
  return (
    <figure
      data-testid="topology"
      data-db-az={db?.primaryAz ?? ""}
      data-db-standby-az={db?.standbyAz ?? ""}
      data-db-status={db?.status ?? ""}
      data-cache-primary={cache?.primary?.id ?? ""}
      data-cache-status={cache?.status ?? ""}
      aria-label="Stack topology"
    >
      <TopologyStack topology={t} />
      <svg viewBox="0 0 930 210" className="hidden w-full md:block" role="img">
        <title>Stack topology coloured by health</title>
        {/* edges */}
        {t.distribution ? <line x1={X.cdn + 140} y1={105} x2={X.alb} y2={105} stroke="#94a3b8" strokeWidth={2} /> : null}
        {slots.map((s) => (
          <g key={s}>
            <path
              d={`M${X.alb + 150} 105 C ${X.alb + 170} 105, ${X.tg - 30} ${yOf(s) + 30}, ${X.tg} ${yOf(s) + 30}`}
              fill="none"
              stroke={SLOT_COLOUR[s]}
              strokeWidth={Math.max(1.5, weight(s) / 8)}
              strokeOpacity={weight(s) > 0 ? 0.9 : 0.25}
              strokeDasharray={weight(s) > 0 ? undefined : "4 4"}
            />
            <text
              x={X.tg - 40}
              y={s === "blue" ? yOf(s) + 22 : yOf(s) + 50}
              fontSize={12}
              fontWeight={700}
              fill={SLOT_COLOUR[s]}
              data-testid={`weight-${s}`}
            >
              {weight(s)}%
            </text>
            <line
              x1={X.tg + 185}
              y1={yOf(s) + 30}
              x2={X.asg}
              y2={yOf(s) + 30}
              stroke={SLOT_COLOUR[s]}
              strokeOpacity={0.6}
              strokeWidth={1.5}
            />
            {cache ? (
              <path
                d={`M${X.asg + 185} ${yOf(s) + 30} C ${X.asg + 190} ${yOf(s) + 30}, ${X.db - 20} 160, ${X.db} 160`}
                fill="none"
                stroke="#94a3b8"
                strokeWidth={1.2}
                strokeDasharray="3 3"
              />
            ) : null}
            {db ? (
              <path
                d={`M${X.asg + 185} ${yOf(s) + 30} C ${X.asg + 190} ${yOf(s) + 30}, ${X.db - 20} ${dbY + 45}, ${X.db} ${dbY + 45}`}
                fill="none"
                stroke="#94a3b8"
                strokeWidth={1.2}
                strokeDasharray="3 3"
              />
            ) : null}
          </g>
        ))}
        {t.distribution ? (
          <Box
            testId="topo-cdn"
            x={X.cdn}
            y={75}
            w={140}
            h={60}
            health={cdnHealth}
            title="CloudFront"
            lines={[t.distribution.id, t.distribution.enabled ? t.distribution.status : "disabled"]}
          />
        ) : (
          <Box testId="topo-cdn" x={X.cdn} y={75} w={140} h={60} health="idle" title="CloudFront" lines={["none"]} />
        )}
        <Box
          testId="topo-alb"
          x={X.alb}
          y={75}
          w={150}
          h={60}
          health={lbHealth}
          title="Load balancer"
          lines={[t.loadBalancer?.state ?? "missing", `live: ${t.liveSlot}`]}
        />
        {slots.map((s) => {
          const g = t.targetGroups[s];
          const f = t.fleets[s];
          return (
            <g key={s}>
              <Box
                testId={`topo-tg-${s}`}
                x={X.tg}
                y={yOf(s)}
                w={185}
                h={60}
                health={tgHealth(s)}
                title={`${s} target group${s === t.liveSlot ? " · live" : ""}`}
                lines={[g ? `${g.healthy}/${g.total} healthy targets` : "missing", `weight ${weight(s)}%`]}
              />
              <Box
                testId={`topo-asg-${s}`}
                x={X.asg}
                y={yOf(s)}
                w={185}
                h={60}
                health={asgHealth(s)}
                title={`${s} Auto Scaling group`}
                lines={f ? [`${f.inService}/${f.desired} in service`, `${f.pending} pending · ${f.min}–${f.max}`] : ["missing"]}
              />
            </g>
          );
        })}
        {db ? (
          <Box
            testId="topo-db"
            x={X.db}
            y={dbY}
            w={160}
            h={90}
            health={dbHealth}
            title="RDS"
            lines={[
              db.identifier,
              db.status,
              `primary ${db.primaryAz ?? "?"}`,
              db.multiAz ? `standby ${db.standbyAz ?? "?"}` : "single-AZ",
            ]}
          />
        ) : (
          <Box testId="topo-db" x={X.db} y={cache ? 20 : 75} w={160} h={60} health="idle" title="RDS" lines={["no database"]} />
        )}
        {cache ? (
          <Box
            testId="topo-cache"
            x={X.db}
            y={115}
            w={160}
            h={90}
            health={cacheHealth}
            title="ElastiCache"
            lines={[
              cache.id,
              cache.status,
              `primary ${cache.primary ? `${cache.primary.id.slice(-3)} ${cache.primary.az ?? "?"}` : "?"}`,
              cache.replicas.length
                ? `replica${cache.replicas.length > 1 ? "s" : ""} ${cache.replicas.map((r) => `${r.id.slice(-3)} ${r.az ?? "?"}`).join(", ")}`
                : "no replica",
            ]}
          />
        ) : null}
      </svg>
      {t.status.kind !== "ok" ? (
        <figcaption className="text-xs text-amber-700">
          Topology: {t.status.kind === "throttled" ? "throttled, showing the last state" : t.status.message}
        </figcaption>
      ) : null}
    </figure>
  );
}
