/** PutParameter (new parameters and Overwrite versions), DeleteParameter(s). */
import { AwsError, type RequestContext } from "../../core/types.ts";
import {
  current,
  fakeCiphertext,
  modifiedBy,
  paramKey,
  parameterNotFound,
  ssmState,
  ssmTagRules,
  validateName,
  validation,
  type ParameterRecord,
  type ParameterType,
  type ParameterVersion,
} from "./state.ts";
import { checkTags } from "../../core/tags.ts";

interface PutInput {
  Name?: string;
  Description?: string;
  Value?: string;
  Type?: string;
  KeyId?: string;
  Overwrite?: boolean;
  AllowedPattern?: string;
  Tags?: Array<{ Key?: string; Value?: string }>;
  Tier?: string;
  DataType?: string;
}

const TYPES: ParameterType[] = ["String", "StringList", "SecureString"];
const TIERS = ["Standard", "Advanced", "Intelligent-Tiering"];
const MAX_VERSIONS = 100;
const DEFAULT_KEY = "alias/aws/ssm";

function checkPattern(pattern: string | undefined, value: string): void {
  if (pattern === undefined || pattern === "") return;
  let re: RegExp;
  try {
    re = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new AwsError("InvalidAllowedPatternException", `The request does not meet the regular expression requirement: ${pattern}`);
  }
  if (!re.test(value))
    throw new AwsError("ParameterPatternMismatchException", `Parameter value, cannot be validated against allowedPattern: ${pattern}`);
}

/**
 * Standard parameters hold 4 KB, advanced ones 8 KB; an advanced parameter can't go back to
 * standard. Intelligent-Tiering picks Advanced only when the value needs it. Without a Tier an
 * existing parameter keeps its own.
 */
function resolveTier(requested: string | undefined, previous: string | undefined, valueLength: number): string {
  if (requested !== undefined && !TIERS.includes(requested))
    throw validation(`Invalid tier ${requested}. Valid values: ${TIERS.join(", ")}.`);
  if (requested === "Standard" && previous === "Advanced") {
    throw validation(
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier.",
    );
  }
  let tier = requested ?? previous ?? "Standard";
  if (requested === "Intelligent-Tiering") tier = previous === "Advanced" || valueLength > 4096 ? "Advanced" : "Standard";
  if (tier === "Standard" && valueLength > 4096) {
    throw validation(
      "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.",
    );
  }
  if (valueLength > 8192) throw validation("Advanced tier parameters support a maximum parameter value of 8192 characters.");
  return tier;
}

export function putParameter(input: PutInput, ctx: RequestContext) {
  const name = input.Name ?? "";
  validateName(name);
  const value = input.Value ?? "";
  if (value.length < 1)
    throw validation(
      "1 validation error detected: Value '' at 'value' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  const state = ssmState(ctx.cloud);
  const existing = state.parameters[paramKey(ctx.region, name)];
  const overwrite = input.Overwrite ?? false;
  if (overwrite && input.Tags?.length) {
    throw validation(
      "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    );
  }
  if (existing && !overwrite)
    throw new AwsError(
      "ParameterAlreadyExists",
      "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.",
    );
  const prev: ParameterVersion | undefined = existing ? current(existing) : undefined;
  if (input.Type !== undefined && !TYPES.includes(input.Type as ParameterType)) {
    throw new AwsError("UnsupportedParameterType", `Parameter type ${input.Type} is not supported. Valid types: ${TYPES.join(", ")}.`);
  }
  const type = (input.Type ?? prev?.type) as ParameterType | undefined;
  if (!type) throw validation("A parameter type is required when you create a parameter.");
  if (input.KeyId !== undefined && type !== "SecureString") throw validation("KeyId is required for SecureString type parameter only.");
  const dataType = input.DataType ?? prev?.dataType ?? "text";
  if (!["text", "aws:ec2:image", "aws:ssm:integration"].includes(dataType)) {
    throw validation(`The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
  }
  if (dataType === "aws:ec2:image" && (type !== "String" || !/^ami-[0-9a-f]{8,17}$/.test(value))) {
    throw validation(`Parameter value ${value} is not a valid AMI id for data type aws:ec2:image (a String parameter holding ami-<hex>).`);
  }
  const allowedPattern = input.AllowedPattern ?? prev?.allowedPattern;
  if (allowedPattern !== undefined && allowedPattern.length > 1024)
    throw validation("AllowedPattern can't be longer than 1024 characters.");
  checkPattern(allowedPattern, value);
  if (input.Description !== undefined && input.Description.length > 1024)
    throw validation("Description can't be longer than 1024 characters.");
  const tier = resolveTier(input.Tier, prev?.tier, value.length);
  const tags = checkTags(input.Tags, ssmTagRules);

  const record: ParameterRecord = existing ?? { name, region: ctx.region, versions: [], tags };
  const version = (prev?.version ?? 0) + 1;
  record.versions.push({
    version,
    value,
    ciphertext: type === "SecureString" ? fakeCiphertext() : undefined,
    type,
    keyId: type === "SecureString" ? (input.KeyId ?? (prev?.type === "SecureString" ? prev.keyId : undefined) ?? DEFAULT_KEY) : undefined,
    description: input.Description ?? prev?.description,
    allowedPattern,
    dataType,
    tier,
    modifiedAt: ctx.cloud.now(),
    modifiedBy: modifiedBy(ctx.accountId),
  });
  if (record.versions.length > MAX_VERSIONS) record.versions.shift();
  state.parameters[paramKey(ctx.region, name)] = record;
  ctx.cloud.markDirty();
  return { Version: version, Tier: tier };
}

export function deleteParameter(input: { Name?: string }, ctx: RequestContext) {
  const name = input.Name ?? "";
  const state = ssmState(ctx.cloud);
  if (!state.parameters[paramKey(ctx.region, name)]) throw parameterNotFound(name);
  delete state.parameters[paramKey(ctx.region, name)];
  ctx.cloud.markDirty();
  return {};
}

export function deleteParameters(input: { Names?: string[] }, ctx: RequestContext) {
  const names = input.Names ?? [];
  if (names.length < 1 || names.length > 10) throw validation("Names must list between 1 and 10 parameter names.");
  const state = ssmState(ctx.cloud);
  const deleted: string[] = [];
  const invalid: string[] = [];
  for (const name of names) {
    if (state.parameters[paramKey(ctx.region, name)]) {
      delete state.parameters[paramKey(ctx.region, name)];
      deleted.push(name);
    } else invalid.push(name);
  }
  if (deleted.length) ctx.cloud.markDirty();
  return { DeletedParameters: deleted, InvalidParameters: invalid };
}
