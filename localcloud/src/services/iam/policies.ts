/**
 * Managed policies: customer ones (CreatePolicy, versions, DeletePolicy) and AWS's catalogue
 * (read-only, by ARN). Attachment counts are derived from the roles, so they cannot drift.
 */
import type { CloudApi, RequestContext } from "../../core/types.ts";
import {
  checkName,
  checkPath,
  deleteConflict,
  entityAlreadyExists,
  invalidInput,
  limitExceeded,
  noSuchEntity,
  policyNotFound,
} from "./errors.ts";
import { awsManagedPolicies, awsManagedPolicy, isAwsManagedArn } from "./managed-policies.ts";
import { encodeDocument, readDocument } from "./policy-document.ts";
import { mergeTags } from "./roles.ts";
import { iamArn, iamState, uniqueId, type ManagedPolicyRecord, type PolicyDocument } from "./state.ts";
import { awsPolicyView, byName, customerPolicyView, page } from "./views.ts";

const MAX_VERSIONS = 5;

export function attachmentCount(cloud: CloudApi, arn: string): number {
  return Object.values(iamState(cloud).roles).filter((r) => r.attachedPolicies.includes(arn)).length;
}

function checkPolicyArn(arn: string): void {
  if (!/^arn:aws:iam::(aws|\d{12}):policy\//.test(arn)) throw invalidInput(`ARN ${arn} is not valid.`);
}

function requireCustomerPolicy(ctx: RequestContext, arn: string): ManagedPolicyRecord {
  checkPolicyArn(arn);
  const policy = iamState(ctx.cloud).policies[arn];
  if (!policy) throw policyNotFound(arn);
  return policy;
}

/** The default version's document of any managed policy (customer or AWS), for evaluation. */
export function managedPolicyDocument(cloud: CloudApi, arn: string): PolicyDocument | undefined {
  const aws = awsManagedPolicy(arn);
  if (aws) return aws.Document;
  const policy = iamState(cloud).policies[arn];
  return policy?.versions.find((v) => v.VersionId === policy.DefaultVersionId)?.Document;
}

/** The policy's name and whether it exists, for attaching. */
export function managedPolicyName(cloud: CloudApi, arn: string): string | undefined {
  return awsManagedPolicy(arn)?.PolicyName ?? iamState(cloud).policies[arn]?.PolicyName;
}

interface CreatePolicyInput {
  PolicyName: string;
  Path?: string;
  PolicyDocument: string;
  Description?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
}

export async function createPolicy(input: CreatePolicyInput, ctx: RequestContext) {
  const name = checkName(input.PolicyName, "policyName", 128);
  const path = checkPath(input.Path);
  const doc = await readDocument(input.PolicyDocument, "identity");
  const state = iamState(ctx.cloud);
  const arn = iamArn(ctx.accountId, "policy", path, name);
  // Names are unique per account whatever the path.
  if (Object.values(state.policies).some((p) => p.PolicyName.toLowerCase() === name.toLowerCase())) {
    throw entityAlreadyExists(`A policy called ${name} already exists. Duplicate names are not allowed.`);
  }
  const now = ctx.cloud.now();
  const policy: ManagedPolicyRecord = {
    PolicyName: name,
    PolicyId: uniqueId("ANPA"),
    Arn: arn,
    Path: path,
    Description: input.Description,
    CreateDate: now,
    UpdateDate: now,
    DefaultVersionId: "v1",
    nextVersion: 2,
    versions: [{ VersionId: "v1", Document: doc, CreateDate: now }],
    Tags: mergeTags([], input.Tags ?? []),
  };
  state.policies[arn] = policy;
  ctx.cloud.markDirty();
  return { Policy: customerPolicyView(policy, 0) };
}

export function getPolicy(input: { PolicyArn: string }, ctx: RequestContext) {
  checkPolicyArn(input.PolicyArn);
  const aws = awsManagedPolicy(input.PolicyArn);
  if (aws) return { Policy: awsPolicyView(aws, attachmentCount(ctx.cloud, aws.Arn)) };
  const policy = requireCustomerPolicy(ctx, input.PolicyArn);
  return { Policy: customerPolicyView(policy, attachmentCount(ctx.cloud, policy.Arn)) };
}

export function getPolicyVersion(input: { PolicyArn: string; VersionId: string }, ctx: RequestContext) {
  checkPolicyArn(input.PolicyArn);
  const aws = awsManagedPolicy(input.PolicyArn);
  if (aws) {
    if (input.VersionId !== aws.DefaultVersionId)
      throw noSuchEntity(`Policy ${aws.Arn} version ${input.VersionId} does not exist or is not attachable.`);
    return {
      PolicyVersion: {
        Document: encodeDocument(aws.Document),
        VersionId: aws.DefaultVersionId,
        IsDefaultVersion: true,
        CreateDate: new Date(aws.UpdateDate),
      },
    };
  }
  const policy = requireCustomerPolicy(ctx, input.PolicyArn);
  const version = policy.versions.find((v) => v.VersionId === input.VersionId);
  if (!version) throw noSuchEntity(`Policy ${policy.Arn} version ${input.VersionId} does not exist or is not attachable.`);
  return {
    PolicyVersion: {
      Document: encodeDocument(version.Document),
      VersionId: version.VersionId,
      IsDefaultVersion: version.VersionId === policy.DefaultVersionId,
      CreateDate: version.CreateDate,
    },
  };
}

export async function createPolicyVersion(
  input: { PolicyArn: string; PolicyDocument: string; SetAsDefault?: boolean },
  ctx: RequestContext,
) {
  if (isAwsManagedArn(input.PolicyArn)) throw invalidInput(`Policy ${input.PolicyArn} is an AWS managed policy and cannot be modified.`);
  const policy = requireCustomerPolicy(ctx, input.PolicyArn);
  const doc = await readDocument(input.PolicyDocument, "identity");
  if (policy.versions.length >= MAX_VERSIONS) {
    throw limitExceeded(
      "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
    );
  }
  const now = ctx.cloud.now();
  const version = { VersionId: `v${policy.nextVersion++}`, Document: doc, CreateDate: now };
  policy.versions.push(version);
  if (input.SetAsDefault) policy.DefaultVersionId = version.VersionId;
  policy.UpdateDate = now;
  ctx.cloud.markDirty();
  return {
    PolicyVersion: { VersionId: version.VersionId, IsDefaultVersion: policy.DefaultVersionId === version.VersionId, CreateDate: now },
  };
}

export function listPolicyVersions(input: { PolicyArn: string; Marker?: string; MaxItems?: number }, ctx: RequestContext) {
  const aws = awsManagedPolicy(input.PolicyArn);
  let versions: Array<{ VersionId: string; IsDefaultVersion: boolean; CreateDate: number }>;
  if (aws) {
    versions = [{ VersionId: aws.DefaultVersionId, IsDefaultVersion: true, CreateDate: Date.parse(aws.UpdateDate) }];
  } else {
    const policy = requireCustomerPolicy(ctx, input.PolicyArn);
    // Newest first, as IAM lists them.
    versions = [...policy.versions]
      .reverse()
      .map((v) => ({ VersionId: v.VersionId, IsDefaultVersion: v.VersionId === policy.DefaultVersionId, CreateDate: v.CreateDate }));
  }
  const { items, ...paging } = page(versions, input.Marker, input.MaxItems);
  return { Versions: items, ...paging };
}

export function deletePolicyVersion(input: { PolicyArn: string; VersionId: string }, ctx: RequestContext) {
  const policy = requireCustomerPolicy(ctx, input.PolicyArn);
  const i = policy.versions.findIndex((v) => v.VersionId === input.VersionId);
  if (i < 0) throw noSuchEntity(`Policy ${policy.Arn} version ${input.VersionId} does not exist or is not deletable.`);
  if (policy.DefaultVersionId === input.VersionId) throw deleteConflict("Cannot delete the default version of a policy.");
  policy.versions.splice(i, 1);
  ctx.cloud.markDirty();
  return {};
}

export function deletePolicy(input: { PolicyArn: string }, ctx: RequestContext) {
  if (isAwsManagedArn(input.PolicyArn)) throw invalidInput(`Policy ${input.PolicyArn} is an AWS managed policy and cannot be deleted.`);
  const policy = requireCustomerPolicy(ctx, input.PolicyArn);
  if (attachmentCount(ctx.cloud, policy.Arn) > 0) throw deleteConflict("Cannot delete a policy attached to entities.");
  if (policy.versions.length > 1) {
    throw deleteConflict(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  }
  delete iamState(ctx.cloud).policies[policy.Arn];
  ctx.cloud.markDirty();
  return {};
}

interface ListPoliciesInput {
  Scope?: "All" | "AWS" | "Local";
  OnlyAttached?: boolean;
  PathPrefix?: string;
  Marker?: string;
  MaxItems?: number;
}

export function listPolicies(input: ListPoliciesInput, ctx: RequestContext) {
  const scope = input.Scope ?? "All";
  const prefix = input.PathPrefix ?? "/";
  const views: Array<Record<string, unknown> & { PolicyName: string; Path: string; AttachmentCount: number }> = [];
  if (scope !== "Local") {
    for (const p of awsManagedPolicies()) views.push(awsPolicyView(p, attachmentCount(ctx.cloud, p.Arn)) as (typeof views)[number]);
  }
  if (scope !== "AWS") {
    for (const p of Object.values(iamState(ctx.cloud).policies))
      views.push(customerPolicyView(p, attachmentCount(ctx.cloud, p.Arn)) as (typeof views)[number]);
  }
  const matching = views
    .filter((v) => v.Path.startsWith(prefix) && (!input.OnlyAttached || v.AttachmentCount > 0))
    .sort(byName((v) => v.PolicyName));
  const { items, ...paging } = page(matching, input.Marker, input.MaxItems);
  // ListPolicies leaves out tags and descriptions.
  return { Policies: items.map(({ Tags: _tags, Description: _description, ...rest }) => rest), ...paging };
}
