import { requireRole, type Actor } from "../auth/actor.ts";
import { db } from "../db/client.ts";
import { ServiceError } from "../errors.ts";
import { environmentRow } from "../environments/load.ts";

const TERMINAL = ["succeeded", "failed", "rolled_back", "cancelled"];
export const isTerminal = (status: string) => TERMINAL.includes(status);

export type OperationView = Awaited<ReturnType<typeof getOperation>>;

/**
 * Who may read an operation's error text. It quotes whatever answered at the account's
 * endpoint; an endpoint that is neither AWS (role accounts) nor the configured local cloud
 * could be anything the server can reach, so only admins read what it said: others get a
 * generic message with a reference an admin can look up.
 */
interface Audience {
  showEndpointText: boolean;
}

async function audienceFor(actor: Actor, environmentId: string): Promise<Audience> {
  if (actor.role === "admin") return { showEndpointText: true };
  const env = await db.environment.findUnique({
    where: { id: environmentId },
    select: { account: { select: { endpointUrl: true, isLocal: true } } },
  });
  const foreignEndpoint = !!env?.account?.endpointUrl && !env.account.isLocal;
  return { showEndpointText: !foreignEndpoint };
}

const hidden = (reference: string) =>
  `Failed. The details quote the account's endpoint and are shown to admins only (reference ${reference}).`;

function view(
  audience: Audience,
  d: {
    id: string;
    kind: string;
    status: string;
    strategy: string | null;
    fromVersion: string | null;
    toVersion: string | null;
    fromSlot: string | null;
    toSlot: string | null;
    startedBy: string;
    approvedBy: string | null;
    reason: string | null;
    verdict: unknown;
    createdAt: Date;
    startedAt: Date | null;
    finishedAt: Date | null;
    steps?: Array<{
      key: string;
      label: string;
      position: number;
      status: string;
      attempts: number;
      startedAt: Date | null;
      finishedAt: Date | null;
      detail: unknown;
      error: string | null;
    }>;
  },
) {
  const end = d.finishedAt ?? (isTerminal(d.status) ? d.createdAt : null);
  return {
    id: d.id,
    kind: d.kind,
    status: d.status,
    strategy: d.strategy,
    fromVersion: d.fromVersion,
    toVersion: d.toVersion,
    fromSlot: d.fromSlot,
    toSlot: d.toSlot,
    startedBy: d.startedBy,
    approvedBy: d.approvedBy,
    reason: d.reason && !audience.showEndpointText ? hidden(d.id) : d.reason,
    verdict: d.verdict,
    createdAt: d.createdAt.toISOString(),
    startedAt: d.startedAt?.toISOString() ?? null,
    finishedAt: d.finishedAt?.toISOString() ?? null,
    durationMs: d.startedAt && end ? end.getTime() - d.startedAt.getTime() : null,
    steps: (d.steps ?? [])
      .sort((a, b) => a.position - b.position)
      .map((s) => ({
        key: s.key,
        label: s.label,
        status: s.status,
        attempts: s.attempts,
        startedAt: s.startedAt?.toISOString() ?? null,
        finishedAt: s.finishedAt?.toISOString() ?? null,
        durationMs: s.startedAt && s.finishedAt ? s.finishedAt.getTime() - s.startedAt.getTime() : null,
        detail: s.detail,
        error: s.error && !audience.showEndpointText ? hidden(`${d.id}/${s.key}`) : s.error,
      })),
  };
}

async function envId(name: string): Promise<string> {
  return (await environmentRow(name)).id;
}

export async function listOperations({ actor, input }: { actor: Actor; input: { name: string; limit?: number } }) {
  requireRole(actor, "viewer");
  const environmentId = await envId(input.name);
  const rows = await db.deployment.findMany({
    where: { environmentId },
    orderBy: { createdAt: "desc" },
    take: Math.min(input.limit ?? 50, 200),
  });
  const audience = await audienceFor(actor, environmentId);
  return rows.map((d) => view(audience, d));
}

export async function getOperation({ actor, input }: { actor: Actor; input: { name: string; id: string } }) {
  requireRole(actor, "viewer");
  const environmentId = await envId(input.name);
  const d = await db.deployment.findFirst({ where: { id: input.id, environmentId }, include: { steps: true } });
  if (!d) throw new ServiceError("NOT_FOUND", `No deployment ${input.id} on "${input.name}".`);
  return view(await audienceFor(actor, environmentId), d);
}

/** The running operation of an environment, with its steps, or null. */
export async function currentOperation({ actor, input }: { actor: Actor; input: { name: string } }) {
  requireRole(actor, "viewer");
  const env = await environmentRow(input.name);
  if (!env.lockDeploymentId) return null;
  const d = await db.deployment.findUnique({ where: { id: env.lockDeploymentId }, include: { steps: true } });
  return d ? view(await audienceFor(actor, env.id), d) : null;
}
