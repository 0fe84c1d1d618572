/**
 * DeleteLaunchTemplateVersions: per-version outcomes rather than one error, as AWS answers,
 * so a caller cleaning up old versions learns which ones stayed and why. The default version
 * can only go with the whole template (DeleteLaunchTemplate).
 */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { required } from "./errors.ts";
import { findLaunchTemplate } from "./launch-template-store.ts";

const MAX_VERSIONS_PER_CALL = 200;

export function deleteLaunchTemplateVersions(
  input: { LaunchTemplateId?: string; LaunchTemplateName?: string; Versions?: string[] },
  ctx: RequestContext,
) {
  const template = findLaunchTemplate(ctx.cloud, ctx.region, input);
  const versions = required(input.Versions, "LaunchTemplateVersion");
  if (versions.length > MAX_VERSIONS_PER_CALL) {
    throw new AwsError(
      "InvalidParameterValue",
      `You can delete up to ${MAX_VERSIONS_PER_CALL} launch template versions in a single request.`,
    );
  }
  const ids = { LaunchTemplateId: template.LaunchTemplateId, LaunchTemplateName: template.LaunchTemplateName };
  const succeeded: Array<typeof ids & { VersionNumber: number }> = [];
  const failed: Array<typeof ids & { VersionNumber?: number; ResponseError: { Code: string; Message: string } }> = [];
  for (const text of versions) {
    const number = /^\d+$/.test(text) ? Number(text) : undefined;
    const version = template.Versions.find((v) => v.VersionNumber === number);
    if (number === undefined || !version) {
      failed.push({
        ...ids,
        VersionNumber: number,
        ResponseError: { Code: "launchTemplateVersionDoesNotExist", Message: "The specified launch template version does not exist." },
      });
    } else if (number === template.DefaultVersionNumber) {
      failed.push({
        ...ids,
        VersionNumber: number,
        ResponseError: {
          Code: "unexpectedError",
          Message:
            "The specified version is the default version and cannot be deleted. Set another version as the default first, or delete the launch template with DeleteLaunchTemplate.",
        },
      });
    } else {
      template.Versions = template.Versions.filter((v) => v !== version);
      succeeded.push({ ...ids, VersionNumber: number });
    }
  }
  if (succeeded.length) {
    template.HighestVersionNumber = Math.max(template.HighestVersionNumber ?? 0, template.LatestVersionNumber);
    // $Latest must name a version that still exists.
    template.LatestVersionNumber = Math.max(...template.Versions.map((v) => v.VersionNumber));
    ctx.cloud.markDirty();
  }
  return { SuccessfullyDeletedLaunchTemplateVersions: succeeded, UnsuccessfullyDeletedLaunchTemplateVersions: failed };
}
