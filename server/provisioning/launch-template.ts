/**
 * Launch template steps:
 *   1. ensureLaunchTemplate        (needs ensureSecurityGroups.appSgId)  template <name> with a
 *                                  version for the spec's app version in the blue slot.
 *   2. createLaunchTemplateVersion (rollouts; needs 1)  a version for app version V in a slot;
 *                                  an existing version with the same data is reused.
 * The AMI is the spec's, or Amazon Linux 2023's current image for the instance type's
 * architecture, read from AWS's public SSM parameter (the documented way; a name filter on
 * DescribeImages can pick a minimal or unrelated image). User data is the spec's template with
 * {{version}} {{environment}} {{slot}} {{region}} {{artifact}} filled in. Every version has the
 * environment's instance profile, IMDSv2 only, and detailed (1-minute) monitoring.
 * Each version also writes /switchyard/<name>/slots/<slot>/version (parameters.ts).
 */
import {
  CreateLaunchTemplateCommand,
  CreateLaunchTemplateVersionCommand,
  DescribeLaunchTemplatesCommand,
  type LaunchTemplate,
  type LaunchTemplateVersion,
  type RequestLaunchTemplateData,
  GetParameterCommand,
} from "../aws/sdk.ts";
import { afterCreate } from "../aws/consistency.ts";
import { isNotFound } from "../aws/errors.ts";
import type { EnvironmentSpec } from "../environments/spec.ts";
import { ServiceError } from "../errors.ts";
import { defineStep, tagsOf, tokenOf, type Slot, type StepContext, type StepInput } from "./context.ts";
import { checkOwner } from "./ownership.ts";
import { writeSlotVersion } from "./parameters.ts";
import { adoptedTemplateVersion } from "../adopt/launch-template.ts";
import { paginateDescribeLaunchTemplateVersions } from "../aws/sdk.ts";

const AMI_USER_DATA = `#!/bin/bash
# Written by Switchyard: the AMI runs {{environment}} version {{version}} ({{slot}} fleet).
mkdir -p /etc/switchyard
printf 'APP_VERSION=%s\\nAPP_ENVIRONMENT=%s\\nAPP_SLOT=%s\\n' '{{version}}' '{{environment}}' '{{slot}}' > /etc/switchyard/app.env
`;

/** What the user data may name from the delivery contract, read from its SSM parameters. */
export interface ContractValues {
  dbSecretArn: string | null;
}

/** Drops `# switchyard: if database` (or `if cache`) ... `# switchyard: end` blocks when there is no database (cache). */
function sections(template: string, hasDatabase: boolean, hasCache = false): string {
  const database = hasDatabase ? template : template.replace(/^# switchyard: if database\n[\s\S]*?^# switchyard: end\n?/gm, "");
  return hasCache ? database : database.replace(/^# switchyard: if cache\n[\s\S]*?^# switchyard: end\n?/gm, "");
}

/** The user data an instance of `slot` running `version` gets (plain text, before base64). */
export function renderUserData(
  spec: EnvironmentSpec,
  version: string,
  slot: Slot,
  contract: ContractValues = { dbSecretArn: null },
): string {
  const template = spec.app.source.kind === "al2023" ? spec.app.source.userData : AMI_USER_DATA;
  const artifact = (spec.app.artifactUri ?? "").replaceAll("{{version}}", version).replaceAll("{{environment}}", spec.name);
  return sections(template, spec.database !== null, Boolean(spec.cache))
    .replaceAll("{{artifact}}", artifact)
    .replaceAll("{{dbSecretArn}}", contract.dbSecretArn ?? "none")
    .replaceAll("{{version}}", version)
    .replaceAll("{{environment}}", spec.name)
    .replaceAll("{{slot}}", slot)
    .replaceAll("{{region}}", spec.region);
}

/** Graviton families (t4g, m7g, c7g, r6g...) run arm64 images. */
export function architectureOf(instanceType: string): "arm64" | "x86_64" {
  return /^[a-z]+\d+[a-z]*g[a-z]*\./.test(instanceType) ? "arm64" : "x86_64";
}

/** AWS's public parameter naming the current Amazon Linux 2023 image. */
export const al2023Parameter = (arch: "arm64" | "x86_64") => `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${arch}`;

async function imageOf(ctx: StepContext, spec: EnvironmentSpec): Promise<string> {
  if (spec.app.source.kind === "ami") return spec.app.source.amiId;
  const name = al2023Parameter(architectureOf(spec.instanceType));
  try {
    const value = (await ctx.aws.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    if (value?.startsWith("ami-")) return value;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  throw new ServiceError(
    "PRECONDITION_FAILED",
    `Amazon Linux 2023 has no ${architectureOf(spec.instanceType)} image in ${spec.region} (SSM parameter ${name} is missing): choose another instance type.`,
  );
}

type TemplateInput = StepInput & { appSgId: string; instanceProfileArn: string | null };

function templateData(
  input: TemplateInput,
  ctx: StepContext,
  imageId: string,
  version: string,
  slot: Slot,
  contract: ContractValues,
): RequestLaunchTemplateData {
  const tags = tagsOf(input, slot, { Name: ctx.names.asg(slot), "switchyard:version": version });
  return {
    ImageId: imageId,
    InstanceType: input.spec.instanceType as RequestLaunchTemplateData["InstanceType"],
    SecurityGroupIds: [input.appSgId],
    UserData: Buffer.from(renderUserData(input.spec, version, slot, contract)).toString("base64"),
    ...(input.instanceProfileArn ? { IamInstanceProfile: { Arn: input.instanceProfileArn } } : {}),
    // 1-minute EC2 metrics: CPU scaling and the dashboards see a new instance in a minute, not five.
    Monitoring: { Enabled: true },
    // IMDSv2 only: a token is required, so SSRF through the app cannot read the role's credentials.
    MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled" },
    TagSpecifications: [
      { ResourceType: "instance", Tags: tags },
      { ResourceType: "volume", Tags: tags },
    ],
  };
}

async function findTemplate(ctx: StepContext): Promise<LaunchTemplate | undefined> {
  try {
    const found = (await ctx.aws.ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: [ctx.names.launchTemplate] })))
      .LaunchTemplates?.[0];
    if (found) checkOwner(ctx, "A launch template", ctx.names.launchTemplate, found.Tags);
    return found;
  } catch (err) {
    if (isNotFound(err) || /InvalidLaunchTemplateName/.test(String((err as { name?: string }).name))) return undefined;
    throw err;
  }
}

async function allVersions(ctx: StepContext, templateId: string): Promise<LaunchTemplateVersion[]> {
  const out: LaunchTemplateVersion[] = [];
  const pages = paginateDescribeLaunchTemplateVersions({ client: ctx.aws.ec2 }, { LaunchTemplateId: templateId, MaxResults: 200 });
  for await (const page of pages) out.push(...(page.LaunchTemplateVersions ?? []));
  return out;
}

export interface LaunchTemplateOutput {
  launchTemplateId: string;
  launchTemplateName: string;
  /** The launch template version (a number) that runs the requested app version in the slot. */
  launchTemplateVersion: number;
  imageId: string;
}

async function ensureVersion(input: TemplateInput, ctx: StepContext, version: string, slot: Slot): Promise<LaunchTemplateOutput> {
  const imageId = await imageOf(ctx, input.spec);
  const contract = await writeSlotVersion(input, ctx, slot, version);
  const userData = input.spec.app.source.kind === "al2023" ? input.spec.app.source.userData : "";
  if (input.spec.database && userData.includes("{{dbSecretArn}}") && !contract.dbSecretArn) {
    throw new Error(`The database's secret is not in /switchyard/${input.spec.name}/db/secret-arn yet: provision the database first`);
  }
  const data = templateData(input, ctx, imageId, version, slot, contract);
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
    return {
      launchTemplateId: id,
      launchTemplateName: name,
      launchTemplateVersion: created.LaunchTemplate!.LatestVersionNumber ?? 1,
      imageId,
    };
  }
  const id = template.LaunchTemplateId;
  const same = (await allVersions(ctx, id)).find((v) => {
    const d = v.LaunchTemplateData;
    return (
      d?.UserData === data.UserData &&
      d?.InstanceType === data.InstanceType &&
      d?.ImageId === data.ImageId &&
      (d?.SecurityGroupIds ?? []).join() === input.appSgId &&
      (d?.IamInstanceProfile?.Arn ?? null) === (input.instanceProfileArn ?? null) &&
      !!d?.Monitoring?.Enabled
    );
  });
  if (same?.VersionNumber) {
    ctx.touch("ec2:launch-template", `${id}:${same.VersionNumber}`, "found");
    return { launchTemplateId: id, launchTemplateName: name, launchTemplateVersion: same.VersionNumber, imageId };
  }
  const created = await afterCreate(() =>
    ctx.aws.ec2.send(
      new CreateLaunchTemplateVersionCommand({
        LaunchTemplateId: id,
        VersionDescription: `${version} (${slot})`,
        LaunchTemplateData: data,
        ClientToken: tokenOf(
          input.envId,
          "launch-template-version",
          version,
          slot,
          data.UserData!,
          data.InstanceType!,
          imageId,
          input.instanceProfileArn ?? "",
        ),
      }),
    ),
  );
  const number = created.LaunchTemplateVersion!.VersionNumber!;
  ctx.touch("ec2:launch-template", `${id}:${number}`, "created");
  return { launchTemplateId: id, launchTemplateName: name, launchTemplateVersion: number, imageId };
}

export const ensureLaunchTemplate = defineStep("create the launch template", (input: TemplateInput, ctx) =>
  ensureVersion(input, ctx, input.spec.app.version, "blue"),
);

/** A launch template version for app `version` in `slot` (reused when one with the same data exists). */
export const createLaunchTemplateVersion = defineStep(
  "create a launch template version",
  async (input: StepInput & { appSgId?: string; instanceProfileArn?: string | null; version: string; slot: Slot }, ctx) => {
    // An adopted group's own template: a new version of what it runs, with the new app version (and image).
    if (ctx.names.adopted) return adoptedTemplateVersion(input, ctx);
    let { appSgId, instanceProfileArn } = input;
    if (!appSgId || instanceProfileArn === undefined) {
      // Keep the security group and instance profile of the template's latest version.
      const template = await findTemplate(ctx);
      const latest = template?.LaunchTemplateId
        ? (await allVersions(ctx, template.LaunchTemplateId)).sort((a, b) => (b.VersionNumber ?? 0) - (a.VersionNumber ?? 0))[0]
        : undefined;
      appSgId ??= latest?.LaunchTemplateData?.SecurityGroupIds?.[0];
      if (instanceProfileArn === undefined) instanceProfileArn = latest?.LaunchTemplateData?.IamInstanceProfile?.Arn ?? null;
      if (!appSgId) throw new Error(`Launch template ${ctx.names.launchTemplate} is missing: provision the environment first`);
    }
    return ensureVersion({ ...input, appSgId, instanceProfileArn }, ctx, input.version, input.slot);
  },
);
