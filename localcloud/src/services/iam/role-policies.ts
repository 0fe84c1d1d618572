/** A role's permissions: inline policies (Put/Get/Delete/ListRolePolicies) and attached managed ones. */
import type { RequestContext } from "../../core/types.ts";
import { checkName, invalidInput, limitExceeded, noSuchEntity } from "./errors.ts";
import { managedPolicyName } from "./policies.ts";
import { encodeDocument, readDocument } from "./policy-document.ts";
import { requireRole } from "./roles.ts";
import { page } from "./views.ts";

/** Default quota of managed policies attached to one role. */
const MAX_ATTACHED = 10;
/** Inline policies of a role share a 10,240-character quota (whitespace excluded). */
const MAX_INLINE_CHARS = 10_240;

function inlineKey(policies: Record<string, unknown>, name: string): string | undefined {
  return Object.keys(policies).find((k) => k.toLowerCase() === name.toLowerCase());
}

export async function putRolePolicy(input: { RoleName: string; PolicyName: string; PolicyDocument: string }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  const name = checkName(input.PolicyName, "policyName", 128);
  const doc = await readDocument(input.PolicyDocument, "identity");
  const existing = inlineKey(role.inlinePolicies, name);
  const others = Object.entries(role.inlinePolicies).filter(([k]) => k !== existing);
  const size = [...others.map(([, d]) => d), doc].reduce((n, d) => n + JSON.stringify(d).length, 0);
  if (size > MAX_INLINE_CHARS) throw limitExceeded(`Maximum policy size of ${MAX_INLINE_CHARS} bytes exceeded for role ${role.RoleName}`);
  if (existing) delete role.inlinePolicies[existing];
  role.inlinePolicies[name] = doc;
  ctx.cloud.markDirty();
  return {};
}

export function getRolePolicy(input: { RoleName: string; PolicyName: string }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  const name = inlineKey(role.inlinePolicies, input.PolicyName);
  if (!name) throw noSuchEntity(`The role policy with name ${input.PolicyName} cannot be found.`);
  return { RoleName: role.RoleName, PolicyName: name, PolicyDocument: encodeDocument(role.inlinePolicies[name]) };
}

export function deleteRolePolicy(input: { RoleName: string; PolicyName: string }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  const name = inlineKey(role.inlinePolicies, input.PolicyName);
  if (!name) throw noSuchEntity(`The role policy with name ${input.PolicyName} cannot be found.`);
  delete role.inlinePolicies[name];
  ctx.cloud.markDirty();
  return {};
}

export function listRolePolicies(input: { RoleName: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const names = Object.keys(requireRole(ctx, input.RoleName).inlinePolicies).sort();
  const { items, ...paging } = page(names, input.Marker, input.MaxItems);
  return { PolicyNames: items, ...paging };
}

export function attachRolePolicy(input: { RoleName: string; PolicyArn: string }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  if (!/^arn:aws:iam::(aws|\d{12}):policy\//.test(input.PolicyArn)) throw invalidInput(`ARN ${input.PolicyArn} is not valid.`);
  if (!managedPolicyName(ctx.cloud, input.PolicyArn)) throw noSuchEntity(`Policy ${input.PolicyArn} does not exist or is not attachable.`);
  // Attaching an attached policy again is a no-op on AWS.
  if (role.attachedPolicies.includes(input.PolicyArn)) return {};
  if (role.attachedPolicies.length >= MAX_ATTACHED) throw limitExceeded(`Cannot exceed quota for PoliciesPerRole: ${MAX_ATTACHED}`);
  role.attachedPolicies.push(input.PolicyArn);
  ctx.cloud.markDirty();
  return {};
}

export function detachRolePolicy(input: { RoleName: string; PolicyArn: string }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  if (!role.attachedPolicies.includes(input.PolicyArn)) throw noSuchEntity(`Policy ${input.PolicyArn} was not found.`);
  role.attachedPolicies = role.attachedPolicies.filter((arn) => arn !== input.PolicyArn);
  ctx.cloud.markDirty();
  return {};
}

export function listAttachedRolePolicies(
  input: { RoleName: string; PathPrefix?: string; Marker?: string; MaxItems?: number },
  ctx: RequestContext,
) {
  const role = requireRole(ctx, input.RoleName);
  const prefix = input.PathPrefix ?? "/";
  const attached = role.attachedPolicies
    .filter((arn) => arn.slice(arn.indexOf(":policy") + ":policy".length).startsWith(prefix))
    .map((arn) => ({ PolicyName: managedPolicyName(ctx.cloud, arn) ?? arn.slice(arn.lastIndexOf("/") + 1), PolicyArn: arn }));
  const { items, ...paging } = page(attached, input.Marker, input.MaxItems);
  return { AttachedPolicies: items, ...paging };
}
