/**
 * Releases on an adopted stack: a new version of the idle group's own launch template, made
 * from the version the group launches today (SourceVersion), changing only what a release
 * changes: the app version (the user data's `APP_VERSION=` line and the instances'
 * `switchyard:version` tag) and, for a new image (Patch OS, or a new AMI id in the spec), the
 * ImageId. Everything else the team put in their template stays as they made it. A version
 * with the same user data, image and version tag is reused (a retried step creates nothing twice).
 */
import {
  CreateLaunchTemplateVersionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchTemplateVersionsCommand,
  type LaunchTemplateVersion,
  type LaunchTemplateTagSpecificationRequest,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { ServiceError } from "../errors.ts";
import { tokenOf, type Slot, type StepContext, type StepInput } from "../provisioning/context.ts";

const ASSIGNMENT = /^(\s*(?:export\s+)?APP_VERSION=)(["']?)[^"'\s;]*\2/m;
const DIRECTIVE = /^(\s*#\s*localcloud:.*\bversion=)\S+/m;

/**
 * The user data with `version` as the app version, or null when it cannot say so: a shell script
 * gets its `APP_VERSION=` assignment changed (or one added after the #! line).
 */
export function withAppVersion(userData: string, version: string): string | null {
  let out = userData;
  if (DIRECTIVE.test(out)) out = out.replace(DIRECTIVE, `$1${version}`);
  if (ASSIGNMENT.test(out)) return out.replace(ASSIGNMENT, `$1$2${version}$2`);
  if (!out.startsWith("#!")) return null;
  const eol = out.indexOf("\n");
  return eol < 0
    ? `${out}\nexport APP_VERSION=${version}\n`
    : `${out.slice(0, eol + 1)}export APP_VERSION=${version}\n${out.slice(eol + 1)}`;
}

/** The app version a user data script assigns (`APP_VERSION=v1`), or null. */
export function appVersionIn(userData: string): string | null {
  const m = /^\s*(?:export\s+)?APP_VERSION=(["']?)([^"'\s;]+)\1/m.exec(userData);
  return m?.[2] ?? null;
}

function instanceTags(tags: LaunchTemplateTagSpecificationRequest[] | undefined, version: string) {
  const rest = (tags ?? []).filter((t) => t.ResourceType !== "instance");
  const instance = (tags ?? []).find((t) => t.ResourceType === "instance")?.Tags?.filter((t) => t.Key !== "switchyard:version") ?? [];
  return [...rest, { ResourceType: "instance" as const, Tags: [...instance, { Key: "switchyard:version", Value: version }] }];
}

const versionTagOf = (v: LaunchTemplateVersion) =>
  v.LaunchTemplateData?.TagSpecifications?.find((t) => t.ResourceType === "instance")?.Tags?.find((t) => t.Key === "switchyard:version")
    ?.Value;

export async function adoptedTemplateVersion(input: StepInput & { version: string; slot: Slot }, ctx: StepContext) {
  const adopted = ctx.names.adopted!;
  const template = adopted.launchTemplates[input.slot];
  const group = (
    await ctx.aws.autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [adopted.groups[input.slot]] }))
  ).AutoScalingGroups?.[0];
  if (!group)
    throw new ServiceError(
      "PRECONDITION_FAILED",
      `Auto Scaling group ${adopted.groups[input.slot]} no longer exists: this adopted environment cannot roll out. Forget it and adopt the stack again.`,
    );
  const sourceVersion = group.LaunchTemplate?.Version ?? "$Default";
  const versions = async (Versions?: string[]) =>
    (
      await ctx.aws.ec2.send(
        new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: template.id, ...(Versions ? { Versions } : { MaxResults: 200 }) }),
      )
    ).LaunchTemplateVersions ?? [];
  const source = (await versions([sourceVersion]))[0];
  const data = source?.LaunchTemplateData;
  if (!source?.VersionNumber || !data)
    throw new ServiceError("PRECONDITION_FAILED", `Launch template ${template.name} has no version ${sourceVersion} to start from.`);
  const userData = withAppVersion(Buffer.from(data.UserData ?? "", "base64").toString("utf8"), input.version);
  if (userData === null)
    throw new ServiceError(
      "PRECONDITION_FAILED",
      `The user data of launch template ${template.name} is not a shell script with an APP_VERSION= line: Switchyard cannot tell the instances which version to run. Add "export APP_VERSION=<version>" to it.`,
    );
  const imageId = input.spec.app.source.kind === "ami" ? input.spec.app.source.amiId : (data.ImageId ?? "");
  const wanted = {
    UserData: Buffer.from(userData).toString("base64"),
    ImageId: imageId,
    TagSpecifications: instanceTags(data.TagSpecifications as LaunchTemplateTagSpecificationRequest[] | undefined, input.version),
  };
  const same = (await versions()).find(
    (v) =>
      v.LaunchTemplateData?.UserData === wanted.UserData && v.LaunchTemplateData?.ImageId === imageId && versionTagOf(v) === input.version,
  );
  if (same?.VersionNumber) {
    ctx.touch("ec2:launch-template", `${template.id}:${same.VersionNumber}`, "found");
    return { launchTemplateId: template.id, launchTemplateName: template.name, launchTemplateVersion: same.VersionNumber, imageId };
  }
  const created = await afterCreate(() =>
    ctx.aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: template.id,
        SourceVersion: String(source.VersionNumber),
        VersionDescription: `${input.version} (${input.slot})`,
        LaunchTemplateData: wanted,
        ClientToken: tokenOf(input.envId, "adopted-template-version", input.version, input.slot, imageId, String(source.VersionNumber)),
      }),
    ),
  );
  const number = created.LaunchTemplateVersion!.VersionNumber!;
  ctx.touch("ec2:launch-template", `${template.id}:${number}`, "created");
  return { launchTemplateId: template.id, launchTemplateName: template.name, launchTemplateVersion: number, imageId };
}
