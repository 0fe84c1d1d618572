/**
 * IAM's persisted state. IAM is global: one set of roles, policies and instance profiles per
 * account whatever the region a client signs for. Names are unique case-insensitively (as on
 * AWS, "App-Role" and "app-role" collide), so records are keyed by the lower-cased name and keep
 * the name as created.
 */
import { randomUpperAlnum } from "../../core/ids.ts";
import type { CloudApi } from "../../core/types.ts";

export interface Tag {
  Key: string;
  Value: string;
}

/** A policy document as stored: the parsed JSON (documents are rendered URL-encoded on the way out). */
export type PolicyDocument = Record<string, unknown>;

export interface RoleRecord {
  RoleName: string;
  RoleId: string;
  Path: string;
  Arn: string;
  CreateDate: number;
  AssumeRolePolicyDocument: PolicyDocument;
  Description?: string;
  MaxSessionDuration: number;
  Tags: Tag[];
  /** Inline policies by name (as given). */
  inlinePolicies: Record<string, PolicyDocument>;
  /** ARNs of attached managed policies, in attach order. */
  attachedPolicies: string[];
}

export interface PolicyVersionRecord {
  VersionId: string;
  Document: PolicyDocument;
  CreateDate: number;
}

/** A customer managed policy (AWS managed ones are a fixed catalogue, see managed-policies.ts). */
export interface ManagedPolicyRecord {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  Description?: string;
  CreateDate: number;
  UpdateDate: number;
  DefaultVersionId: string;
  /** Next version number to hand out: AWS never reuses a deleted version's id. */
  nextVersion: number;
  versions: PolicyVersionRecord[];
  Tags: Tag[];
}

export interface InstanceProfileRecord {
  InstanceProfileName: string;
  InstanceProfileId: string;
  Path: string;
  Arn: string;
  CreateDate: number;
  /** Lower-cased role names (AWS allows one). */
  roles: string[];
  Tags: Tag[];
}

/** What the local account enforces on callers with its static keys (admin API). */
export interface AccountPolicyRecord {
  document: PolicyDocument;
  /** The IAM user the static keys stand for; root when absent. */
  userName?: string;
  userId: string;
}

export interface IamState {
  roles: Record<string, RoleRecord>;
  /** Customer managed policies by ARN. */
  policies: Record<string, ManagedPolicyRecord>;
  instanceProfiles: Record<string, InstanceProfileRecord>;
  /** By account id. */
  accountPolicies: Record<string, AccountPolicyRecord>;
}

export function initialIamState(): IamState {
  return { roles: {}, policies: {}, instanceProfiles: {}, accountPolicies: {} };
}

export function iamState(cloud: CloudApi): IamState {
  return cloud.state<IamState>("iam");
}

export const key = (name: string): string => name.toLowerCase();

/** IAM unique ids: a type prefix (AROA role, ANPA policy, AIPA instance profile, AIDA user) + 17 characters. */
export function uniqueId(prefix: "AROA" | "ANPA" | "AIPA" | "AIDA"): string {
  return prefix + randomUpperAlnum(17);
}

export function iamArn(accountId: string, kind: "role" | "policy" | "instance-profile" | "user", path: string, name: string): string {
  return `arn:aws:iam::${accountId}:${kind}${path}${name}`;
}

export function findRole(cloud: CloudApi, name: string): RoleRecord | undefined {
  return iamState(cloud).roles[key(name)];
}

/** A role by ARN (any path) or by name. */
export function findRoleByArnOrName(cloud: CloudApi, arnOrName: string): RoleRecord | undefined {
  if (!arnOrName.startsWith("arn:")) return findRole(cloud, arnOrName);
  const name = arnOrName.slice(arnOrName.lastIndexOf("/") + 1);
  const role = findRole(cloud, name);
  return role && role.Arn === arnOrName ? role : undefined;
}

/** An instance profile by ARN (any path) or by name, as RunInstances' IamInstanceProfile accepts either. */
export function findInstanceProfile(cloud: CloudApi, arnOrName: string): InstanceProfileRecord | undefined {
  const profiles = iamState(cloud).instanceProfiles;
  if (!arnOrName.startsWith("arn:")) return profiles[key(arnOrName)];
  const profile = profiles[key(arnOrName.slice(arnOrName.lastIndexOf("/") + 1))];
  return profile && profile.Arn === arnOrName ? profile : undefined;
}
