import { createHash } from "node:crypto";
import { adoptedOf, type AdoptedResources } from "../adopt/record.ts";
import { awsClients, type AwsAccountRef, type AwsClients } from "../aws/clients.ts";
import { awsError } from "../aws/errors.ts";
import { db } from "../db/client.ts";
import { withSpecDefaults, type EnvironmentSpec } from "../environments/spec.ts";
import { ServiceError } from "../errors.ts";
import { accountOf } from "../accounts/account-ref.ts";

/**
 * What every provisioning step shares: its input base, AWS clients for the environment's
 * account and region, stable names, tags, idempotency tokens and the `touched` list the
 * timeline shows. Inputs and outputs are plain JSON: the workflow engine stores them.
 */
export type Slot = "blue" | "green";
export const SLOTS: readonly Slot[] = ["blue", "green"];

export interface StepInput {
  accountId: string;
  envId: string;
  spec: EnvironmentSpec;
  /** The environment's AWS name prefix; read from the environment when not given (tests give it). */
  namePrefix?: string | null;
}

/** "kept": found by name but not this environment's, so left alone (teardown). */
export type TouchAction = "created" | "found" | "updated" | "deleted" | "kept";
export interface Touched {
  /** AWS resource type, e.g. "ec2:vpc", "elbv2:load-balancer", "rds:db". */
  type: string;
  id: string;
  action: TouchAction;
}

/** A bounded poll: the workflow sleeps durably and calls again while `done` is false. */
export interface Poll<D> {
  done: boolean;
  detail: D;
}

export const TAG_ENV = "switchyard:environment";
export const TAG_ENV_NAME = "switchyard:environment-name";
export const TAG_SLOT = "switchyard:slot";

export function tagsOf(
  input: { envId: string; spec: { name: string } },
  slot?: Slot,
  extra: Record<string, string> = {},
): Array<{ Key: string; Value: string }> {
  const tags: Record<string, string> = {
    [TAG_ENV]: input.envId,
    [TAG_ENV_NAME]: input.spec.name,
    Name: extra.Name ?? input.spec.name,
    ...extra,
  };
  if (slot) tags[TAG_SLOT] = slot;
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Where an environment's AWS name prefix is known: given, or recorded in the stored stack. */
export interface NamedEnvironment {
  name: string;
  namePrefix?: string | null;
  stack?: { namePrefix?: string | null } | null;
  /** An adopted environment's record (Environment.adopted): its names come from there. */
  adopted?: unknown;
}

/** The prefix of `env`'s AWS names: "sy-" for environments created since prefixes, "" before. */
export function prefixOf(env: NamedEnvironment): string {
  if (env.namePrefix !== undefined) return env.namePrefix ?? "";
  return env.stack?.namePrefix ?? "";
}

/**
 * Stable AWS names derived from the environment name (never renamed on deploy), prefixed so
 * they cannot collide with hand-made resources. Target group names are at most 32 characters:
 * new environment names are at most 23 (see validate.ts), older unprefixed ones 24.
 */
export function namesOf(env: NamedEnvironment) {
  const n = `${prefixOf(env)}${env.name}`;
  // An adopted stack keeps the names it was given: they are read from its record, never derived.
  const adopted = adoptedOf(env.adopted);
  return {
    prefix: prefixOf(env),
    adopted,
    vpc: `${n}-vpc`,
    alb: adopted?.loadBalancer.name ?? `${n}-alb`,
    targetGroup: (slot: Slot) => adopted?.targetGroups[slot].name ?? `${n}-${slot}`,
    asg: (slot: Slot) => adopted?.groups[slot] ?? `${n}-${slot}`,
    launchTemplate: n,
    /** The launch template a slot's group launches from (adopted groups may each have their own). */
    launchTemplateOf: (slot: Slot) => adopted?.launchTemplates[slot].name ?? n,
    db: `${n}-db`,
    dbSubnetGroup: `${n}-db`,
    /** The cache's replication group, its subnet group and its security group share this name. */
    cache: `${n}-cache`,
    /** A final snapshot's name: one per teardown, so a re-created and again deleted database never collides. */
    finalSnapshot: (at: Date) => `${n}-final-${at.toISOString().replace(/\D/g, "").slice(0, 14)}`,
    sg: (role: "alb" | "app" | "db") => `${n}-${role}`,
    alarm: (what: string) => `${n}-${what}`,
    scalingPolicy: (slot: Slot) => `${n}-${slot}-target-tracking`,
    instanceRole: `${n}-instance`,
    /** SSM parameters of the delivery contract (README). */
    parameters: `/switchyard/${env.name}`,
  };
}

/** Idempotency token for a create call: the same for every retry of one step, at most 64 chars. */
export function tokenOf(envId: string, step: string, ...parts: Array<string | number>): string {
  return createHash("sha256")
    .update([envId, step, ...parts].join("\u0000"))
    .digest("hex")
    .slice(0, 48);
}

export interface StepContext {
  envId: string;
  aws: AwsClients;
  account: AwsAccountRef;
  region: string;
  names: ReturnType<typeof namesOf>;
  /** The environment's CloudFront distribution, as remembered on its row (null: none yet, or a test). */
  distributionId: string | null;
  touched: Touched[];
  touch(type: string, id: string, action: TouchAction): void;
}

/**
 * Wraps a step: resolves the account's clients, collects `touched`, and maps AWS errors to
 * messages a person can act on.
 */
/**
 * What the environment's row remembers about its AWS resources: the name prefix (an environment
 * Switchyard has no row for, in tests, gets today's) and the CloudFront distribution's id.
 */
async function storedEnvironment(
  envId: string,
): Promise<{ namePrefix: string; distributionId: string | null; adopted: AdoptedResources | null }> {
  const row = await db.environment
    .findUnique({ where: { id: envId }, select: { namePrefix: true, distributionId: true, stack: true, adopted: true } })
    .catch(() => null);
  if (!row) return { namePrefix: "sy-", distributionId: null, adopted: null };
  // Environments provisioned before the id had its own column have it in their read-back stack.
  const legacy = (row.stack as { distribution?: { id?: string } | null } | null)?.distribution?.id ?? null;
  return { namePrefix: row.namePrefix ?? "", distributionId: row.distributionId ?? legacy, adopted: adoptedOf(row.adopted) };
}

/** Remembers the distribution's id on the environment (steps are at-least-once: it is saved as soon as it exists). */
export async function saveDistributionId(envId: string, distributionId: string | null): Promise<void> {
  await db.environment.updateMany({ where: { id: envId }, data: { distributionId } });
}

export function defineStep<I extends StepInput, O>(
  action: string,
  body: (input: I, ctx: StepContext) => Promise<O>,
): (input: I) => Promise<O & { touched: Touched[] }> {
  return async (raw) => {
    // Specs saved before a field existed lack it: every step sees the schema's defaults.
    const input = { ...raw, spec: withSpecDefaults(raw.spec) };
    const [account, stored] = await Promise.all([accountOf(input.accountId), storedEnvironment(input.envId)]);
    const namePrefix = input.namePrefix !== undefined ? (input.namePrefix ?? "") : stored.namePrefix;
    const touched: Touched[] = [];
    const ctx: StepContext = {
      envId: input.envId,
      aws: awsClients(account, input.spec.region),
      account,
      region: input.spec.region,
      names: namesOf({ name: input.spec.name, namePrefix, adopted: stored.adopted }),
      distributionId: stored.distributionId,
      touched,
      touch: (type, id, a) => void touched.push({ type, id, action: a }),
    };
    try {
      const out = await body(input, ctx);
      return { ...out, touched };
    } catch (err) {
      throw awsError(err, {
        action: `${action} for ${input.spec.name}`,
        region: input.spec.region,
        roleArn: account.roleArn,
        endpointUrl: account.endpointUrl,
        instanceType: input.spec.instanceType,
        dbInstanceClass: input.spec.database?.instanceClass,
      });
    }
  };
}

/** Same as defineStep for reads that return no `touched` (polls, health, metrics). */
export function defineRead<I extends StepInput, O>(
  action: string,
  body: (input: I, ctx: StepContext) => Promise<O>,
): (input: I) => Promise<O> {
  const step = defineStep(action, body);
  return async (input) => {
    const { touched: _ignored, ...out } = await step(input);
    return out as O;
  };
}

/** EC2 filter for resources of this environment. */
export function envFilter(envId: string) {
  return { Name: `tag:${TAG_ENV}`, Values: [envId] };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
