/**
 * Identity-based policy evaluation, done by @cloud-copilot/iam-simulate (AWS's evaluation logic:
 * explicit deny > allow > implicit deny, every condition operator, wildcards, policy variables).
 * Used by request enforcement (core/authz) and by instance bootstrap, which asks whether an
 * instance's role may read a secret, a parameter or an object.
 *
 * Evaluation runs synchronously (the library's unvalidated entry point): every document reaching
 * it was validated by the library when IAM or the admin API accepted it.
 */
import { runUnsafeSimulation } from "@cloud-copilot/iam-simulate";
import type { CloudApi } from "../../core/types.ts";
import { managedPolicyDocument } from "./policies.ts";
import { findInstanceProfile, iamState, type PolicyDocument, type RoleRecord } from "./state.ts";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

export interface NamedPolicy {
  name: string;
  policy: PolicyDocument;
}

export interface IdentityRequest {
  /** The caller's ARN (user, root, or assumed-role session). */
  principal: string;
  /** The account the caller and the resource belong to (the local cloud has one). */
  accountId: string;
  action: string;
  resource: string;
  context: Record<string, string | string[]>;
}

/** AWS's decision for identity policies alone (plus, for a role session, its session policy). */
export function evaluateIdentity(policies: NamedPolicy[], request: IdentityRequest, sessionPolicy?: PolicyDocument): Decision {
  const once = (identityPolicies: NamedPolicy[]): Decision => {
    try {
      return runUnsafeSimulation(
        {
          request: {
            principal: request.principal,
            action: request.action,
            resource: { resource: request.resource, accountId: request.accountId },
            contextVariables: request.context,
          },
          identityPolicies,
          serviceControlPolicies: [],
          resourceControlPolicies: [],
        },
        {},
      );
    } catch (err) {
      // A document the library cannot evaluate grants nothing (fail closed), and says so once.
      console.error(`localcloud iam: could not evaluate ${request.action} for ${request.principal}:`, err);
      return "ImplicitlyDenied";
    }
  };
  const identity = once(policies);
  if (identity !== "Allowed" || !sessionPolicy) return identity;
  // A session policy limits the role's permissions: both must allow.
  return once([{ name: "session-policy", policy: sessionPolicy }]);
}

/** A role's permissions: inline policies, then attached managed policies (their default versions). */
export function rolePolicies(cloud: CloudApi, role: RoleRecord): NamedPolicy[] {
  const inline = Object.entries(role.inlinePolicies).map(([name, policy]) => ({ name, policy }));
  const attached = role.attachedPolicies.flatMap((arn) => {
    const policy = managedPolicyDocument(cloud, arn);
    return policy ? [{ name: arn, policy }] : [];
  });
  return [...inline, ...attached];
}

/** Tags of a role as aws:PrincipalTag/<key> context (a role session carries its role's tags). */
export function principalTagContext(role: RoleRecord | undefined): Record<string, string> {
  return Object.fromEntries((role?.Tags ?? []).map((t) => [`aws:PrincipalTag/${t.Key}`, t.Value]));
}

/**
 * Whether the role in an instance profile (inline + attached policies) allows `action` on
 * `resource`, as an instance launched with that profile would be answered. `reason` says why in
 * words, e.g. "no instance profile" or "role app-role has no policy allowing s3:GetObject on
 * arn:aws:s3:::bucket/key".
 */
export function instanceProfileAllows(
  cloud: CloudApi,
  instanceProfileArnOrName: string | undefined,
  action: string,
  resource: string,
  context?: Record<string, string | string[]>,
): { allowed: boolean; reason: string } {
  if (!instanceProfileArnOrName) return { allowed: false, reason: "no instance profile" };
  const profile = findInstanceProfile(cloud, instanceProfileArnOrName);
  if (!profile) return { allowed: false, reason: `instance profile ${instanceProfileArnOrName} does not exist` };
  const roleKey = profile.roles[0];
  if (!roleKey) return { allowed: false, reason: `instance profile ${profile.InstanceProfileName} has no role` };
  const role = iamState(cloud).roles[roleKey];
  if (!role) return { allowed: false, reason: `instance profile ${profile.InstanceProfileName} names a role that no longer exists` };
  const principal = `arn:aws:sts::${cloud.accountId}:assumed-role/${role.RoleName}/${profile.InstanceProfileName}`;
  const decision = evaluateIdentity(rolePolicies(cloud, role), {
    principal,
    accountId: cloud.accountId,
    action,
    resource,
    context: {
      "aws:PrincipalArn": role.Arn,
      "aws:PrincipalAccount": cloud.accountId,
      "aws:PrincipalType": "AssumedRole",
      ...principalTagContext(role),
      ...context,
    },
  });
  if (decision === "Allowed") return { allowed: true, reason: `role ${role.RoleName} allows ${action} on ${resource}` };
  if (decision === "ExplicitlyDenied")
    return { allowed: false, reason: `role ${role.RoleName} has a policy explicitly denying ${action} on ${resource}` };
  return { allowed: false, reason: `role ${role.RoleName} has no policy allowing ${action} on ${resource}` };
}
