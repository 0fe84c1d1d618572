/**
 * The roles a call hands to EC2 through an instance profile, for iam:PassRole: RunInstances
 * (its IamInstanceProfile, or its launch template's), launch templates carrying one, and Auto
 * Scaling groups launching from such a template. A profile or template that does not resolve is
 * skipped: the service answers its own not-found error for it.
 */
import type { RequestContext, ServiceName } from "../types.ts";
import { resolveLaunchTemplate, type LaunchTemplateRef } from "../../services/ec2/launch-template-store.ts";
import { findInstanceProfile, iamState } from "../../services/iam/state.ts";

export interface PassedRole {
  roleArn: string;
  toService: string;
}

const EC2_PRINCIPAL = "ec2.amazonaws.com";

interface ProfileRef {
  Arn?: string;
  Name?: string;
}

function roleOfProfile(ctx: RequestContext, ref: ProfileRef | undefined): string | undefined {
  const id = ref?.Arn ?? ref?.Name;
  const profile = id ? findInstanceProfile(ctx.cloud, id) : undefined;
  const role = profile?.roles[0] ? iamState(ctx.cloud).roles[profile.roles[0]] : undefined;
  return role?.Arn;
}

function profileOfTemplate(ctx: RequestContext, ref: LaunchTemplateRef | undefined): ProfileRef | undefined {
  if (!ref || (!ref.LaunchTemplateId && !ref.LaunchTemplateName)) return undefined;
  try {
    const data = resolveLaunchTemplate(ctx.cloud, ctx.region, ref).version.LaunchTemplateData as { IamInstanceProfile?: ProfileRef };
    return data.IamInstanceProfile;
  } catch {
    return undefined;
  }
}

interface LaunchInput {
  IamInstanceProfile?: ProfileRef;
  LaunchTemplate?: LaunchTemplateRef;
  LaunchTemplateData?: { IamInstanceProfile?: ProfileRef };
  MixedInstancesPolicy?: { LaunchTemplate?: { LaunchTemplateSpecification?: LaunchTemplateRef } };
}

function profileOf(service: ServiceName, operation: string, input: LaunchInput, ctx: RequestContext): ProfileRef | undefined {
  if (service === "ec2" && operation === "RunInstances") return input.IamInstanceProfile ?? profileOfTemplate(ctx, input.LaunchTemplate);
  if (service === "ec2" && /^(Create|Modify)LaunchTemplate(Version)?$/.test(operation)) return input.LaunchTemplateData?.IamInstanceProfile;
  if (service === "autoscaling" && /^(Create|Update)AutoScalingGroup$/.test(operation)) {
    return profileOfTemplate(ctx, input.LaunchTemplate ?? input.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification);
  }
  return undefined;
}

export function passedRoles(ctx: RequestContext, service: ServiceName, operation: string, input: Record<string, unknown>): PassedRole[] {
  const roleArn = roleOfProfile(ctx, profileOf(service, operation, input as LaunchInput, ctx));
  return roleArn ? [{ roleArn, toService: EC2_PRINCIPAL }] : [];
}
