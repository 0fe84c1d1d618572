/**
 * AssumeRole: the role must exist and its trust policy must allow the caller (with the caller's
 * own policies, when it has some, for trust policies that name the account rather than the
 * caller), conditions such as sts:ExternalId included. The answer is temporary credentials the
 * local cloud recognises afterwards as that role's session.
 */
import { randomBytes } from "node:crypto";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { randomUpperAlnum } from "../../core/ids.ts";
import { AwsError, type RequestContext } from "../../core/types.ts";
import { accountCaller, type Caller } from "../../core/authz/caller.ts";
import { callerContext, callerPolicies } from "../../core/authz/index.ts";
import { requestTagContext } from "../../core/authz/resources.ts";
import { readDocument } from "../iam/policy-document.ts";
import { findRoleByArnOrName, key, type PolicyDocument } from "../iam/state.ts";
import { pruneSessions, stsState, type SessionRecord } from "./state.ts";

const ALLOW_ALL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
/** AWS caps sessions of a role assumed by another role session at one hour. */
const CHAINED_MAX_SECONDS = 3600;

interface AssumeRoleInput {
  RoleArn: string;
  RoleSessionName: string;
  DurationSeconds?: number;
  ExternalId?: string;
  Policy?: string;
  Tags?: Array<{ Key: string; Value: string }>;
  SourceIdentity?: string;
}

function validation(message: string): AwsError {
  return new AwsError("ValidationError", message, 400);
}

function constraint(value: string | number, member: string, rule: string): AwsError {
  return validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);
}

function checkInput(input: AssumeRoleInput): void {
  if (input.RoleArn.length < 20) throw constraint(input.RoleArn, "roleArn", "Member must have length greater than or equal to 20");
  const name = input.RoleSessionName;
  if (name.length < 2 || name.length > 64)
    throw constraint(
      name,
      "roleSessionName",
      `Member must have length ${name.length < 2 ? "greater than or equal to 2" : "less than or equal to 64"}`,
    );
  if (!/^[\w+=,.@-]*$/.test(name))
    throw constraint(name, "roleSessionName", "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
  const d = input.DurationSeconds;
  if (d !== undefined && (d < 900 || d > 43200))
    throw constraint(
      d,
      "durationSeconds",
      `Member must have value ${d < 900 ? "greater than or equal to 900" : "less than or equal to 43200"}`,
    );
  const ext = input.ExternalId;
  if (ext !== undefined && (ext.length < 2 || ext.length > 1224))
    throw constraint(
      ext,
      "externalId",
      `Member must have length ${ext.length < 2 ? "greater than or equal to 2" : "less than or equal to 1224"}`,
    );
  if (ext !== undefined && !/^[\w+=,.@:/-]*$/.test(ext))
    throw constraint(ext, "externalId", "Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*");
}

/** Whether the role's trust policy (with the caller's own policies) lets the caller assume it. */
async function trustAllows(
  ctx: RequestContext,
  caller: Caller,
  roleArn: string,
  trust: PolicyDocument,
  context: Record<string, string | string[]>,
): Promise<boolean> {
  const held = callerPolicies(ctx, caller);
  const result = await runSimulation(
    {
      request: {
        principal: caller.arn,
        action: "sts:AssumeRole",
        resource: { resource: roleArn, accountId: ctx.accountId },
        contextVariables: context,
      },
      // An unrestricted caller (no policies to evaluate) acts as an administrator would.
      identityPolicies: held ? held.policies : [{ name: "unrestricted", policy: ALLOW_ALL }],
      sessionPolicy: held?.sessionPolicy,
      resourcePolicy: trust,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === "error") console.error(`localcloud sts: trust evaluation of ${roleArn} failed: ${result.errors.message}`);
  return result.resultType !== "error" && result.overallResult === "Allowed";
}

/** Temporary credentials in AWS's formats: ASIA + 16, a 40-character secret, a long opaque token. */
function newCredentials(): Pick<SessionRecord, "accessKeyId" | "secretAccessKey" | "sessionToken"> {
  return {
    accessKeyId: `ASIA${randomUpperAlnum(16)}`,
    secretAccessKey: randomBytes(30).toString("base64"),
    sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(240).toString("base64")}`,
  };
}

export async function assumeRole(input: AssumeRoleInput, ctx: RequestContext) {
  checkInput(input);
  const caller = ctx.caller ?? accountCaller(ctx.cloud, "sts", "query");
  const sessionPolicy = input.Policy !== undefined ? await readDocument(input.Policy, "identity") : undefined;
  const tags = (input.Tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value }));
  const context: Record<string, string | string[]> = {
    ...callerContext(ctx, caller),
    ...requestTagContext({ Tags: tags }),
    "sts:RoleSessionName": input.RoleSessionName,
    ...(input.ExternalId !== undefined ? { "sts:ExternalId": input.ExternalId } : {}),
    ...(input.SourceIdentity !== undefined ? { "sts:SourceIdentity": input.SourceIdentity } : {}),
  };
  const role = findRoleByArnOrName(ctx.cloud, input.RoleArn);
  // A missing role and a trust policy that refuses are answered alike, so callers cannot probe for roles.
  if (!input.RoleArn.startsWith("arn:") || !role || !(await trustAllows(ctx, caller, role.Arn, role.AssumeRolePolicyDocument, context))) {
    throw new AwsError(
      "AccessDenied",
      `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`,
      403,
    );
  }
  const duration = input.DurationSeconds ?? 3600;
  if (caller.session && duration > CHAINED_MAX_SECONDS)
    throw validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  if (duration > role.MaxSessionDuration)
    throw validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");

  pruneSessions(ctx.cloud);
  const assumedRoleArn = `arn:aws:sts::${ctx.accountId}:assumed-role/${role.RoleName}/${input.RoleSessionName}`;
  const session: SessionRecord = {
    ...newCredentials(),
    roleKey: key(role.RoleName),
    roleArn: role.Arn,
    roleId: role.RoleId,
    roleName: role.RoleName,
    sessionName: input.RoleSessionName,
    assumedRoleArn,
    expiresAt: Date.now() + duration * 1000,
    sessionPolicy,
    tags,
    sourceIdentity: input.SourceIdentity,
  };
  stsState(ctx.cloud).sessions[session.accessKeyId] = session;
  ctx.cloud.markDirty();
  const packed =
    sessionPolicy || tags.length
      ? Math.min(100, Math.ceil((JSON.stringify(sessionPolicy ?? {}).length + JSON.stringify(tags).length) / 20))
      : undefined;
  return {
    Credentials: {
      AccessKeyId: session.accessKeyId,
      SecretAccessKey: session.secretAccessKey,
      SessionToken: session.sessionToken,
      Expiration: new Date(session.expiresAt),
    },
    AssumedRoleUser: { AssumedRoleId: `${role.RoleId}:${input.RoleSessionName}`, Arn: assumedRoleArn },
    PackedPolicySize: packed,
    SourceIdentity: input.SourceIdentity,
  };
}
