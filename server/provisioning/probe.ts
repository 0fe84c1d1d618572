/**
 * probeFleet: before a rollout moves any traffic, Switchyard asks every new target itself,
 * through the environment's real listener, whether it answers, and (where the app says
 * which) with the version being rolled out. Health checks only prove that the health path
 * answers; they cannot tell v1 from v3.
 *
 * How it reaches the idle fleet while it takes 0% of traffic: a listener rule forwards
 * requests that carry a one-off header (`X-Switchyard-Probe: <token>`) to the idle target
 * group. The rule exists only for the probe and is deleted after it, on success or failure.
 * The app may report itself in `X-App-Version` / `X-Instance-Id` headers or `version` /
 * `instanceId` in a JSON body (the local cloud's instances do both). With instance ids, every
 * in-service instance must answer; without, a run of consecutive good answers is required.
 * ALB rules take a moment to reach every load balancer node, so answers from instances that
 * are not in the new fleet are ignored until the deadline, never counted.
 */
import { CreateRuleCommand, DeleteRuleCommand, DescribeListenersCommand, type ElbRule } from "../aws/sdk.ts";
import { listenerBaseUrl } from "../aws/data-plane.ts";
import { isNotFound } from "../aws/errors.ts";
import { defineStep, tokenOf, type Slot, type StepContext, type StepInput } from "./context.ts";
import { findFleet } from "./fleet.ts";
import { listRules } from "./listener-routing.ts";

export const PROBE_HEADER = "X-Switchyard-Probe";
const DEADLINE_MS = 45_000;
const REQUEST_TIMEOUT_MS = 5_000;
/** Without instance ids: this many consecutive good answers in a row. */
const CONSECUTIVE_OK = 10;

export interface ProbeInput extends StepInput {
  slot: Slot;
  /** The rollout's app version and launch template version. */
  version: string;
  launchTemplateVersion: number;
  listenerArn: string;
  targetGroupArn: string;
  loadBalancer: { name: string; dnsName: string };
  /** Makes the probe header's value: the same for every retry of one rollout. */
  deploymentId: string;
}

export interface ProbeAnswer {
  instanceId: string | null;
  status: number | null;
  version: string | null;
  error: string | null;
}

export interface ProbeResult {
  ok: boolean;
  /** In words, for the timeline and the rollback reason. */
  summary: string;
  requests: number;
  expected: string[];
  answered: string[];
  wrongVersion: Array<{ instanceId: string | null; version: string }>;
  failures: ProbeAnswer[];
}

export const ruleMatches = (r: ElbRule, token: string) =>
  (r.Conditions ?? []).some(
    (c) =>
      c.Field === "http-header" &&
      c.HttpHeaderConfig?.HttpHeaderName?.toLowerCase() === PROBE_HEADER.toLowerCase() &&
      c.HttpHeaderConfig.Values?.includes(token),
  );

/** The probe rule of this rollout: found (a retried step), or created at the lowest free priority. */
export async function ensureProbeRule(
  ctx: StepContext,
  input: Pick<ProbeInput, "listenerArn" | "targetGroupArn" | "envId">,
  token: string,
): Promise<string> {
  const rules = await listRules(ctx, input.listenerArn);
  const existing = rules.find((r) => ruleMatches(r, token));
  if (existing?.RuleArn) return existing.RuleArn;
  const used = new Set(rules.map((r) => Number(r.Priority)).filter(Number.isFinite));
  let priority = 1;
  while (used.has(priority)) priority++;
  const out = await ctx.aws.elbv2.send(
    new CreateRuleCommand({
      ListenerArn: input.listenerArn,
      Priority: priority,
      Conditions: [{ Field: "http-header", HttpHeaderConfig: { HttpHeaderName: PROBE_HEADER, Values: [token] } }],
      Actions: [{ Type: "forward", TargetGroupArn: input.targetGroupArn }],
      Tags: [
        { Key: "switchyard:environment", Value: input.envId },
        { Key: "switchyard:purpose", Value: "probe" },
      ],
    }),
  );
  const arn = out.Rules?.[0]?.RuleArn;
  if (!arn) throw new Error("CreateRule returned no rule");
  ctx.touch("elbv2:rule", arn, "created");
  return arn;
}

export async function deleteProbeRule(ctx: StepContext, ruleArn: string) {
  try {
    await ctx.aws.elbv2.send(new DeleteRuleCommand({ RuleArn: ruleArn }));
    ctx.touch("elbv2:rule", ruleArn, "deleted");
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** What one answer says about the app: headers first, then a JSON body. */
export async function readAnswer(res: Response): Promise<Omit<ProbeAnswer, "error">> {
  let version = res.headers.get("x-app-version");
  let instanceId = res.headers.get("x-instance-id");
  if ((!version || !instanceId) && (res.headers.get("content-type") ?? "").includes("json")) {
    const body = (await res.json().catch(() => null)) as { version?: unknown; instanceId?: unknown } | null;
    if (!version && typeof body?.version === "string") version = body.version;
    if (!instanceId && typeof body?.instanceId === "string") instanceId = body.instanceId;
  } else await res.arrayBuffer().catch(() => undefined);
  return { status: res.status, version, instanceId };
}

/** One request of Switchyard's own (the probe of new targets, the confirmation of a rollback). */
export async function ask(url: string, headers: Record<string, string>): Promise<ProbeAnswer> {
  try {
    const res = await fetch(url, {
      headers: { ...headers, "user-agent": "Switchyard-Probe/1" },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      cache: "no-store",
    });
    return { ...(await readAnswer(res)), error: null };
  } catch (err) {
    return { instanceId: null, status: null, version: null, error: (err as Error).message };
  }
}

export const good = (a: ProbeAnswer) => a.status !== null && a.status >= 200 && a.status < 400;

/**
 * Judges answers as they come. Exported for unit tests: the decision is pure.
 * `expected` empty means the app does not report instance ids.
 */
export function judgeProbe(answers: ProbeAnswer[], expected: string[], version: string, final: boolean): ProbeResult | null {
  const expectedSet = new Set(expected);
  const fromFleet = answers.filter((a) => (a.instanceId ? expectedSet.has(a.instanceId) : expected.length === 0 || a.status === null));
  const wrongVersion = fromFleet
    .filter((a) => good(a) && a.version !== null && a.version !== version)
    .map((a) => ({ instanceId: a.instanceId, version: a.version! }));
  const answered = [
    ...new Set(fromFleet.filter((a) => good(a) && (a.version === null || a.version === version) && a.instanceId).map((a) => a.instanceId!)),
  ];
  const failures = fromFleet.filter((a) => !good(a));
  const base = { requests: answers.length, expected, answered, wrongVersion, failures: failures.slice(-5) };
  if (wrongVersion.length) {
    const w = wrongVersion[0];
    return { ok: false, summary: `${w.instanceId ?? "a new target"} answered version ${w.version}, not ${version}`, ...base };
  }
  let ok: boolean;
  if (expected.length) ok = answered.length === expected.length;
  else {
    let run = 0;
    for (const a of answers) run = good(a) && (a.version === null || a.version === version) ? run + 1 : 0;
    ok = run >= CONSECUTIVE_OK;
  }
  if (ok) {
    const v = fromFleet.some((a) => a.version) ? ` with version ${version}` : "";
    const who = expected.length ? `${answered.length} of ${expected.length} new targets` : `${CONSECUTIVE_OK} requests in a row`;
    return { ok: true, summary: `${who} answered${v}`, ...base };
  }
  if (!final) return null;
  const missing = expected.filter((id) => !answered.includes(id));
  const lastFailure = failures[failures.length - 1];
  const why = lastFailure ? (lastFailure.error ?? `HTTP ${lastFailure.status}`) : "no answer from it";
  const summary = expected.length
    ? `${answered.length} of ${expected.length} new targets answered; ${missing.join(", ")} did not (${why})`
    : `the new fleet did not answer ${CONSECUTIVE_OK} requests in a row (${why})`;
  return { ok: false, summary, ...base };
}

export const probeFleet = defineStep("probe the new targets", async (input: ProbeInput, ctx): Promise<ProbeResult> => {
  const group = await findFleet(ctx, input.slot);
  const expected = (group?.Instances ?? [])
    .filter((i) => i.LifecycleState === "InService" && Number(i.LaunchTemplate?.Version) === input.launchTemplateVersion)
    .map((i) => i.InstanceId!)
    .filter(Boolean);
  const token = tokenOf(input.envId, "probe", input.deploymentId);
  // Switchyard's listeners are on 80; an adopted stack's listener is on whatever port its team chose.
  const port = ctx.names.adopted
    ? ((await ctx.aws.elbv2.send(new DescribeListenersCommand({ ListenerArns: [input.listenerArn] }))).Listeners?.[0]?.Port ?? 80)
    : 80;
  const base = await listenerBaseUrl(ctx.account, { ...input.loadBalancer, port });
  const url = `${base}${input.spec.healthCheck.path}`;
  const ruleArn = await ensureProbeRule(ctx, input, token);
  try {
    const answers: ProbeAnswer[] = [];
    const deadline = Date.now() + DEADLINE_MS;
    // Instance ids are known only once the app reports them: until the first answer, assume it does.
    for (;;) {
      const reportsIds = answers.length === 0 || answers.some((a) => a.instanceId);
      const batch = await Promise.all(Array.from({ length: Math.max(2, expected.length) }, () => ask(url, { [PROBE_HEADER]: token })));
      answers.push(...batch);
      const verdict = judgeProbe(answers, reportsIds ? expected : [], input.version, Date.now() >= deadline);
      if (verdict) return verdict;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await deleteProbeRule(ctx, ruleArn);
  }
});
