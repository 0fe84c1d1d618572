/**
 * IAM enforcement: every call of every service is evaluated against the caller's policies
 * before its handler runs, when the caller has policies to evaluate:
 *   - a role session (STS AssumeRole credentials): the role's inline + attached policies, and
 *     the session policy if one was passed;
 *   - the account's static keys: the policy attached through the admin API
 *     (PUT /_localcloud/accounts/<id>/policy). Without one, nothing is checked (the local cloud
 *     behaves as an administrator's keys would).
 * The evaluation itself is the policy library's (services/iam/evaluate.ts).
 *
 *   resolveCaller(cloud, wire, service, protocol)  who signed (core/authz/caller.ts)
 *   authorizeCall(ctx, service, operation, input)  throws AWS's refusal for the protocol
 *   checkPassRole(ctx, roleArn, passedToService)   iam:PassRole with iam:PassedToService
 *   registerResourceTags / registerResourceArns    hooks for services
 */
import type { RequestContext, ServiceName } from "../types.ts";
import { evaluateIdentity, principalTagContext, rolePolicies, type NamedPolicy } from "../../services/iam/evaluate.ts";
import { iamState, type PolicyDocument } from "../../services/iam/state.ts";
import type { Caller } from "./caller.ts";
import { accessDenied } from "./errors.ts";
import { passedRoles } from "./passed-roles.ts";
import { actionPrefix, requestTagContext, resourcesFor } from "./resources.ts";
import { resourceTags } from "./resource-tags.ts";

export { resolveCaller, type Caller } from "./caller.ts";
export { registerResourceTags, type ResourceTagLookup } from "./resource-tags.ts";
export { registerResourceArns, type ResourceResolver } from "./resources.ts";

/** Calls AWS answers whatever the caller's policies say. */
const ALWAYS_ALLOWED = new Set(["sts:GetCallerIdentity"]);
/**
 * Calls whose handler weighs identity and resource policies together: AssumeRole is allowed by a
 * trust policy naming the caller even when the caller's own policies say nothing.
 */
const HANDLER_AUTHORIZED = new Set(["sts:AssumeRole"]);

interface CallerPolicies {
  policies: NamedPolicy[];
  sessionPolicy?: PolicyDocument;
}

/** The policies a caller is held to, or undefined when it is unrestricted (no account policy, static keys). */
export function callerPolicies(ctx: RequestContext, caller: Caller): CallerPolicies | undefined {
  if (caller.session) {
    // A session whose role was deleted keeps working on AWS until it expires, with no permissions.
    const role = iamState(ctx.cloud).roles[caller.session.roleKey];
    return {
      policies: role && role.Arn === caller.session.roleArn ? rolePolicies(ctx.cloud, role) : [],
      sessionPolicy: caller.session.sessionPolicy,
    };
  }
  const account = iamState(ctx.cloud).accountPolicies[caller.accountId];
  return account ? { policies: [{ name: "account-policy", policy: account.document }] } : undefined;
}

/** Global condition keys every request carries. */
export function callerContext(ctx: RequestContext, caller: Caller): Record<string, string | string[]> {
  const now = ctx.cloud.now();
  const session = caller.session;
  const role = session ? iamState(ctx.cloud).roles[session.roleKey] : undefined;
  return {
    "aws:RequestedRegion": ctx.region,
    "aws:PrincipalAccount": caller.accountId,
    "aws:PrincipalArn": session ? session.roleArn : caller.arn,
    "aws:PrincipalType": caller.type,
    "aws:userid": caller.userId,
    ...(caller.type === "User" ? { "aws:username": caller.arn.slice(caller.arn.lastIndexOf("/") + 1) } : {}),
    "aws:CurrentTime": new Date(now).toISOString(),
    "aws:EpochTime": String(Math.floor(now / 1000)),
    "aws:SecureTransport": "false",
    ...principalTagContext(role),
    ...Object.fromEntries((session?.tags ?? []).map((t) => [`aws:PrincipalTag/${t.Key}`, t.Value])),
  };
}

function resourceTagContext(service: ServiceName, tags: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) {
    out[`aws:ResourceTag/${k}`] = v;
    // EC2 also answers its own service-specific alias.
    if (service === "ec2") out[`ec2:ResourceTag/${k}`] = v;
  }
  return out;
}

/**
 * Evaluate one action on one resource for the caller; throws the protocol's refusal when not
 * allowed. `extra` adds request-specific keys (iam:PassedToService, sts:ExternalId...).
 */
export function authorizeAction(
  ctx: RequestContext,
  service: ServiceName,
  action: string,
  resource: string,
  extra: Record<string, string | string[]> = {},
): void {
  const caller = ctx.caller;
  if (!caller || ALWAYS_ALLOWED.has(action)) return;
  const held = callerPolicies(ctx, caller);
  if (!held) return;
  const context = { ...callerContext(ctx, caller), ...resourceTagContext(service, resourceTags(ctx.cloud, resource)), ...extra };
  const decision = evaluateIdentity(
    held.policies,
    { principal: caller.arn, accountId: caller.accountId, action, resource, context },
    held.sessionPolicy,
  );
  if (decision !== "Allowed") throw accessDenied(caller, action, resource, decision, context);
}

/** Before a handler runs: the operation on each resource it names, then any role it passes to a service. */
export function authorizeCall(ctx: RequestContext, service: ServiceName, operation: string, input: Record<string, unknown>): void {
  const caller = ctx.caller;
  if (!caller || !callerPolicies(ctx, caller)) return;
  const action = `${actionPrefix(service)}:${operation}`;
  if (HANDLER_AUTHORIZED.has(action)) return;
  const requestTags = requestTagContext(input);
  for (const resource of resourcesFor(service, operation, input, ctx)) authorizeAction(ctx, service, action, resource, requestTags);
  for (const passed of passedRoles(ctx, service, operation, input)) checkPassRole(ctx, passed.roleArn, passed.toService);
}

/**
 * iam:PassRole on `roleArn` with iam:PassedToService = `passedToService` (e.g. "ec2.amazonaws.com"),
 * refused in the calling service's words. For services that hand a role to another one; RunInstances,
 * Create/ModifyLaunchTemplate(Version) and Create/UpdateAutoScalingGroup are already checked here.
 */
export function checkPassRole(ctx: RequestContext, roleArn: string, passedToService: string): void {
  const caller = ctx.caller;
  if (!caller) return;
  authorizeAction(ctx, caller.service, "iam:PassRole", roleArn, { "iam:PassedToService": passedToService });
}
