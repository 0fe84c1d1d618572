/**
 * AWS IAM (awsQuery, global: the same roles whatever region a client signs for): roles with
 * trust policies, inline and attached policies, customer managed policies with versions, AWS
 * managed policies by ARN, instance profiles. Policy documents are validated by the policy
 * library that also evaluates them (core/authz enforces them on every call).
 *
 * For other parts of the local cloud:
 *   instanceProfileAllows(cloud, profile, action, resource, context?)  evaluate.ts
 *   findInstanceProfile(cloud, arnOrName), findRoleByArnOrName(cloud, arnOrName)  state.ts
 * Admin API: /_localcloud/accounts/<accountId>/policy (account-policy.ts).
 */
import { registerAdminRoutes } from "../../core/admin-api.ts";
import type { ServiceModule } from "../../core/types.ts";
import { accountPolicyRoutes } from "./account-policy.ts";
import {
  addRoleToInstanceProfile,
  createInstanceProfile,
  deleteInstanceProfile,
  getInstanceProfile,
  listInstanceProfiles,
  listInstanceProfilesForRole,
  removeRoleFromInstanceProfile,
} from "./instance-profiles.ts";
import {
  createPolicy,
  createPolicyVersion,
  deletePolicy,
  deletePolicyVersion,
  getPolicy,
  getPolicyVersion,
  listPolicies,
  listPolicyVersions,
} from "./policies.ts";
import {
  attachRolePolicy,
  deleteRolePolicy,
  detachRolePolicy,
  getRolePolicy,
  listAttachedRolePolicies,
  listRolePolicies,
  putRolePolicy,
} from "./role-policies.ts";
import {
  createRole,
  deleteRole,
  getRole,
  listRoles,
  listRoleTags,
  tagRole,
  untagRole,
  updateAssumeRolePolicy,
  updateRole,
} from "./roles.ts";
import { initialIamState, type IamState } from "./state.ts";

export { instanceProfileAllows } from "./evaluate.ts";
export { findInstanceProfile, findRoleByArnOrName } from "./state.ts";

registerAdminRoutes(accountPolicyRoutes);

const service: ServiceModule<IamState> = {
  name: "iam",
  initialState: initialIamState,
  handlers: {
    CreateRole: createRole,
    GetRole: getRole,
    DeleteRole: deleteRole,
    ListRoles: listRoles,
    UpdateAssumeRolePolicy: updateAssumeRolePolicy,
    UpdateRole: updateRole,
    TagRole: tagRole,
    UntagRole: untagRole,
    ListRoleTags: listRoleTags,
    PutRolePolicy: putRolePolicy,
    GetRolePolicy: getRolePolicy,
    DeleteRolePolicy: deleteRolePolicy,
    ListRolePolicies: listRolePolicies,
    AttachRolePolicy: attachRolePolicy,
    DetachRolePolicy: detachRolePolicy,
    ListAttachedRolePolicies: listAttachedRolePolicies,
    CreatePolicy: createPolicy,
    GetPolicy: getPolicy,
    GetPolicyVersion: getPolicyVersion,
    DeletePolicy: deletePolicy,
    ListPolicies: listPolicies,
    CreatePolicyVersion: createPolicyVersion,
    ListPolicyVersions: listPolicyVersions,
    DeletePolicyVersion: deletePolicyVersion,
    CreateInstanceProfile: createInstanceProfile,
    GetInstanceProfile: getInstanceProfile,
    DeleteInstanceProfile: deleteInstanceProfile,
    AddRoleToInstanceProfile: addRoleToInstanceProfile,
    RemoveRoleFromInstanceProfile: removeRoleFromInstanceProfile,
    ListInstanceProfilesForRole: listInstanceProfilesForRole,
    ListInstanceProfiles: listInstanceProfiles,
  },
};
export default service;
