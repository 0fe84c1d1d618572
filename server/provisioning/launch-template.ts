/**
 * Launch template steps:
 *   1. ensureLaunchTemplate        (needs ensureSecurityGroups.appSgId)  template <name> with a
 *                                  version for the spec's app version in the blue slot.
 *   2. createLaunchTemplateVersion (rollouts; needs 1)  a version for app version V in a slot;
 *                                  an existing version with the same data is reused.
 * The AMI is the spec's, or the newest Amazon Linux 2023 image (owner amazon) for the instance
 * type's architecture. User data is the spec's template with {{version}} {{environment}}
 * {{slot}} filled in.
 */
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DescribeImagesCommand,
  DescribeLaunchTemplatesCommand,
  DescribeLaunchTemplateVersionsCommand,
  type LaunchTemplate,
  type LaunchTemplateVersion,
  type RequestLaunchTemplateData,
} from "../aws/sdk.ts";
import { isNotFound } from "../aws/errors.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { defineStep, tagsOf, tokenOf, type Slot, type StepContext, type StepInput } from "./context.ts";

const AMI_USER_DATA = `#!/bin/bash
# Written by Switchyard: the AMI runs {{environment}} version {{version}} ({{slot}} fleet).
mkdir -p /etc/switchyard
printf 'APP_VERSION=%s\\nAPP_ENVIRONMENT=%s\\nAPP_SLOT=%s\\n' '{{version}}' '{{environment}}' '{{slot}}' > /etc/switchyard/app.env
`;

/** The user data an instance of `slot` running `version` gets (plain text, before base64). */
export function renderUserData(spec: EnvironmentSpec, version: string, slot: Slot): string {
  const template = spec.app.source.kind === "al2023" ? spec.app.source.userData : AMI_USER_DATA;
  return template.replaceAll("{{version}}", version).replaceAll("{{environment}}", spec.name).replaceAll("{{slot}}", slot);
}

/** Graviton families (t4g, m7g, c7g, r6g...) run arm64 images. */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType) ? "arm64" : "x86_64";
}

async function imageOf(ctx: StepContext, spec: EnvironmentSpec): Promise<string> {
  if (spec.app.source.kind === "ami") return spec.app.source.amiId;
  const images =
    (
      await ctx.aws.ec2.send(
        new DescribeImagesCommand({
          Owners: ["amazon"],
          Filters: [
            { Name: "name", Values: ["al2023-ami-2023*"] },
            { Name: "architecture", Values: [architectureOf(spec.instanceType)] },
            { Name: "state", Values: ["available"] },
          ],
        }),
      )
    ).Images ?? [];
  const newest = images.filter((i) => !i.Name?.includes("minimal")).sort((a, b) => (b.CreationDate ?? "").localeCompare(a.CreationDate ?? ""))[0];
  if (!newest?.ImageId) throw new Error(`No Amazon Linux 2023 image for ${architectureOf(spec.instanceType)} in ${spec.region}`);
  return newest.ImageId;
}

function templateData(input: StepInput & { appSgId: string }, imageId: string, version: string, slot: Slot): RequestLaunchTemplateData {
  const tags = tagsOf(input, slot, { Name: `${input.spec.name}-${slot}`, "switchyard:version": version });
  return {
    ImageId: imageId,
    InstanceType: input.spec.instanceType as RequestLaunchTemplateData["InstanceType"],
    SecurityGroupIds: [input.appSgId],
    UserData: Buffer.from(renderUserData(input.spec, version, slot)).toString("base64"),
    MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled" },
    TagSpecifications: [
      { ResourceType: "instance", Tags: tags },
      { ResourceType: "volume", Tags: tags },
    ],
  };
}

async function findTemplate(ctx: StepContext): Promise<LaunchTemplate | undefined> {
  try {
    return (await ctx.aws.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [ctx.names.launchTemplate] }))).LaunchTemplates?.[0];
  } catch (err) {
    if (isNotFound(err) || /InvalidLaunchTemplateName/.test(String((err as { name?: string }).name))) return undefined;
    throw err;
  }
}

async function allVersions(ctx: StepContext, templateId: string): Promise<LaunchTemplateVersion[]> {
  const out: LaunchTemplateVersion[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ctx.aws.ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: templateId, NextToken, MaxResults: 200 }));
    out.push(...(page.LaunchTemplateVersions ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return out;
}

export interface LaunchTemplateOutput {
  launchTemplateId: string;
  launchTemplateName: string;
  /** The launch template version (a number) that runs the requested app version in the slot. */
  launchTemplateVersion: number;
  imageId: string;
}

async function ensureVersion(input: StepInput & { appSgId: string }, ctx: StepContext, version: string, slot: Slot): Promise<LaunchTemplateOutput> {
  const imageId = await imageOf(ctx, input.spec);
  const data = templateData(input, imageId, version, slot);
  const name = ctx.names.launchTemplate;
  const template = await findTemplate(ctx);
  if (!template?.LaunchTemplateId) {
    const created = await ctx.aws.ec2.send(
      new CreateLaunchTemplateCommand({
        LaunchTemplateName: name,
        VersionDescription: `${version} (${slot})`,
        LaunchTemplateData: data,
        ClientToken: tokenOf(input.envId, "launch-template", version, slot),
        TagSpecifications: [{ ResourceType: "launch-template", Tags: tagsOf(input, undefined, { Name: name }) }],
      }),
    );
    const id = created.LaunchTemplate!.LaunchTemplateId!;
    ctx.touch("ec2:launch-template", `${id}:1`, "created");
    return { launchTemplateId: id, launchTemplateName: name, launchTemplateVersion: created.LaunchTemplate!.LatestVersionNumber ?? 1, imageId };
  }
  const id = template.LaunchTemplateId;
  const same = (await allVersions(ctx, id)).find((v) => {
    const d = v.LaunchTemplateData;
    return d?.UserData === data.UserData && d?.InstanceType === data.InstanceType && d?.ImageId === data.ImageId && (d?.SecurityGroupIds ?? []).join() === input.appSgId;
  });
  if (same?.VersionNumber) {
    ctx.touch("ec2:launch-template", `${id}:${same.VersionNumber}`, "found");
    return { launchTemplateId: id, launchTemplateName: name, launchTemplateVersion: same.VersionNumber, imageId };
  }
  const created = await ctx.aws.ec2.send(
    new CreateLaunchTemplateVersionCommand({
      LaunchTemplateId: id,
      VersionDescription: `${version} (${slot})`,
      LaunchTemplateData: data,
      ClientToken: tokenOf(input.envId, "launch-template-version", version, slot, data.UserData!, data.InstanceType!, imageId),
    }),
  );
  const number = created.LaunchTemplateVersion!.VersionNumber!;
  ctx.touch("ec2:launch-template", `${id}:${number}`, "created");
  return { launchTemplateId: id, launchTemplateName: name, launchTemplateVersion: number, imageId };
}

export const ensureLaunchTemplate = defineStep("create the launch template", (input: StepInput & { appSgId: string }, ctx) =>
  ensureVersion(input, ctx, input.spec.app.version, "blue"),
);

/** A launch template version for app `version` in `slot` (reused when one with the same data exists). */
export const createLaunchTemplateVersion = defineStep(
  "create a launch template version",
  async (input: StepInput & { appSgId?: string; version: string; slot: Slot }, ctx) => {
    let appSgId = input.appSgId;
    if (!appSgId) {
      // Keep the security group of the template's latest version.
      const template = await findTemplate(ctx);
      const latest = template?.LaunchTemplateId ? (await allVersions(ctx, template.LaunchTemplateId)).sort((a, b) => (b.VersionNumber ?? 0) - (a.VersionNumber ?? 0))[0] : undefined;
      appSgId = latest?.LaunchTemplateData?.SecurityGroupIds?.[0];
      if (!appSgId) throw new Error(`Launch template ${ctx.names.launchTemplate} is missing: provision the environment first`);
    }
    return ensureVersion({ ...input, appSgId }, ctx, input.version, input.slot);
  },
);
