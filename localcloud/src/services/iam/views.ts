/** Records -> IAM's API shapes, and Marker/MaxItems paging as IAM does it. */
import { checkMaxItems, validationError } from "./errors.ts";
import type { AwsManagedPolicy } from "./managed-policies.ts";
import { encodeDocument } from "./policy-document.ts";
import { iamState, type InstanceProfileRecord, type ManagedPolicyRecord, type RoleRecord } from "./state.ts";
import { pageOf } from "../../core/paging.ts";
import type { CloudApi } from "../../core/types.ts";

/** GetRole / CreateRole detail; ListRoles and instance profiles leave out tags and last use, as AWS does. */
export function roleView(role: RoleRecord, detail: "full" | "list" = "full"): Record<string, unknown> {
  return {
    Path: role.Path,
    RoleName: role.RoleName,
    RoleId: role.RoleId,
    Arn: role.Arn,
    CreateDate: role.CreateDate,
    AssumeRolePolicyDocument: encodeDocument(role.AssumeRolePolicyDocument),
    Description: role.Description,
    MaxSessionDuration: role.MaxSessionDuration,
    ...(detail === "full" ? { Tags: role.Tags.length ? role.Tags : undefined, RoleLastUsed: {} } : {}),
  };
}

/** What ListPolicies and GetPolicy show of a policy, customer managed or AWS managed. */
function policyView(
  p: Pick<ManagedPolicyRecord, "PolicyName" | "PolicyId" | "Arn" | "Path" | "DefaultVersionId" | "Description">,
  attachmentCount: number,
  dates: { CreateDate: Date | number; UpdateDate: Date | number },
): Record<string, unknown> {
  return {
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: attachmentCount,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    Description: p.Description,
    ...dates,
  };
}

export function customerPolicyView(p: ManagedPolicyRecord, attachmentCount: number): Record<string, unknown> {
  return {
    ...policyView(p, attachmentCount, { CreateDate: p.CreateDate, UpdateDate: p.UpdateDate }),
    Tags: p.Tags.length ? p.Tags : undefined,
  };
}

export function awsPolicyView(p: AwsManagedPolicy, attachmentCount: number): Record<string, unknown> {
  return policyView(p, attachmentCount, { CreateDate: new Date(p.CreateDate), UpdateDate: new Date(p.UpdateDate) });
}

export function instanceProfileView(cloud: CloudApi, profile: InstanceProfileRecord): Record<string, unknown> {
  const roles = iamState(cloud).roles;
  return {
    Path: profile.Path,
    InstanceProfileName: profile.InstanceProfileName,
    InstanceProfileId: profile.InstanceProfileId,
    Arn: profile.Arn,
    CreateDate: profile.CreateDate,
    Roles: profile.roles.flatMap((name) => (roles[name] ? [roleView(roles[name], "list")] : [])),
    Tags: profile.Tags.length ? profile.Tags : undefined,
  };
}

/** IAM's Marker/MaxItems paging (MaxItems 1-1000, 100 when not given) over the shared pager. */
export function page<T>(
  items: T[],
  marker: string | undefined,
  maxItems: number | undefined,
): { items: T[]; IsTruncated: boolean; Marker?: string } {
  const { items: slice, next } = pageOf(items, marker, checkMaxItems(maxItems), {
    scope: "iam",
    min: 1,
    max: 1000,
    badSize: (size) => validationError(`Invalid MaxItems ${size}.`),
    badToken: () => validationError("Invalid Marker."),
  });
  return { items: slice, IsTruncated: next !== undefined, Marker: next };
}

export function byName<T>(name: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => name(a).localeCompare(name(b));
}
