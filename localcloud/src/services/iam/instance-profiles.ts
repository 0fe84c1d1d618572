/** Instance profiles: the container EC2 launches with, holding at most one role (AWS's quota). */
import type { RequestContext } from "../../core/types.ts";
import {
  checkName,
  checkPath,
  deleteConflict,
  entityAlreadyExists,
  instanceProfileNotFound,
  limitExceeded,
  noSuchEntity,
} from "./errors.ts";
import { requireRole, mergeTags } from "./roles.ts";
import { iamArn, iamState, key, uniqueId, type InstanceProfileRecord } from "./state.ts";
import { byName, instanceProfileView, page } from "./views.ts";

const ROLES_PER_PROFILE = 1;

function requireProfile(ctx: RequestContext, name: string): InstanceProfileRecord {
  const profile = iamState(ctx.cloud).instanceProfiles[key(name)];
  if (!profile) throw instanceProfileNotFound(name);
  return profile;
}

export function createInstanceProfile(
  input: { InstanceProfileName: string; Path?: string; Tags?: Array<{ Key?: string; Value?: string }> },
  ctx: RequestContext,
) {
  const name = checkName(input.InstanceProfileName, "instanceProfileName", 128);
  const path = checkPath(input.Path);
  const tags = mergeTags([], input.Tags ?? []);
  const state = iamState(ctx.cloud);
  if (state.instanceProfiles[key(name)]) throw entityAlreadyExists(`Instance Profile ${name} already exists.`);
  const profile: InstanceProfileRecord = {
    InstanceProfileName: name,
    InstanceProfileId: uniqueId("AIPA"),
    Path: path,
    Arn: iamArn(ctx.accountId, "instance-profile", path, name),
    CreateDate: ctx.cloud.now(),
    roles: [],
    Tags: tags,
  };
  state.instanceProfiles[key(name)] = profile;
  ctx.cloud.markDirty();
  return { InstanceProfile: instanceProfileView(ctx.cloud, profile) };
}

export function getInstanceProfile(input: { InstanceProfileName: string }, ctx: RequestContext) {
  return { InstanceProfile: instanceProfileView(ctx.cloud, requireProfile(ctx, input.InstanceProfileName)) };
}

export function deleteInstanceProfile(input: { InstanceProfileName: string }, ctx: RequestContext) {
  const profile = requireProfile(ctx, input.InstanceProfileName);
  if (profile.roles.length) throw deleteConflict("Cannot delete entity, must remove roles from instance profile first.");
  delete iamState(ctx.cloud).instanceProfiles[key(profile.InstanceProfileName)];
  ctx.cloud.markDirty();
  return {};
}

export function addRoleToInstanceProfile(input: { InstanceProfileName: string; RoleName: string }, ctx: RequestContext) {
  const profile = requireProfile(ctx, input.InstanceProfileName);
  const role = requireRole(ctx, input.RoleName);
  // The quota is checked first: adding the role it already holds is refused the same way.
  if (profile.roles.length >= ROLES_PER_PROFILE)
    throw limitExceeded(`Cannot exceed quota for InstanceSessionsPerInstanceProfile: ${ROLES_PER_PROFILE}`);
  profile.roles.push(key(role.RoleName));
  ctx.cloud.markDirty();
  return {};
}

export function removeRoleFromInstanceProfile(input: { InstanceProfileName: string; RoleName: string }, ctx: RequestContext) {
  const profile = requireProfile(ctx, input.InstanceProfileName);
  const role = requireRole(ctx, input.RoleName);
  if (!profile.roles.includes(key(role.RoleName))) {
    throw noSuchEntity(`The role with name ${role.RoleName} cannot be found in instance profile ${profile.InstanceProfileName}.`);
  }
  profile.roles = profile.roles.filter((r) => r !== key(role.RoleName));
  ctx.cloud.markDirty();
  return {};
}

export function listInstanceProfilesForRole(input: { RoleName: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const role = requireRole(ctx, input.RoleName);
  const profiles = Object.values(iamState(ctx.cloud).instanceProfiles)
    .filter((p) => p.roles.includes(key(role.RoleName)))
    .sort(byName((p) => p.InstanceProfileName));
  const { items, ...paging } = page(profiles, input.Marker, input.MaxItems);
  return { InstanceProfiles: items.map((p) => instanceProfileView(ctx.cloud, p)), ...paging };
}

export function listInstanceProfiles(input: { PathPrefix?: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const prefix = input.PathPrefix ?? "/";
  const profiles = Object.values(iamState(ctx.cloud).instanceProfiles)
    .filter((p) => p.Path.startsWith(prefix))
    .sort(byName((p) => p.InstanceProfileName));
  const { items, ...paging } = page(profiles, input.Marker, input.MaxItems);
  return { InstanceProfiles: items.map((p) => instanceProfileView(ctx.cloud, p)), ...paging };
}
