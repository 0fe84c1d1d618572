import { createHash } from "node:crypto";
import { awsClients, type AwsAccountRef, type AwsClients } from "../aws/clients.ts";
import { awsError } from "../aws/errors.ts";
import { db } from "../db/client.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { ServiceError } from "../errors.ts";

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
}

export type TouchAction = "created" | "found" | "updated" | "deleted";
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

export function tagsOf(input: { envId: string; spec: { name: string } }, slot?: Slot, extra: Record<string, string> = {}): Array<{ Key: string; Value: string }> {
  const tags: Record<string, string> = { [TAG_ENV]: input.envId, [TAG_ENV_NAME]: input.spec.name, Name: extra.Name ?? input.spec.name, ...extra };
  if (slot) tags[TAG_SLOT] = slot;
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** Stable AWS names derived from the environment name (never renamed on deploy). */
export function namesOf(spec: { name: string }) {
  const n = spec.name;
  return {
    vpc: `${n}-vpc`,
    alb: `${n}-alb`,
    targetGroup: (slot: Slot) => `${n}-${slot}`,
    asg: (slot: Slot) => `${n}-${slot}`,
    launchTemplate: n,
    db: `${n}-db`,
    dbSubnetGroup: `${n}-db`,
    sg: (role: "alb" | "app" | "db") => `${n}-${role}`,
    alarm: (what: string) => `${n}-${what}`,
    scalingPolicy: (slot: Slot) => `${n}-${slot}-target-tracking`,
  };
}

/** Idempotency token for a create call: the same for every retry of one step, at most 64 chars. */
export function tokenOf(envId: string, step: string, ...parts: Array<string | number>): string {
  return createHash("sha256").update([envId, step, ...parts].join("\u0000")).digest("hex").slice(0, 48);
}

export async function accountOf(accountId: string): Promise<AwsAccountRef> {
  const row = await db.awsAccount.findUnique({ where: { id: accountId } });
  if (!row) throw new ServiceError("NOT_FOUND", `AWS account ${accountId} does not exist (was it removed?).`);
  return { id: row.id, defaultRegion: row.defaultRegion, roleArn: row.roleArn, externalId: row.externalId, endpointUrl: row.endpointUrl };
}

export interface StepContext {
  aws: AwsClients;
  account: AwsAccountRef;
  region: string;
  names: ReturnType<typeof namesOf>;
  touched: Touched[];
  touch(type: string, id: string, action: TouchAction): void;
}

/**
 * Wraps a step: resolves the account's clients, collects `touched`, and maps AWS errors to
 * messages a person can act on.
 */
export function defineStep<I extends { accountId: string; spec: EnvironmentSpec }, O>(
  action: string,
  body: (input: I, ctx: StepContext) => Promise<O>,
): (input: I) => Promise<O & { touched: Touched[] }> {
  return async (input) => {
    const account = await accountOf(input.accountId);
    const touched: Touched[] = [];
    const ctx: StepContext = {
      aws: awsClients(account, input.spec.region),
      account,
      region: input.spec.region,
      names: namesOf(input.spec),
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
export function defineRead<I extends { accountId: string; spec: EnvironmentSpec }, O>(action: string, body: (input: I, ctx: StepContext) => Promise<O>): (input: I) => Promise<O> {
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
