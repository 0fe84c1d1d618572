/** Roles: CreateRole, GetRole, DeleteRole, ListRoles, UpdateAssumeRolePolicy, UpdateRole, tags. */
import { checkTags, mergeTags as mergeCoreTags, type TagInput, type TagRules, withoutKeys } from "../../core/tags.ts";
import type { RequestContext } from "../../core/types.ts";
import {
  checkName,
  checkPath,
  deleteConflict,
  entityAlreadyExists,
  invalidInput,
  limitExceeded,
  roleNotFound,
  validationError,
} from "./errors.ts";
import { readDocument } from "./policy-document.ts";
import { iamArn, iamState, key, uniqueId, type RoleRecord, type Tag } from "./state.ts";
import { byName, page, roleView } from "./views.ts";

/** IAM tags: 50 per entity, keys unique case-insensitively, "aws:" reserved. */
const iamTagRules: TagRules = {
  invalid: (message, problem) =>
    problem === "missing"
      ? validationError(
          "1 validation error detected: Value null at 'tags.member.key' failed to satisfy constraint: Member must not be null",
        )
      : invalidInput(
          problem === "reserved" ? "User-defined tag keys can't start with 'aws:'. This prefix is reserved for AWS tags." : message,
        ),
  tooMany: () => limitExceeded("The number of tags has reached the maximum limit."),
  foldCase: true,
};

export function mergeTags(current: Tag[], added: TagInput[]): Tag[] {
  return mergeCoreTags(current, checkTags(added, iamTagRules), iamTagRules);
}

export function requireRole(ctx: RequestContext, name: string | undefined): RoleRecord {
  const role = iamState(ctx.cloud).roles[key(name ?? "")];
  if (!role) throw roleNotFound(name ?? "");
  return role;
}

function checkMaxSessionDuration(value: number | undefined): number {
  if (value === undefined) return 3600;
  if (!Number.isInteger(value) || value < 3600 || value > 43200) {
    throw validationError(
      `1 validation error detected: Value '${value}' at 'maxSessionDuration' failed to satisfy constraint: Member must have value ${value < 3600 ? "greater than or equal to 3600" : "less than or equal to 43200"}`,
    );
  }
  return value;
}

interface CreateRoleInput {
  RoleName: string;
  Path?: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration?: number;
  Tags?: Array<{ Key?: string; Value?: string }>;
}

export async function createRole(input: CreateRoleInput, ctx: RequestContext) {
  const name = checkName(input.RoleName, "roleName", 64);
  const path = checkPath(input.Path);
  const maxSession = checkMaxSessionDuration(input.MaxSessionDuration);
  const trust = await readDocument(input.AssumeRolePolicyDocument, "trust");
  const tags = mergeTags([], input.Tags ?? []);
  const state = iamState(ctx.cloud);
  if (state.roles[key(name)]) throw entityAlreadyExists(`Role with name ${name} already exists.`);
  const role: RoleRecord = {
    RoleName: name,
    RoleId: uniqueId("AROA"),
    Path: path,
    Arn: iamArn(ctx.accountId, "role", path, name),
    CreateDate: ctx.cloud.now(),
    AssumeRolePolicyDocument: trust,
    Description: input.Description,
    MaxSessionDuration: maxSession,
    Tags: tags,
    inlinePolicies: {},
    attachedPolicies: [],
  };
  state.roles[key(name)] = role;
  ctx.cloud.markDirty();
  return { Role: roleView(role) };
}

export function getRole(input: { RoleName: string }, ctx: RequestContext) {
  return { Role: roleView(requireRole(ctx, input.RoleName)) };
}

export function listRoles(input: { PathPrefix?: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const prefix = input.PathPrefix ?? "/";
  const roles = Object.values(iamState(ctx.cloud).roles)
    .filter((r) => r.Path.startsWith(prefix))
    .sort(byName((r) => r.RoleName));
  const { items, ...paging } = page(roles, input.Marker, input.MaxItems);
  return { Roles: items.map((r) => roleView(r, "list")), ...paging };
}

/** AWS refuses to delete a role that still has policies or sits in an instance profile, and says which. */
export function deleteRole(input: { RoleName: string }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  const state = iamState(ctx.cloud);
  if (Object.values(state.instanceProfiles).some((p) => p.roles.includes(key(role.RoleName)))) {
    throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  }
  if (role.attachedPolicies.length) throw deleteConflict("Cannot delete entity, must detach all policies first.");
  if (Object.keys(role.inlinePolicies).length) throw deleteConflict("Cannot delete entity, must delete policies first.");
  delete state.roles[key(role.RoleName)];
  ctx.cloud.markDirty();
  return {};
}

export async function updateAssumeRolePolicy(input: { RoleName: string; PolicyDocument: string }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  role.AssumeRolePolicyDocument = await readDocument(input.PolicyDocument, "trust");
  ctx.cloud.markDirty();
  return {};
}

export function updateRole(input: { RoleName: string; Description?: string; MaxSessionDuration?: number }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  if (input.MaxSessionDuration !== undefined) role.MaxSessionDuration = checkMaxSessionDuration(input.MaxSessionDuration);
  if (input.Description !== undefined) role.Description = input.Description;
  ctx.cloud.markDirty();
  return {};
}

export function tagRole(input: { RoleName: string; Tags: Array<{ Key?: string; Value?: string }> }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  role.Tags = mergeTags(role.Tags, input.Tags);
  ctx.cloud.markDirty();
  return {};
}

export function untagRole(input: { RoleName: string; TagKeys: string[] }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  role.Tags = withoutKeys(role.Tags, input.TagKeys, iamTagRules);
  ctx.cloud.markDirty();
  return {};
}

export function listRoleTags(input: { RoleName: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const { items, ...paging } = page(requireRole(ctx, input.RoleName).Tags, input.Marker, input.MaxItems);
  return { Tags: items, ...paging };
}
