/** Launch templates and their numbered versions; the default version is what `$Default` and an omitted version mean. */
import { AwsError, type RequestContext, type ModelDocument } from "../../core/types.ts";
import { required, ec2Pages } from "./errors.ts";
import { applyFilters, type Filter } from "./filters.ts";
import { findLaunchTemplate, resolveVersion, templateNotFoundById, templateNotFoundByName } from "./launch-template-store.ts";
import { pageOf } from "../../core/paging.ts";
import { ec2State, newId, type LaunchTemplateRecord, type LaunchTemplateVersionRecord } from "./state.ts";
import { tagsFromSpecifications, tagsOut, type TagSpecification } from "./tagging.ts";

const NAME_PATTERN = /^[a-zA-Z0-9().\-/_]{3,128}$/;

function createdBy(ctx: RequestContext): string {
  return `arn:aws:iam::${ctx.accountId}:root`;
}

function templateOut(template: LaunchTemplateRecord, ctx: RequestContext) {
  return {
    LaunchTemplateId: template.LaunchTemplateId,
    LaunchTemplateName: template.LaunchTemplateName,
    CreateTime: new Date(template.CreateTime),
    CreatedBy: createdBy(ctx),
    DefaultVersionNumber: template.DefaultVersionNumber,
    LatestVersionNumber: template.LatestVersionNumber,
    Tags: tagsOut(template.Tags),
  };
}

function versionOut(template: LaunchTemplateRecord, version: LaunchTemplateVersionRecord, ctx: RequestContext) {
  return {
    LaunchTemplateId: template.LaunchTemplateId,
    LaunchTemplateName: template.LaunchTemplateName,
    VersionNumber: version.VersionNumber,
    VersionDescription: version.VersionDescription,
    CreateTime: new Date(version.CreateTime),
    CreatedBy: createdBy(ctx),
    DefaultVersion: version.VersionNumber === template.DefaultVersionNumber,
    LaunchTemplateData: version.LaunchTemplateData,
  };
}

/** User data must be base64 here: the instance decodes it at boot (and the data plane reads directives from it). */
function checkTemplateData(data: ModelDocument | undefined): ModelDocument {
  const checked = data ?? {};
  if (checked.UserData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(String(checked.UserData).replace(/\s/g, ""))) {
    throw new AwsError("InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.");
  }
  return structuredClone(checked);
}

/** Repeated calls with one ClientToken return what the first created (the SDK fills the token in). */
function idempotent(ctx: RequestContext, token: string | undefined, kind: string) {
  if (!token) return undefined;
  const seen = ec2State(ctx.cloud).clientTokens[`${ctx.region}/${kind}/${token}`];
  return seen?.ids;
}

function remember(ctx: RequestContext, token: string | undefined, kind: string, ids: string[]) {
  if (token) ec2State(ctx.cloud).clientTokens[`${ctx.region}/${kind}/${token}`] = { kind, ids, at: ctx.cloud.now() };
}

export function createLaunchTemplate(
  input: {
    LaunchTemplateName?: string;
    VersionDescription?: string;
    LaunchTemplateData?: ModelDocument;
    TagSpecifications?: TagSpecification[];
    ClientToken?: string;
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  const earlier = idempotent(ctx, input.ClientToken, "CreateLaunchTemplate");
  if (earlier && state.launchTemplates[earlier[0]]) return { LaunchTemplate: templateOut(state.launchTemplates[earlier[0]], ctx) };
  const name = required(input.LaunchTemplateName, "LaunchTemplateName");
  if (!NAME_PATTERN.test(name)) {
    throw new AwsError(
      "InvalidLaunchTemplateName.MalformedException",
      "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'",
    );
  }
  if (Object.values(state.launchTemplates).some((t) => t.region === ctx.region && t.LaunchTemplateName === name)) {
    throw new AwsError("InvalidLaunchTemplateName.AlreadyExistsException", `Launch template name already in use.`);
  }
  const now = ctx.cloud.now();
  const template: LaunchTemplateRecord = {
    LaunchTemplateId: newId("lt"),
    LaunchTemplateName: name,
    region: ctx.region,
    CreateTime: now,
    DefaultVersionNumber: 1,
    LatestVersionNumber: 1,
    Versions: [
      {
        VersionNumber: 1,
        VersionDescription: input.VersionDescription,
        CreateTime: now,
        LaunchTemplateData: checkTemplateData(input.LaunchTemplateData),
      },
    ],
    Tags: tagsFromSpecifications(input.TagSpecifications, "launch-template"),
  };
  state.launchTemplates[template.LaunchTemplateId] = template;
  remember(ctx, input.ClientToken, "CreateLaunchTemplate", [template.LaunchTemplateId]);
  ctx.cloud.markDirty();
  return { LaunchTemplate: templateOut(template, ctx) };
}

export function createLaunchTemplateVersion(
  input: {
    LaunchTemplateId?: string;
    LaunchTemplateName?: string;
    SourceVersion?: string;
    VersionDescription?: string;
    LaunchTemplateData?: ModelDocument;
    ClientToken?: string;
  },
  ctx: RequestContext,
) {
  const template = findLaunchTemplate(ctx.cloud, ctx.region, input);
  const earlier = idempotent(ctx, input.ClientToken, `CreateLaunchTemplateVersion/${template.LaunchTemplateId}`);
  const earlierVersion = earlier && template.Versions.find((v) => String(v.VersionNumber) === earlier[0]);
  if (earlierVersion) return { LaunchTemplateVersion: versionOut(template, earlierVersion, ctx) };
  const data = checkTemplateData(input.LaunchTemplateData);
  // With a source version, the new data overrides the source's top-level fields.
  const base = input.SourceVersion ? resolveVersion(template, input.SourceVersion).LaunchTemplateData : {};
  const version: LaunchTemplateVersionRecord = {
    // Numbers are never reused, even after the latest version was deleted.
    VersionNumber: Math.max(template.LatestVersionNumber, template.HighestVersionNumber ?? 0) + 1,
    VersionDescription: input.VersionDescription,
    CreateTime: ctx.cloud.now(),
    LaunchTemplateData: { ...structuredClone(base), ...data },
  };
  template.Versions.push(version);
  template.LatestVersionNumber = version.VersionNumber;
  remember(ctx, input.ClientToken, `CreateLaunchTemplateVersion/${template.LaunchTemplateId}`, [String(version.VersionNumber)]);
  ctx.cloud.markDirty();
  return { LaunchTemplateVersion: versionOut(template, version, ctx) };
}

export function describeLaunchTemplates(
  input: { LaunchTemplateIds?: string[]; LaunchTemplateNames?: string[]; Filters?: Filter[]; MaxResults?: number; NextToken?: string },
  ctx: RequestContext,
) {
  let templates = Object.values(ec2State(ctx.cloud).launchTemplates).filter((t) => t.region === ctx.region);
  for (const id of input.LaunchTemplateIds ?? []) {
    if (!templates.some((t) => t.LaunchTemplateId === id)) throw templateNotFoundById(id);
  }
  for (const name of input.LaunchTemplateNames ?? []) {
    if (!templates.some((t) => t.LaunchTemplateName === name)) throw templateNotFoundByName(name);
  }
  if (input.LaunchTemplateIds?.length) templates = templates.filter((t) => input.LaunchTemplateIds!.includes(t.LaunchTemplateId));
  if (input.LaunchTemplateNames?.length) templates = templates.filter((t) => input.LaunchTemplateNames!.includes(t.LaunchTemplateName));
  templates = applyFilters(templates, input.Filters, {
    "launch-template-name": (t) => t.LaunchTemplateName,
    "create-time": (t) => new Date(t.CreateTime).toISOString(),
  });
  const { items: page, next: NextToken } = pageOf(
    templates,
    input.NextToken,
    input.MaxResults,
    ec2Pages("DescribeLaunchTemplates", { min: 1, max: 200 }),
  );
  return { LaunchTemplates: page.map((t) => templateOut(t, ctx)), NextToken };
}

export function describeLaunchTemplateVersions(
  input: {
    LaunchTemplateId?: string;
    LaunchTemplateName?: string;
    Versions?: string[];
    MinVersion?: string;
    MaxVersion?: string;
    Filters?: Filter[];
    MaxResults?: number;
    NextToken?: string;
  },
  ctx: RequestContext,
) {
  const state = ec2State(ctx.cloud);
  let pairs: Array<{ template: LaunchTemplateRecord; version: LaunchTemplateVersionRecord }>;
  if (input.LaunchTemplateId || input.LaunchTemplateName) {
    const template = findLaunchTemplate(ctx.cloud, ctx.region, input);
    const versions = input.Versions?.length
      ? input.Versions.map((v) => resolveVersion(template, v))
      : template.Versions.filter(
          (v) =>
            (input.MinVersion === undefined || v.VersionNumber >= Number(input.MinVersion)) &&
            (input.MaxVersion === undefined || v.VersionNumber <= Number(input.MaxVersion)),
        );
    pairs = versions.map((version) => ({ template, version }));
  } else {
    // Across all templates only the aliases make sense, as in AWS.
    const aliases = input.Versions ?? [];
    if (aliases.length === 0 || aliases.some((v) => v !== "$Latest" && v !== "$Default")) {
      throw new AwsError(
        "InvalidParameterCombination",
        "Without a launch template ID or name, only the versions $Latest and $Default may be specified.",
      );
    }
    pairs = Object.values(state.launchTemplates)
      .filter((t) => t.region === ctx.region)
      .flatMap((template) => [...new Set(aliases.map((v) => resolveVersion(template, v)))].map((version) => ({ template, version })));
  }
  const filtered = applyFilters(
    pairs.map((pair) => ({ ...pair, Tags: pair.template.Tags })),
    input.Filters,
    {
      "image-id": (p) => p.version.LaunchTemplateData.ImageId,
      "instance-type": (p) => p.version.LaunchTemplateData.InstanceType,
      "is-default-version": (p) => String(p.version.VersionNumber === p.template.DefaultVersionNumber),
      "create-time": (p) => new Date(p.version.CreateTime).toISOString(),
      "ebs-optimized": (p) => String(p.version.LaunchTemplateData.EbsOptimized ?? false),
      "kernel-id": (p) => p.version.LaunchTemplateData.KernelId,
      "ram-disk-id": (p) => p.version.LaunchTemplateData.RamDiskId,
    },
  );
  const { items: page, next: NextToken } = pageOf(
    filtered,
    input.NextToken,
    input.MaxResults,
    ec2Pages("DescribeLaunchTemplateVersions", { min: 1, max: 200 }),
  );
  return { LaunchTemplateVersions: page.map((p) => versionOut(p.template, p.version, ctx)), NextToken };
}

export function modifyLaunchTemplate(
  input: { LaunchTemplateId?: string; LaunchTemplateName?: string; DefaultVersion?: string },
  ctx: RequestContext,
) {
  const template = findLaunchTemplate(ctx.cloud, ctx.region, input);
  if (input.DefaultVersion !== undefined) {
    template.DefaultVersionNumber = resolveVersion(template, input.DefaultVersion).VersionNumber;
    ctx.cloud.markDirty();
  }
  return { LaunchTemplate: templateOut(template, ctx) };
}

export function deleteLaunchTemplate(input: { LaunchTemplateId?: string; LaunchTemplateName?: string }, ctx: RequestContext) {
  const template = findLaunchTemplate(ctx.cloud, ctx.region, input);
  delete ec2State(ctx.cloud).launchTemplates[template.LaunchTemplateId];
  ctx.cloud.markDirty();
  return { LaunchTemplate: templateOut(template, ctx) };
}
