/** RegisterTargets / DeregisterTargets / DescribeTargetHealth, and the same verbs for other services. */
import type { CloudApi, RequestContext } from "../../core/types.ts";
import { elbState, setDueAt, type TargetGroupRecord, type TargetRecord } from "./state.ts";
import { invalidTarget, targetGroupNotFound, validationError } from "./errors.ts";
import { INSTANCE_ID, lookupInstance } from "./ec2-lookup.ts";
import { isInUse, markNotInUse, startRegistration } from "./health.ts";

export interface TargetInput {
  Id: string;
  Port?: number;
  AvailabilityZone?: string;
}

const NOT_RUNNING = new Set(["stopped", "stopping", "terminated", "shutting-down"]);
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function findTargetGroup(cloud: CloudApi, region: string, arn: string | undefined): TargetGroupRecord {
  const tg = arn ? elbState(cloud).targetGroups[arn] : undefined;
  if (!tg || tg.region !== region) throw targetGroupNotFound(arn ? `Target groups '${arn}' not found` : undefined);
  return tg;
}

function checkTargets(_cloud: CloudApi, tg: TargetGroupRecord, targets: TargetInput[] | undefined): TargetInput[] {
  const list = targets ?? [];
  if (list.length === 0) throw validationError("At least one target must be specified");
  for (const t of list) {
    if (t.Port !== undefined && (!Number.isInteger(t.Port) || t.Port < 1 || t.Port > 65535))
      throw validationError(`Target port '${t.Port}' must be between 1 and 65535`);
    if (tg.targetType === "ip") {
      if (!IPV4.test(t.Id)) throw invalidTarget(`The IP address '${t.Id}' is not a valid IPv4 address`);
      continue;
    }
    if (!INSTANCE_ID.test(t.Id)) throw invalidTarget(`The following targets are not valid instance IDs: '${t.Id}'`);
  }
  return list;
}

function checkInstancesRegistrable(cloud: CloudApi, tg: TargetGroupRecord, targets: TargetInput[]) {
  if (tg.targetType !== "instance") return;
  const missing: string[] = [];
  const notRunning: string[] = [];
  const otherVpc: string[] = [];
  for (const t of targets) {
    const inst = lookupInstance(cloud, t.Id);
    if (inst === null) missing.push(t.Id);
    else if (NOT_RUNNING.has(inst.state)) notRunning.push(t.Id);
    else if (inst.vpcId && inst.vpcId !== tg.vpcId) otherVpc.push(t.Id);
  }
  const quote = (ids: string[]) => ids.map((id) => `'${id}'`).join(", ");
  if (missing.length) throw invalidTarget(`The following targets are not valid instances: ${quote(missing)}`);
  if (notRunning.length)
    throw invalidTarget(`The following targets are not in a running state and cannot be registered: ${quote(notRunning)}`);
  if (otherVpc.length) throw invalidTarget(`The following targets are not in the target group VPC '${tg.vpcId}': ${quote(otherVpc)}`);
}

/** Register targets (used by the API and by Auto Scaling). Throws AwsError like the API does. */
export function registerTargets(cloud: CloudApi, region: string, targetGroupArn: string, targets: TargetInput[]): void {
  const s = elbState(cloud);
  const tg = findTargetGroup(cloud, region, targetGroupArn);
  const list = checkTargets(cloud, tg, targets);
  checkInstancesRegistrable(cloud, tg, list);
  const now = cloud.now();
  const inUse = isInUse(s, tg);
  for (const input of list) {
    const port = input.Port ?? tg.port;
    const existing = tg.targets.find((t) => t.id === input.Id && t.port === port);
    if (existing && existing.state !== "draining") continue; // Registering twice is a no-op.
    const t: TargetRecord = existing ?? { id: input.Id, port, state: "initial", registeredAt: now, okStreak: 0, failStreak: 0 };
    t.registeredAt = now;
    if (inUse) startRegistration(t, now);
    else markNotInUse(t);
    if (!existing) tg.targets.push(t);
  }
  setDueAt(cloud, 0);
  cloud.markDirty();
}

/** Deregister targets: draining for the group's deregistration delay, then gone. */
export function deregisterTargets(cloud: CloudApi, region: string, targetGroupArn: string, targets: TargetInput[]): void {
  const s = elbState(cloud);
  const tg = findTargetGroup(cloud, region, targetGroupArn);
  const list = checkTargets(cloud, tg, targets);
  const matches = (t: TargetRecord, input: TargetInput) => t.id === input.Id && (input.Port === undefined || t.port === input.Port);
  const notRegistered = list.filter((input) => !tg.targets.some((t) => matches(t, input)));
  if (notRegistered.length) {
    throw invalidTarget(
      `The following targets are not registered in target group '${tg.arn}': ${notRegistered.map((t) => `'${t.Id}'`).join(", ")}`,
    );
  }
  const now = cloud.now();
  const delayMs = Number(tg.attributes["deregistration_delay.timeout_seconds"] ?? "300") * 1000;
  const inUse = isInUse(s, tg);
  for (const input of list) {
    for (const t of tg.targets.filter((x) => matches(x, input))) {
      if (t.state === "draining") continue;
      t.state = "draining";
      t.reason = "Target.DeregistrationInProgress";
      t.description = "Target deregistration is in progress";
      t.nextCheckAt = undefined;
      // A target of an unused group has no connections to drain.
      t.phaseEndsAt = inUse ? now + delayMs : now;
    }
  }
  setDueAt(cloud, 0);
  cloud.markDirty();
}

export interface TargetHealthDescription {
  Target: { Id: string; Port: number };
  HealthCheckPort?: string;
  TargetHealth: { State: string; Reason?: string; Description?: string };
}

function describeOne(tg: TargetGroupRecord, t: TargetRecord): TargetHealthDescription {
  const hcPort = tg.healthCheck.port === "traffic-port" ? String(t.port) : tg.healthCheck.port;
  const health: TargetHealthDescription["TargetHealth"] = { State: t.state };
  if (t.state !== "healthy") {
    if (t.reason) health.Reason = t.reason;
    if (t.description) health.Description = t.description;
  }
  return { Target: { Id: t.id, Port: t.port }, HealthCheckPort: hcPort, TargetHealth: health };
}

/** Model-shaped TargetHealthDescriptions of every registered target (used by Auto Scaling's ELB health checks). */
export function describeTargetHealthInternal(cloud: CloudApi, targetGroupArn: string): TargetHealthDescription[] {
  const tg = elbState(cloud).targetGroups[targetGroupArn];
  if (!tg) return [];
  return tg.targets.map((t) => describeOne(tg, t));
}

export function describeTargetHealth(input: { TargetGroupArn?: string; Targets?: TargetInput[] }, ctx: RequestContext) {
  const tg = findTargetGroup(ctx.cloud, ctx.region, input.TargetGroupArn);
  if (!input.Targets?.length) return { TargetHealthDescriptions: tg.targets.map((t) => describeOne(tg, t)) };
  const list = checkTargets(ctx.cloud, tg, input.Targets);
  const descriptions = list.flatMap((input): TargetHealthDescription[] => {
    const found = tg.targets.filter((t) => t.id === input.Id && (input.Port === undefined || t.port === input.Port));
    if (found.length) return found.map((t) => describeOne(tg, t));
    if (tg.targetType === "instance" && lookupInstance(ctx.cloud, input.Id) === null) {
      throw invalidTarget(`The following targets are not valid instances: '${input.Id}'`);
    }
    return [
      {
        Target: { Id: input.Id, Port: input.Port ?? tg.port },
        TargetHealth: { State: "unused", Reason: "Target.NotRegistered", Description: "Target is not registered to the target group" },
      },
    ];
  });
  return { TargetHealthDescriptions: descriptions };
}

export function registerTargetsHandler(input: { TargetGroupArn?: string; Targets?: TargetInput[] }, ctx: RequestContext) {
  registerTargets(ctx.cloud, ctx.region, input.TargetGroupArn ?? "", input.Targets ?? []);
  return {};
}

export function deregisterTargetsHandler(input: { TargetGroupArn?: string; Targets?: TargetInput[] }, ctx: RequestContext) {
  deregisterTargets(ctx.cloud, ctx.region, input.TargetGroupArn ?? "", input.Targets ?? []);
  return {};
}
