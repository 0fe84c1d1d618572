import { requireRole, type Actor } from "../auth/actor.ts";
import { listOperations, getOperation, type OperationView } from "./queries.ts";
import { requireEnvironment } from "../environments/load.ts";

export interface TrafficSplit {
  blue: number;
  green: number;
  versions: { blue: string | null; green: string | null };
}

/**
 * Everything the environment page's live panel shows, in one read: the environment's state,
 * the running (or latest) operation with its steps, recent history, and the traffic split.
 * The split follows Switchyard's own moves (only Switchyard changes the listener): the live
 * slot takes 100% unless a rollout is part-way through a shift.
 */
export async function livePanel({ actor, input }: { actor: Actor; input: { name: string } }) {
  requireRole(actor, "viewer");
  const { env } = await requireEnvironment(input.name);
  const history = await listOperations({ actor, input: { name: input.name, limit: 15 } });
  const focusId = env.lockDeploymentId ?? history[0]?.id ?? null;
  const focus: OperationView | null = focusId ? await getOperation({ actor, input: { name: input.name, id: focusId } }) : null;
  const live = env.liveSlot as "blue" | "green";
  const idle = live === "blue" ? "green" : "blue";
  const split: TrafficSplit = { blue: live === "blue" ? 100 : 0, green: live === "green" ? 100 : 0, versions: { blue: null, green: null } };
  split.versions[live] = env.liveVersion;
  const warm = env.warmUntil && env.warmUntil > new Date();
  if (warm && env.previousVersion) split.versions[idle] = env.previousVersion;
  if (focus && focus.kind === "rollout" && env.lockDeploymentId === focus.id) {
    split.versions[idle] = focus.toVersion;
    const shifted = focus.steps.filter((s) => s.key.startsWith("shift-") && (s.status === "running" || s.status === "succeeded"));
    const last = shifted[shifted.length - 1];
    if (last) {
      const pct = Number(last.key.slice("shift-".length));
      split[idle] = pct;
      split[live] = 100 - pct;
    }
  }
  return {
    environment: {
      name: env.name,
      status: env.status,
      liveSlot: live,
      liveVersion: env.liveVersion,
      previousVersion: env.previousVersion,
      warmUntil: env.warmUntil?.toISOString() ?? null,
      busy: env.lockDeploymentId !== null,
      provisioned: env.stack !== null,
      endpoints: stackEndpoints(env.stack),
    },
    split,
    focus,
    history,
  };
}

export type LivePanel = Awaited<ReturnType<typeof livePanel>>;

function stackEndpoints(stack: unknown): { loadBalancer: string | null; distribution: string | null; database: string | null } {
  const s = stack as {
    loadBalancer?: { dnsName?: string } | null;
    distribution?: { domainName?: string } | null;
    database?: { endpoint?: string | null } | null;
  } | null;
  return {
    loadBalancer: s?.loadBalancer?.dnsName ?? null,
    distribution: s?.distribution?.domainName ?? null,
    database: s?.database?.endpoint ?? null,
  };
}
