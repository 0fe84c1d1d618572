/** GetParameter (with :version selectors), GetParameters, GetParametersByPath. */
import { AwsError, type RequestContext } from "../../core/types.ts";
import {
  current,
  paramKey,
  parameterNotFound,
  ssmPages,
  ssmState,
  validation,
  type ParameterRecord,
  type ParameterVersion,
} from "./state.ts";
import { arnOf, findPublicParameter, publicParameterRecords } from "./public.ts";
import { pageOf } from "../../core/paging.ts";

/** The caller's parameter of that name, else an AWS public one. */
export function lookup(ctx: RequestContext, name: string): ParameterRecord | undefined {
  return ssmState(ctx.cloud).parameters[paramKey(ctx.region, name)] ?? findPublicParameter(ctx.region, name);
}

export function toParameter(ctx: RequestContext, p: ParameterRecord, v: ParameterVersion, decrypt: boolean, selector?: string) {
  return {
    Name: p.name,
    Type: v.type,
    // Without WithDecryption a SecureString reads as its ciphertext, as on AWS.
    Value: v.type === "SecureString" && !decrypt ? v.ciphertext : v.value,
    Version: v.version,
    Selector: selector,
    LastModifiedDate: new Date(v.modifiedAt),
    ARN: arnOf(p, ctx.accountId),
    DataType: v.dataType,
  };
}

/** "name" or "name:<version>"; a label selector finds nothing here (no LabelParameterVersion). */
function resolve(ctx: RequestContext, raw: string, decrypt: boolean) {
  const colon = raw.indexOf(":");
  const name = colon < 0 ? raw : raw.slice(0, colon);
  const selector = colon < 0 ? undefined : raw.slice(colon);
  const p = lookup(ctx, name);
  if (!p) return { error: parameterNotFound(raw) };
  if (selector === undefined) return { parameter: toParameter(ctx, p, current(p), decrypt) };
  const wanted = /^:\d+$/.test(selector) ? Number(selector.slice(1)) : undefined;
  const v = wanted !== undefined ? p.versions.find((x) => x.version === wanted) : undefined;
  if (!v) {
    const msg =
      wanted !== undefined
        ? `Systems Manager could not find version ${wanted} of ${name}. Verify the version and try again.`
        : `Systems Manager could not find label ${selector.slice(1)} of ${name}.`;
    return { error: new AwsError("ParameterVersionNotFound", msg) };
  }
  return { parameter: toParameter(ctx, p, v, decrypt, selector) };
}

export function getParameter(input: { Name?: string; WithDecryption?: boolean }, ctx: RequestContext) {
  const r = resolve(ctx, input.Name ?? "", input.WithDecryption ?? false);
  if (r.error) throw r.error;
  return { Parameter: r.parameter };
}

export function getParameters(input: { Names?: string[]; WithDecryption?: boolean }, ctx: RequestContext) {
  const names = input.Names ?? [];
  if (names.length < 1 || names.length > 10) throw validation("Names must list between 1 and 10 parameter names.");
  const found = [];
  const invalid: string[] = [];
  for (const raw of [...new Set(names)]) {
    const r = resolve(ctx, raw, input.WithDecryption ?? false);
    if (r.parameter) found.push(r.parameter);
    else invalid.push(raw);
  }
  return { Parameters: found, InvalidParameters: invalid };
}

interface StringFilter {
  Key?: string;
  Option?: string;
  Values?: string[];
}

/** GetParametersByPath accepts only Type, KeyId and Label filters, with Equals. */
function byPathFilter(f: StringFilter): (v: ParameterVersion) => boolean {
  if (!["Type", "KeyId", "Label"].includes(f.Key ?? "")) {
    throw new AwsError(
      "InvalidFilterKey",
      `The following filter key is not valid: ${f.Key}. Valid filter keys include: [Type, KeyId, Label].`,
    );
  }
  if (f.Option !== undefined && f.Option !== "Equals")
    throw new AwsError("InvalidFilterOption", `The following filter option is not valid: ${f.Option}. Valid options include: [Equals].`);
  const values = f.Values ?? [];
  if (!values.length) throw new AwsError("InvalidFilterValue", `The following filter values are missing : null for filter key ${f.Key}.`);
  if (f.Key === "Type") return (v) => values.includes(v.type);
  if (f.Key === "KeyId") return (v) => v.keyId !== undefined && values.includes(v.keyId);
  return () => false;
}

/** Under `path`: direct children only, or every descendant when recursive. */
export function underPath(name: string, path: string, recursive: boolean): boolean {
  const prefix = path.endsWith("/") ? path : `${path}/`;
  if (!name.startsWith(prefix) || name.length === prefix.length) return false;
  return recursive || !name.slice(prefix.length).includes("/");
}

export function getParametersByPath(
  input: {
    Path?: string;
    Recursive?: boolean;
    ParameterFilters?: StringFilter[];
    WithDecryption?: boolean;
    MaxResults?: number;
    NextToken?: string;
  },
  ctx: RequestContext,
) {
  const path = input.Path ?? "";
  if (!path.startsWith("/"))
    throw validation(
      'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/".',
    );
  if (path.split("/").filter(Boolean).length > 15)
    throw new AwsError("HierarchyLevelLimitExceededException", "Parameter path hierarchy level cannot exceed 15 levels.");
  const filters = (input.ParameterFilters ?? []).map(byPathFilter);
  const own = Object.values(ssmState(ctx.cloud).parameters).filter((p) => p.region === ctx.region);
  const candidates = path.startsWith("/aws/") ? publicParameterRecords(ctx.region) : own;
  const matching = candidates
    .filter((p) => underPath(p.name, path, input.Recursive ?? false) && filters.every((f) => f(current(p))))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { items: page, next: NextToken } = pageOf(matching, input.NextToken, input.MaxResults, ssmPages("GetParametersByPath", 1, 10));
  return { Parameters: page.map((p) => toParameter(ctx, p, current(p), input.WithDecryption ?? false)), NextToken };
}
