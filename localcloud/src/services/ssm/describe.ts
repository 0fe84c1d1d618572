/**
 * DescribeParameters: metadata only (never values), with the legacy Filters (Name prefix, Type,
 * KeyId) or ParameterFilters (Name Equals/BeginsWith/Contains, Path OneLevel/Recursive, Type,
 * KeyId, Tier, DataType, Label, tag:<key>), not both. Public parameters are not the account's.
 */
import { AwsError, type RequestContext } from "../../core/types.ts";
import { current, modifiedBy, ssmPages, ssmState, validation, type ParameterRecord } from "./state.ts";
import { arnOf } from "./public.ts";
import { underPath } from "./get.ts";
import { pageOf } from "../../core/paging.ts";

interface StringFilter {
  Key?: string;
  Option?: string;
  Values?: string[];
}

type Match = (p: ParameterRecord) => boolean;

const invalidOption = (option: string, valid: string[]) =>
  new AwsError("InvalidFilterOption", `The following filter option is not valid: ${option}. Valid options include: [${valid.join(", ")}].`);

function parameterFilter(f: StringFilter): Match {
  const key = f.Key ?? "";
  const values = f.Values ?? [];
  const needValues = () => {
    if (!values.length) throw new AwsError("InvalidFilterValue", `The following filter values are missing : null for filter key ${key}.`);
  };
  if (key.startsWith("tag:")) {
    if (f.Option !== undefined && f.Option !== "Equals") throw invalidOption(f.Option, ["Equals"]);
    const tagKey = key.slice(4);
    return (p) => p.tags.some((t) => t.Key === tagKey && (values.length === 0 || values.includes(t.Value)));
  }
  switch (key) {
    case "Name": {
      const option = f.Option ?? "Equals";
      if (!["Equals", "BeginsWith", "Contains"].includes(option)) throw invalidOption(option, ["Equals", "BeginsWith", "Contains"]);
      needValues();
      if (option === "Equals") return (p) => values.includes(p.name);
      if (option === "BeginsWith") return (p) => values.some((v) => p.name.startsWith(v));
      return (p) => values.some((v) => p.name.includes(v));
    }
    case "Path": {
      const option = f.Option ?? "OneLevel";
      if (option !== "OneLevel" && option !== "Recursive") throw invalidOption(option, ["OneLevel", "Recursive"]);
      needValues();
      for (const v of values)
        if (!v.startsWith("/")) throw new AwsError("InvalidFilterValue", `The parameter path ${v} must begin with a forward slash "/".`);
      return (p) => values.some((v) => underPath(p.name, v, option === "Recursive"));
    }
    case "Type":
    case "KeyId":
    case "Tier":
    case "DataType":
    case "Label": {
      if (f.Option !== undefined && f.Option !== "Equals") throw invalidOption(f.Option, ["Equals"]);
      needValues();
      const field = { Type: "type", KeyId: "keyId", Tier: "tier", DataType: "dataType", Label: "" }[key] as
        | "type"
        | "keyId"
        | "tier"
        | "dataType"
        | "";
      return (p) => field !== "" && values.includes(String(current(p)[field] ?? ""));
    }
    default:
      throw new AwsError(
        "InvalidFilterKey",
        `The following filter key is not valid: ${key}. Valid filter keys include: [Name, Type, KeyId, Path, Label, Tier, DataType, tag:<key>].`,
      );
  }
}

function legacyFilter(f: { Key?: string; Values?: string[] }): Match {
  const values = f.Values ?? [];
  if (f.Key === "Name") return (p) => values.some((v) => p.name.startsWith(v));
  if (f.Key === "Type") return (p) => values.includes(current(p).type);
  if (f.Key === "KeyId") return (p) => values.includes(current(p).keyId ?? "");
  throw new AwsError(
    "InvalidFilterKey",
    `The following filter key is not valid: ${f.Key}. Valid filter keys include: [Name, Type, KeyId].`,
  );
}

export function describeParameters(
  input: {
    Filters?: Array<{ Key?: string; Values?: string[] }>;
    ParameterFilters?: StringFilter[];
    MaxResults?: number;
    NextToken?: string;
  },
  ctx: RequestContext,
) {
  if (input.Filters?.length && input.ParameterFilters?.length)
    throw validation("You can use either Filters or ParameterFilters in a single request.");
  const matchers = [...(input.Filters ?? []).map(legacyFilter), ...(input.ParameterFilters ?? []).map(parameterFilter)];
  const matching = Object.values(ssmState(ctx.cloud).parameters)
    .filter((p) => p.region === ctx.region && matchers.every((m) => m(p)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { items: page, next: NextToken } = pageOf(matching, input.NextToken, input.MaxResults, ssmPages("DescribeParameters", 5, 50));
  return {
    Parameters: page.map((p) => {
      const v = current(p);
      return {
        Name: p.name,
        ARN: arnOf(p, ctx.accountId),
        Type: v.type,
        KeyId: v.keyId,
        LastModifiedDate: new Date(v.modifiedAt),
        LastModifiedUser: v.modifiedBy || modifiedBy(ctx.accountId),
        Description: v.description,
        AllowedPattern: v.allowedPattern,
        Version: v.version,
        Tier: v.tier,
        Policies: [],
        DataType: v.dataType,
      };
    }),
    NextToken,
  };
}
