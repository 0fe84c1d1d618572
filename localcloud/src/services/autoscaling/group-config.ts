/** Validation shared by CreateAutoScalingGroup, UpdateAutoScalingGroup and instance refreshes. */
import { AwsError, type CloudApi } from "../../core/types.ts";
import { findLaunchTemplate, resolveVersion } from "../ec2/launch-template-store.ts";
import { ec2State } from "../ec2/state.ts";
import { targetGroupExists } from "./integrations.ts";
import { validationError, type LaunchTemplateSpec } from "./state.ts";

export const HEALTH_CHECK_TYPES = ["EC2", "ELB", "VPC_LATTICE", "EBS"];
export const TERMINATION_POLICIES = [
  "Default",
  "OldestInstance",
  "NewestInstance",
  "OldestLaunchConfiguration",
  "OldestLaunchTemplate",
  "ClosestToNextInstanceHour",
  "AllocationStrategy",
];

export interface LaunchTemplateInput {
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
  Version?: string;
}

/** Checks the template (and the version, resolved now) exists; returns the spec the group stores. */
export function checkLaunchTemplate(cloud: CloudApi, region: string, input: LaunchTemplateInput): LaunchTemplateSpec {
  if (input.LaunchTemplateId && input.LaunchTemplateName) {
    throw validationError("Valid requests must contain either launchTemplateId or LaunchTemplateName");
  }
  if (!input.LaunchTemplateId && !input.LaunchTemplateName) {
    throw validationError("Valid requests must contain either launchTemplateId or LaunchTemplateName");
  }
  try {
    const template = findLaunchTemplate(cloud, region, input);
    resolveVersion(template, input.Version);
    return {
      LaunchTemplateId: template.LaunchTemplateId,
      LaunchTemplateName: template.LaunchTemplateName,
      Version: input.Version ?? "$Default",
    };
  } catch (err) {
    if (err instanceof AwsError) throw validationError(`You must use a valid fully-formed launch template. ${err.message}`);
    throw err;
  }
}

/** VPCZoneIdentifier "subnet-a,subnet-b" to subnet ids and their zones; all in one VPC. */
export function checkSubnets(cloud: CloudApi, region: string, vpcZoneIdentifier: string): { subnetIds: string[]; zones: string[] } {
  const subnetIds = [
    ...new Set(
      vpcZoneIdentifier
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (subnetIds.length === 0) throw validationError("At least one Availability Zone or VPC Subnet is required.");
  const subnets = ec2State(cloud).subnets;
  for (const id of subnetIds) {
    if (!subnets[id] || subnets[id].region !== region) throw validationError(`The subnet ID '${id}' does not exist`);
  }
  const vpcs = new Set(subnetIds.map((id) => subnets[id].VpcId));
  if (vpcs.size > 1) throw validationError(`The subnets '${subnetIds.join(",")}' must all be in the same VPC.`);
  return { subnetIds, zones: [...new Set(subnetIds.map((id) => subnets[id].AvailabilityZone))].sort() };
}

export function checkSizes(min: number, max: number, desired: number): void {
  if (min < 0 || max < 0) throw validationError("Group sizes must be non-negative.");
  if (min > max) throw validationError(`Max bound, ${max}, must be greater than or equal to min bound, ${min}`);
  if (desired < min || desired > max) {
    throw validationError(`Desired capacity:${desired} must be between the specified min size:${min} and max size:${max}`);
  }
}

export function checkHealthCheckType(type: string | undefined): void {
  if (type !== undefined && !HEALTH_CHECK_TYPES.includes(type)) {
    throw validationError(
      `Value '${type}' at 'healthCheckType' failed to satisfy constraint: Member must be one of ${HEALTH_CHECK_TYPES.join(", ")}`,
    );
  }
}

export function checkTerminationPolicies(policies: string[] | undefined): void {
  for (const policy of policies ?? []) {
    if (!TERMINATION_POLICIES.includes(policy) && !policy.startsWith("arn:aws:lambda:")) {
      throw validationError(`Termination policy ${policy} is not valid.`);
    }
  }
}

export function checkTargetGroups(cloud: CloudApi, arns: string[] | undefined): void {
  for (const arn of arns ?? []) {
    if (!arn.startsWith("arn:aws:elasticloadbalancing:") || targetGroupExists(cloud, arn) === false) {
      throw validationError("Provided Target Groups may not be valid. Please ensure they exist and try again.");
    }
  }
}
