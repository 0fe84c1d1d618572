/** Finding launch templates and resolving `$Latest` / `$Default` / numbered versions; shared by RunInstances and Auto Scaling. */
import { AwsError, type CloudApi } from "../../core/types.ts";
import { ec2State, type LaunchTemplateRecord, type LaunchTemplateVersionRecord } from "./state.ts";

export interface LaunchTemplateRef {
  LaunchTemplateId?: string;
  LaunchTemplateName?: string;
  Version?: string;
}

export function templateNotFoundById(id: string): AwsError {
  return new AwsError("InvalidLaunchTemplateId.NotFound", `The specified launch template, with template ID ${id}, does not exist.`);
}

export function templateNotFoundByName(name: string): AwsError {
  return new AwsError(
    "InvalidLaunchTemplateName.NotFoundException",
    `The specified launch template, with template name ${name}, does not exist.`,
  );
}

export function findLaunchTemplate(cloud: CloudApi, region: string, ref: LaunchTemplateRef): LaunchTemplateRecord {
  const templates = Object.values(ec2State(cloud).launchTemplates).filter((t) => t.region === region);
  if (ref.LaunchTemplateId) {
    if (!/^lt-[0-9a-f]{17}$/.test(ref.LaunchTemplateId)) {
      throw new AwsError("InvalidLaunchTemplateId.Malformed", `The specified launch template ID ${ref.LaunchTemplateId} is malformed.`);
    }
    const template = templates.find((t) => t.LaunchTemplateId === ref.LaunchTemplateId);
    if (!template) throw templateNotFoundById(ref.LaunchTemplateId);
    return template;
  }
  if (ref.LaunchTemplateName) {
    const template = templates.find((t) => t.LaunchTemplateName === ref.LaunchTemplateName);
    if (!template) throw templateNotFoundByName(ref.LaunchTemplateName);
    return template;
  }
  throw new AwsError("MissingParameter", "The request must contain the parameter launchTemplateName or launchTemplateId");
}

/** A version string ("$Latest", "$Default", "3") to the version record. */
export function resolveVersion(template: LaunchTemplateRecord, version: string | undefined): LaunchTemplateVersionRecord {
  const wanted = version ?? "$Default";
  const number =
    wanted === "$Latest" ? template.LatestVersionNumber : wanted === "$Default" ? template.DefaultVersionNumber : Number(wanted);
  if (!/^(\$Latest|\$Default|\d+)$/.test(wanted)) {
    throw new AwsError("InvalidLaunchTemplateId.VersionNotFound", `The specified launch template version ${wanted} is malformed.`);
  }
  const found = template.Versions.find((v) => v.VersionNumber === number);
  if (!found) {
    throw new AwsError(
      "InvalidLaunchTemplateId.VersionNotFound",
      `Could not find launch template version ${wanted} for launch template ${template.LaunchTemplateId}.`,
    );
  }
  return found;
}

export function resolveLaunchTemplate(cloud: CloudApi, region: string, ref: LaunchTemplateRef) {
  const template = findLaunchTemplate(cloud, region, ref);
  return { template, version: resolveVersion(template, ref.Version) };
}
